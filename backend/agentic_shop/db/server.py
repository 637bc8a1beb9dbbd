"""Which PostgreSQL the app talks to: `DATABASE_URL` if set, else the embedded one, started on demand."""

from __future__ import annotations

import atexit
import os

from agentic_shop.db.embedded import EmbeddedPostgres, spawn_watchdog
from agentic_shop.settings import Settings, get_settings

_started_here: list[EmbeddedPostgres] = []


def embedded_server(settings: Settings | None = None) -> EmbeddedPostgres:
    settings = settings or get_settings()
    return EmbeddedPostgres(settings.embedded_pg_dir, settings.embedded_pg_port)


def normalize_url(url: str) -> str:
    """Accept the usual spellings (postgres://, postgresql://) and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(settings: Settings | None = None) -> str:
    """The SQLAlchemy URL to use, starting the embedded server if needed.

    A server started here is stopped when this process exits (normally, via SIGINT or SIGTERM); a
    watchdog stops it if the process dies without a chance to clean up.
    """
    settings = settings or get_settings()
    if settings.database_url:
        return normalize_url(settings.database_url)
    server = embedded_server(settings)
    if server.start():
        _started_here.append(server)
        atexit.register(stop_started_servers)
        spawn_watchdog(server, os.getpid())
    return server.sqlalchemy_url()


def stop_started_servers() -> None:
    while _started_here:
        _started_here.pop().stop()
