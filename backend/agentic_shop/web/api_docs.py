"""The API's documentation pages, /docs (Swagger UI) and /redoc, from vendored pinned files: they work
offline, and without an inline script (FastAPI's own pages load a CDN's latest and inline one)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
SWAGGER = "/static/vendor/swagger-ui-5.35.0"
REDOC = "/static/vendor/redoc-2.5.2"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agentic Shop API</title>{head}</head>
<body>{body}</body></html>"""


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> str:
    return _PAGE.format(
        head=f'<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css">',
        body=f'<div id="swagger-ui"></div><script src="{SWAGGER}/swagger-ui-bundle.js"></script>'
        '<script src="/static/swagger-init.js"></script>',
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc() -> str:
    return _PAGE.format(
        head="",
        body=f'<redoc spec-url="/openapi.json"></redoc><script src="{REDOC}/redoc.standalone.js"></script>',
    )
