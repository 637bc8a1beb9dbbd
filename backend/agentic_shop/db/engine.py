"""One SQLAlchemy engine per process, and the request-scoped session dependency."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from agentic_shop.db.server import database_url
from agentic_shop.settings import get_settings


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    # pool_pre_ping: a restarted embedded server must not surface as a 500 on the next request.
    # pool_timeout: a request that finds every connection taken answers 503 soon (errors.py).
    return create_engine(
        database_url(),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_overflow,
        pool_timeout=settings.db_pool_timeout_s,
        pool_pre_ping=True,
    )


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session
