"""One SQLAlchemy engine per process, and the request-scoped session dependency."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from agentic_shop.db.server import database_url


@lru_cache
def get_engine() -> Engine:
    # pool_pre_ping: a restarted embedded server must not surface as a 500 on the next request.
    return create_engine(database_url(), pool_size=10, max_overflow=10, pool_pre_ping=True)


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session
