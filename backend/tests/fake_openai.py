"""A local OpenAI-compatible chat endpoint for tests: the network edge we do not own, faked.

Each test scripts what the next completions return: JSON content, an HTTP 500, malformed text, or a
reply slower than the client's timeout. Every request body is kept for assertions on the prompts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeChatServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[tuple[str, Any]] = []  # (kind, value), consumed in order; the last one repeats
        self.url = ""

    def reply_json(self, data: Any) -> None:
        self.replies.append(("content", json.dumps(data)))

    def reply_text(self, content: str) -> None:
        self.replies.append(("content", content))

    def reply_status(self, status: int) -> None:
        self.replies.append(("status", status))

    def reply_slowly(self, seconds: float, data: Any) -> None:
        self.replies.append(("slow", (seconds, json.dumps(data))))

    def _next(self) -> tuple[str, Any]:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                kind, value = fake._next()
                if kind == "status":
                    self.send_response(value)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "scripted failure"}}')
                    return
                if kind == "slow":
                    seconds, value = value
                    time.sleep(seconds)
                payload = json.dumps(
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": value},
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout), as intended

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def fake_chat_server() -> Iterator[FakeChatServer]:
    fake = FakeChatServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake._handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
