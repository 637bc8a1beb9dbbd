"""Cross-site request forgery: every unsafe request must come from this shop's own pages.

Two checks, on every POST, PUT, PATCH and DELETE (an app-wide dependency):
1. Origin: a browser names the page a request came from (`Origin`, `Sec-Fetch-Site`); another site,
   or this host on another port, is refused.
2. A per-session token (kept in the signed session cookie): forms carry it as `csrf_token`, htmx
   sends it as the `X-CSRF-Token` header (set once on <body>). The JSON API needs no token for a JSON
   body or a DELETE: a browser cannot send either cross-site without a CORS preflight, which this app
   never grants, so those requests can only come from the shop's own scripts or from a non-browser
   client that holds the cookie anyway.

This is the synchronizer-token pattern on the session we already sign; the CSRF libraries on PyPI use
double-submit cookies and would refuse the JSON API's token-less clients.
"""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

from agentic_shop.settings import get_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD, HEADER = "csrf_token", "x-csrf-token"
FOREIGN = "This request came from another site, so it was refused. Please use the shop’s own pages."
STALE = "This form has expired or did not come from the shop. Reload the page and try again."


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (templates put it in every form)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        return origin == own or origin in get_settings().trusted_origins
    # No Origin (older browsers on same-origin posts, non-browser clients): trust only what a
    # browser marks as from this very origin, or a request that carries no browser metadata.
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def _preflighted_api_call(request: Request) -> bool:
    if not request.url.path.startswith("/api/"):
        return False
    if request.method != "POST":
        return True  # PUT, PATCH, DELETE: never sent cross-site without a preflight
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json"


async def csrf_protect(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    if not _same_origin(request):
        raise HTTPException(403, FOREIGN)
    if _preflighted_api_call(request):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        # Starlette keeps the parsed form: the route reads the same one.
        sent = (await request.form()).get(FIELD)
    if (
        not isinstance(expected, str)
        or not isinstance(sent, str)
        or not secrets.compare_digest(expected, sent)
    ):
        raise HTTPException(403, STALE)
