"""One SQLAlchemy engine per process, and the request-scoped session dependency."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from agentic_shop.db.server import database_url
from agentic_shop.settings import get_settings

log = logging.getLogger(__name__)


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
    session = Session(get_engine())
    try:
        yield session
    finally:
        try:
            session.close()
        except DBAPIError:
            # The server went away after the answer was made (the close runs once the response has
            # started): there is nothing left to roll back, and raising would reset the client's
            # connection mid-answer. The pool drops the dead connection.
            log.warning("database connection lost while closing a request's session")
