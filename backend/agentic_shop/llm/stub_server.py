"""A local OpenAI-compatible chat endpoint that stands in for the network edge we do not own: the
tests script it, and `shop bench agents --llm-latency` times pages against it.

The caller scripts what the next completions return: JSON content, an HTTP 500, malformed text, or a
slow reply. Every request body is kept (for assertions on the prompts), and so is the most requests
ever in flight at once (were independent agents asked in parallel?).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What OpenAI answers a reasoning model's request that sets a temperature.
_TEMPERATURE_REFUSED = {
    "message": "Unsupported value: 'temperature' does not support 0 with this model. "
    "Only the default (1) value is supported.",
    "type": "invalid_request_error",
    "param": "temperature",
    "code": "unsupported_value",
}


class StubChatServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[tuple[str, Any]] = []  # (kind, value), consumed in order; the last one repeats
        self.url = ""
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()

    def reply_json(self, data: Any) -> None:
        self.replies.append(("content", json.dumps(data)))

    def reply_text(self, content: str) -> None:
        self.replies.append(("content", content))

    def reply_status(self, status: int) -> None:
        self.replies.append(("status", status))

    def reply_like_a_reasoning_model(self, data: Any) -> None:
        """HTTP 400 for any request that sets a temperature (as OpenAI's reasoning models do), else data."""
        self.replies.append(("default-temperature-only", json.dumps(data)))

    def reply_slowly(self, seconds: float, data: Any) -> None:
        self.replies.append(("slow", (seconds, json.dumps(data))))

    def _next(self) -> tuple[str, Any]:
        with self._lock:
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._enter()
                try:
                    self._answer()
                finally:
                    fake._leave()

            def _answer(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                kind, value = fake._next()
                if kind == "default-temperature-only" and "temperature" in body:
                    self._fail(400, _TEMPERATURE_REFUSED)
                    return
                if kind == "status":
                    self._fail(value, {"message": "scripted failure"})
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

            def _fail(self, status: int, error: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"error": error}).encode())

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def stub_chat_server() -> Iterator[StubChatServer]:
    fake = StubChatServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake._handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
