"""OpenAI-compatible embeddings against a local fake endpoint (the network edge we do not own)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from agentic_shop.embeddings import EmbeddingError
from agentic_shop.embeddings.remote import OpenAIEmbedder
from agentic_shop.settings import Settings


class _FakeEmbeddings(BaseHTTPRequestHandler):
    mode = "ok"
    requests: ClassVar[list[dict]] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        dims = body.get("dimensions", 1536) if self.mode == "ok" else 12
        data = [
            {"object": "embedding", "index": i, "embedding": [0.1] * dims} for i in range(len(body["input"]))
        ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEmbeddings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _FakeEmbeddings.requests = []
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def _embedder(endpoint: str) -> OpenAIEmbedder:
    return OpenAIEmbedder(
        Settings(
            embedding_provider="openai",
            openai_api_key="test",
            openai_base_url=endpoint,
            embedding_timeout_s=5,
        )
    )


def test_asks_for_384_dimensions_and_records_the_model(endpoint):
    _FakeEmbeddings.mode = "ok"
    embedder = _embedder(endpoint)
    vectors = embedder.embed_batch(["a", "b", "c"])
    assert len(vectors) == 3 and all(len(v) == 384 for v in vectors)
    assert _FakeEmbeddings.requests[0]["dimensions"] == 384
    assert embedder.model_id == "openai:text-embedding-3-small@384"


def test_server_errors_become_embedding_errors(endpoint):
    _FakeEmbeddings.mode = "error"
    with pytest.raises(EmbeddingError, match="failed"):
        _embedder(endpoint).embed("a")


def test_wrong_dimensions_are_refused(endpoint):
    _FakeEmbeddings.mode = "wrong-size"
    with pytest.raises(EmbeddingError, match="384"):
        _embedder(endpoint).embed("a")


def test_missing_key_is_a_clear_error():
    with pytest.raises(EmbeddingError, match="OPENAI_API_KEY"):
        OpenAIEmbedder(Settings(embedding_provider="openai", openai_api_key=None))
