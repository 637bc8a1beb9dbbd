"""A local OpenAI-compatible chat endpoint that stands in for the network edge we do not own: the
tests script it, and `shop bench agents --llm-latency` times pages against it.

The caller scripts what the next completions return: JSON content, an HTTP error, malformed or fenced
text, a slow reply, an answer cut off at the token limit, one that never ends, or no answer at all.
It can also refuse response formats, as real servers do (llama.cpp's Python server answers HTTP 500 to
`json_schema`). It streams when asked to, as the app does. Every request body is kept (for assertions
on the prompts), and so are the most requests ever in flight at once and the streams still being
written (is a server left generating after the client gave up?).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agentic_shop.llm.formats import MODES

# What OpenAI answers a reasoning model's request that sets a temperature.
_TEMPERATURE_REFUSED = {
    "message": "Unsupported value: 'temperature' does not support 0 with this model. "
    "Only the default (1) value is supported.",
    "type": "invalid_request_error",
    "param": "temperature",
    "code": "unsupported_value",
}
# Shaped like llama-cpp-python's answer to a response_format it does not take: a path and a frame.
_FORMAT_REFUSED = (
    'Traceback (most recent call last):\n  File "/usr/lib/python3/site-packages/llama_cpp/server/'
    'errors.py", line 173, in custom_route_handler\n    response = await original_route_handler(request)\n'
    "ValueError: response_format type {kind} is not supported"
)


def _mode(body: dict[str, Any]) -> str:
    format_ = body.get("response_format")
    if not format_:
        return "text"
    if format_.get("type") == "json_schema":
        return "json_schema"
    return "json_object_schema" if "schema" in format_ else "json_object"


class StubChatServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[tuple[str, Any]] = []  # (kind, value), consumed in order; the last one repeats
        self.accepts: set[str] = set(MODES)  # the response formats this server takes
        self.refused_options: set[str] = set()  # request fields answered with a 400, as unknown
        self.url = ""
        self.max_in_flight = 0
        self.generating = 0  # streams being written right now
        self._in_flight = 0
        self._lock = threading.Lock()

    # -- what the next completions are --------------------------------------------------------------
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

    def reply_cut_off(self, content: str) -> None:
        """The answer stops at the token limit: finish_reason "length"."""
        self.replies.append(("cut", content))

    def reply_forever(self) -> None:
        """A stream that never ends (a model looping under a JSON grammar) until the client closes it."""
        self.replies.append(("forever", None))

    def reply_never(self, seconds: float = 120) -> None:
        """No answer at all (not even headers) for `seconds`."""
        self.replies.append(("never", seconds))

    def only_accepts(self, *modes: str) -> None:
        self.accepts = set(modes)

    def refuses(self, *options: str) -> None:
        self.refused_options = set(options)

    def modes_asked(self) -> list[str]:
        return [_mode(body) for body in self.requests]

    # -- serving ------------------------------------------------------------------------------------
    def _next(self) -> tuple[str, Any]:
        with self._lock:
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def _count(self, attribute: str, delta: int) -> None:
        with self._lock:
            setattr(self, attribute, getattr(self, attribute) + delta)
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self):
                fake._count("_in_flight", 1)
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout), as intended
                finally:
                    fake._count("_in_flight", -1)

            def _answer(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                refused = sorted(fake.refused_options & set(body))
                if refused:
                    message = f"Unrecognized request argument supplied: {refused[0]}"
                    self._send(400, {"error": {"message": message, "param": refused[0]}})
                    return
                if _mode(body) not in fake.accepts:
                    self._send(500, {"error": {"message": _FORMAT_REFUSED.format(kind=_mode(body))}})
                    return
                kind, value = fake._next()
                if kind == "default-temperature-only" and "temperature" in body:
                    self._send(400, {"error": _TEMPERATURE_REFUSED})
                    return
                if kind == "status":
                    self._send(value, {"error": {"message": "scripted failure"}})
                    return
                if kind == "never":
                    time.sleep(value)
                    return
                finish = "stop"
                if kind == "slow":
                    seconds, value = value
                    time.sleep(seconds)
                if kind == "cut":
                    finish = "length"
                if kind == "forever":
                    self._stream_forever(body)
                elif body.get("stream"):
                    self._stream(body, value, finish)
                else:
                    message = {"role": "assistant", "content": value}
                    self._send(200, _completion(body, {"message": message, "finish_reason": finish}))

            def _stream(self, body, content: str, finish: str) -> None:
                self._start_stream()
                fake._count("generating", 1)
                try:
                    pieces = [content[i : i + 40] for i in range(0, len(content), 40)] or [""]
                    for piece in pieces:
                        self._event(_chunk(body, {"delta": {"content": piece}, "finish_reason": None}))
                    self._event(_chunk(body, {"delta": {}, "finish_reason": finish}))
                    if (body.get("stream_options") or {}).get("include_usage"):
                        usage = {"prompt_tokens": 10, "completion_tokens": len(pieces), "total_tokens": 11}
                        self._event(_chunk(body, None) | {"choices": [], "usage": usage})
                    self.wfile.write(b"data: [DONE]\n\n")
                finally:
                    fake._count("generating", -1)

            def _stream_forever(self, body) -> None:
                self._start_stream()
                fake._count("generating", 1)
                try:
                    while True:
                        self._event(_chunk(body, {"delta": {"content": "{\n" * 8}, "finish_reason": None}))
                        time.sleep(0.02)
                finally:
                    fake._count("generating", -1)

            def _start_stream(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True

            def _event(self, data: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

            def _send(self, status: int, data: dict[str, Any]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler


def _completion(body: dict[str, Any], choice: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, **choice}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(body: dict[str, Any], choice: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, **choice}] if choice else [],
    }


@contextmanager
def stub_chat_server() -> Iterator[StubChatServer]:
    fake = StubChatServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake._handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # A path of its own: what the app learns about an endpoint (its JSON mode) is keyed by URL, and a
    # later stub may get the same port.
    fake.url = f"http://127.0.0.1:{server.server_port}/stub-{uuid.uuid4().hex[:8]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
