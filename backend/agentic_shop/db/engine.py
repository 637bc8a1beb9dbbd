"""The SQLAlchemy engines of a process (transactions, and single autocommit reads), and the
request-scoped session dependency."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from functools import lru_cache

from sqlalchemy import Engine, RowMapping, TextClause, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

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


@lru_cache
def get_autocommit_engine() -> Engine:
    """Single statements that need no transaction: who is signed in, asked by nearly every request.
    On `get_engine()` such a read cost four round trips (the pre-ping, BEGIN, the query, ROLLBACK)
    and a thread hand-off to give the connection back; here it is one. No pre-ping either: a read is
    retried once on a fresh connection instead (`read_once`). A small pool and no overflow: each read
    holds its connection for a fraction of a millisecond, and an overflow connection, opened and
    closed per read under load, costs PostgreSQL a backend and a password exchange each time."""
    return create_engine(
        database_url(),
        isolation_level="AUTOCOMMIT",
        pool_size=8,
        max_overflow=0,
        pool_timeout=get_settings().db_pool_timeout_s,
    )


def read_once(statement: TextClause, params: dict[str, object]) -> RowMapping | None:
    """The first row of a read-only statement on the autocommit engine. A connection the server closed
    (a restart) fails its first statement; the pool then drops every older connection, and the read
    runs again on a new one, so a restart does not surface as an error on the next request."""
    try:
        return _first_row(statement, params)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    return _first_row(statement, params)


def first_row(session: Session, statement: TextClause, params: dict[str, object]) -> RowMapping | None:
    """A read-only statement's first row, for a question a request asks before anything else (who is
    signed in; an agent's cached answer), which is often the only one it asks. Until the session has
    begun a transaction, its first statement would read committed rows in a fresh one: the same rows
    an autocommit read sees (`read_once`), in one round trip instead of four (pre-ping, BEGIN, the
    query, ROLLBACK) and with no transaction to end. Once a transaction is open, or when the session
    is bound to a caller's connection (a test's, rolled back), the session is asked itself."""
    if session.bind is get_engine() and not session.in_transaction():
        return read_once(statement, params)
    return session.execute(statement, params).mappings().first()


def _first_row(statement: TextClause, params: dict[str, object]) -> RowMapping | None:
    with get_autocommit_engine().connect() as connection:
        return connection.execute(statement, params).mappings().first()


async def get_session() -> AsyncIterator[Session]:
    """The request's session. Async on purpose: FastAPI runs a plain generator dependency's start
    and end in its thread pool, two hand-offs per request that cost more under load than the work
    (in one process, a product page served ~39% more per second without them). Creating a session
    does no I/O; giving its connection back does, so only then does the end go to a thread."""
    session = Session(get_engine())
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(_close, session)
        else:
            _close(session)


def _close(session: Session) -> None:
    try:
        session.close()
    except DBAPIError:
        # The server went away after the answer was made (the close runs once the response has
        # started): there is nothing left to roll back, and raising would reset the client's
        # connection mid-answer. The pool drops the dead connection.
        log.warning("database connection lost while closing a request's session")
