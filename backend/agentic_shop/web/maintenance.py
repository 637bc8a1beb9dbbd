"""While the demo is being reset (services/demo_reset.py), every request but static files and the
health check is answered 503 at once: a page that reloads itself until the shop is back (it needs no
JavaScript), or JSON for the API. Plain ASGI, so a streamed answer already under way is untouched."""

from __future__ import annotations

import json
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from agentic_shop.services import demo_reset
from agentic_shop.web.templating import get_templates

RESETTING = "The demo is being reset to its starting point. It is back in about half a minute."
PASSING = ("/static/", "/healthz")


class ResetGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not demo_reset.is_running() or scope["path"].startswith(PASSING):
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/api/"):
            body, kind = json.dumps({"detail": RESETTING}).encode(), b"application/json"
        else:
            elapsed = time.monotonic() - demo_reset.status().started
            page = get_templates().get_template("resetting.html")
            body = page.render(message=RESETTING, elapsed=int(elapsed)).encode()
            kind = b"text/html; charset=utf-8"
        headers = [(b"content-type", kind), (b"retry-after", b"5"), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})
