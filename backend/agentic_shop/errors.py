"""Every failure a user can see is a clear message with a 4xx/5xx status: JSON for /api, a page otherwise."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from psycopg_pool import PoolTimeout
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolExhausted
from starlette.exceptions import HTTPException

from agentic_shop.memory.records import MemoryNotFoundError
from agentic_shop.services.agents import RunNotFoundError
from agentic_shop.services.catalog import NotFoundError
from agentic_shop.web.templating import get_templates, is_htmx

log = logging.getLogger(__name__)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/healthz"))


def _describe(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"] if p not in ("query", "path", "body"))
        parts.append(f"{where}: {error['msg']}" if where else error["msg"])
    return "; ".join(parts)


def error_response(request: Request, status: int, message: str, detail: object = None) -> Response:
    """The one shape of every refusal: JSON for the API, a toast for htmx, a page otherwise."""
    if _wants_json(request):
        return JSONResponse({"detail": detail if detail is not None else message}, status_code=status)
    if is_htmx(request):  # shown as a toast by app.js
        return get_templates().TemplateResponse(
            request, "_error_toast.html", {"message": message}, status_code=status
        )
    return get_templates().TemplateResponse(
        request, "error.html", {"status": status, "message": message, "shopper": None}, status_code=status
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path: Starlette's own 405 names only the first route's
    (GET /api/v1/session and POST /api/v1/session are two routes)."""
    path = request.scope["path"]
    methods: set[str] = set()
    for route in request.app.routes:
        regex, allowed = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and allowed and regex.match(path):
            methods |= allowed
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, exc: RequestValidationError) -> Response:
        # The API keeps FastAPI's structured list (loc, msg, type); pages get one readable sentence.
        errors = [{k: e[k] for k in ("loc", "msg", "type")} for e in exc.errors()]
        return error_response(request, 422, f"Invalid input: {_describe(exc)}", errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"Nothing here: {request.url.path}"
        response = error_response(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["Allow"] = _allowed_methods(request)
        return response

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> Response:
        log.error("database unavailable: %s", exc)
        return error_response(
            request, 503, "The database is unavailable right now. Please try again in a moment."
        )

    @app.exception_handler(PoolExhausted)
    @app.exception_handler(PoolTimeout)
    async def too_busy(request: Request, exc: Exception) -> Response:
        # Every database connection is taken (DB_POOL_TIMEOUT_S): say so at once rather than a 500 later.
        log.warning("database pool exhausted on %s: %s", request.url.path, exc)
        response = error_response(
            request, 503, "The shop is very busy right now. Please try again in a moment."
        )
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(NotFoundError)
    @app.exception_handler(MemoryNotFoundError)
    @app.exception_handler(RunNotFoundError)
    async def not_found(request: Request, exc: LookupError) -> Response:
        # Another shopper's memory or run id gets exactly this too: it must not be told apart from a
        # missing one.
        return error_response(request, 404, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "Something went wrong on our side. The error was logged.")
