"""What the shop refuses before any route runs: a body over 1 MB (413, without reading it whole) and
control characters (NUL and the rest of C0 but tab and newlines, and DEL) in any input: the path, the
query string, a JSON or form body (422). Postgres cannot store a NUL, and no shopper types one.

A pure ASGI middleware, so the limit holds for every route, the ones to come included, and a body is
read once: what passes is handed on to the app as it came."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agentic_shop.control_chars import CONTROL
from agentic_shop.errors import error_response

MAX_BODY_BYTES = 1_000_000
_CONTROL_MESSAGE = "must not contain control characters"
TOO_LARGE = f"The request is too large: at most {MAX_BODY_BYTES // 1_000_000} MB."


class RequestLimits:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bad = _control_in_url(scope)
        if bad:
            await _refuse(scope, send, 422, bad)
            return
        headers = Headers(scope=scope)
        declared = _content_length(headers)
        if declared is not None and declared > self.max_body:
            await _refuse(scope, send, 413, TOO_LARGE)
            return
        if declared is None and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        body, complete = await _read(receive, self.max_body)
        if not complete:
            await _refuse(scope, send, 413, TOO_LARGE)
            return
        bad = _control_in_body(headers, body)
        if bad:
            await _refuse(scope, send, 422, bad)
            return
        await self.app(scope, _replay(body, receive), send)


def _content_length(headers: Headers) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


async def _read(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """(the body, True), or (b"", False) as soon as it passes the limit."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay


def _control_in_url(scope: Scope) -> list[dict[str, Any]] | None:
    if CONTROL.search(scope["path"]):
        return [_problem(["path"])]
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if CONTROL.search(name) or CONTROL.search(value):
            return [_problem(["query", name])]
    return None


def _control_in_body(headers: Headers, body: bytes) -> list[dict[str, Any]] | None:
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if CONTROL.search(name) or CONTROL.search(value):
                return [_problem(["body", name])]
    elif kind.endswith("json"):
        try:
            data = json.loads(body)
        except ValueError:  # the route's validation says what is wrong with it
            return None
        where = next(_control_strings(data, ["body"]), None)
        if where:
            return [_problem(where)]
    return None


def _control_strings(value: Any, where: list[Any]) -> Iterator[list[Any]]:
    if isinstance(value, str):
        if CONTROL.search(value):
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            if CONTROL.search(key):
                yield [*where, key]
            yield from _control_strings(item, [*where, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _control_strings(item, [*where, index])


def _problem(where: list[Any]) -> dict[str, Any]:
    return {"loc": where, "msg": _CONTROL_MESSAGE, "type": "control_characters"}


async def _refuse(scope: Scope, send: Send, status: int, problem: str | list[dict[str, Any]]) -> None:
    """The app's own error response: JSON for the API (FastAPI's shape for a 422), a page otherwise."""
    request = Request(scope)
    if isinstance(problem, str):
        response = error_response(request, status, problem)
    else:
        where = ".".join(str(part) for part in problem[0]["loc"][1:]) or problem[0]["loc"][0]
        response = error_response(request, status, f"Invalid input: {where} {_CONTROL_MESSAGE}", problem)
    if status == 413:  # the rest of the body is never read: the connection cannot be reused
        response.headers["Connection"] = "close"
    await response(scope, _receive_nothing, send)


async def _receive_nothing() -> Message:
    return {"type": "http.disconnect"}
