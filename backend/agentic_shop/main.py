"""The FastAPI application: JSON API under /api/v1, HTML pages, static assets."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from agentic_shop import api
from agentic_shop.api import health
from agentic_shop.api.responses import document_refusals
from agentic_shop.db.engine import get_engine
from agentic_shop.embeddings import get_embedder
from agentic_shop.errors import install_error_handlers
from agentic_shop.settings import Settings, get_settings
from agentic_shop.web import agent_pages, api_docs, assistant_pages, memory_pages, pages, reset_pages
from agentic_shop.web.csrf import csrf_protect
from agentic_shop.web.maintenance import ResetGate
from agentic_shop.web.request_limits import RequestLimits
from agentic_shop.web.security_headers import SecurityHeaders


def session_secret(settings: Settings) -> str:
    """SECRET_KEY, or a random key kept in var/ so sessions survive restarts and work across processes."""
    if settings.secret_key:
        return settings.secret_key.get_secret_value()
    path = settings.var_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    # Pay start-up costs (database, model load) before the first request, not during it.
    get_engine()
    get_embedder().embed("warm up")
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Agentic Shop",
        version="0.1.0",
        description="A personalized shop whose agents remember shoppers. JSON API; HTML pages at /.",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
        docs_url=None,  # web/api_docs.py serves them from vendored files
        redoc_url=None,
    )
    app.add_middleware(RequestLimits)  # inside the session: a refusal is the app's own error page
    app.add_middleware(
        SessionMiddleware, secret_key=session_secret(settings), same_site="lax", https_only=False
    )
    app.add_middleware(ResetGate)  # during a demo reset nothing else runs
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)  # outermost: on every response, refusals included
    install_error_handlers(app)

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document_refusals(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi
    app.include_router(api.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(agent_pages.router)
    app.include_router(assistant_pages.router)
    app.include_router(memory_pages.router)
    app.include_router(reset_pages.router)
    app.include_router(api_docs.router)
    app.mount("/static", StaticFiles(directory=settings.frontend_dir / "static"), name="static")
    media = settings.var_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    app.mount("/media", StaticFiles(directory=media), name="media")
    return app


app = create_app()
