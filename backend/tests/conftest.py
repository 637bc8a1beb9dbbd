"""Test fixtures: one embedded PostgreSQL for the session (in a temp dir, on a free port), migrated and
seeded from the committed data/, and a transaction rolled back after every test."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Settings are read once per process: point them at throwaway locations before the app is imported.
_TMP = Path(tempfile.mkdtemp(prefix="agentic-shop-tests-"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


os.environ.pop("DATABASE_URL", None)  # tests always run on a throwaway embedded server
os.environ.update(
    {
        "EMBEDDED_PG_DIR": str(_TMP / "pgdata"),
        "EMBEDDED_PG_PORT": str(free_port()),
        "VAR_DIR": str(_TMP / "var"),
        "SECRET_KEY": "test-secret-key",
        "EMBEDDING_PROVIDER": "local",
        "ALLOWED_HOSTS": '["testserver", "127.0.0.1", "localhost"]',  # the in-process client's name
        # Tests change the catalog inside transactions they roll back: reads must not outlive them.
        # tests/services/test_catalog_cache.py turns it on; the load smoke test runs servers with it.
        "CATALOG_CACHE_S": "0",
    }
)

from sqlalchemy import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from agentic_shop.db import migrations  # noqa: E402
from agentic_shop.db.engine import get_engine, get_session  # noqa: E402
from agentic_shop.llm.client import ChatModel, openai_client  # noqa: E402
from agentic_shop.settings import Settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
AGENTICSHOP_FIXTURE = FIXTURES / "agenticshop"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The session's database, migrated to head and seeded from data/ (as `make run` does)."""
    migrations.upgrade("head")
    return get_engine()


@pytest.fixture(scope="session")
def words(engine: Engine):
    """The seeded catalog's vocabulary (what the language engine reads messages with)."""
    from agentic_shop.understanding.lexicon import vocabulary

    with engine.connect() as connection:
        return vocabulary(connection)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose changes, commits included, are rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session
        transaction.rollback()


@pytest.fixture
def client(db: Session):
    """The app over HTTP (in-process ASGI transport), sharing the test's rolled-back session."""
    from fastapi.testclient import TestClient

    from agentic_shop.main import app

    app.dependency_overrides[get_session] = lambda: db
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@contextmanager
def scratch_db(engine: Engine) -> Iterator[Engine]:
    """An empty database of its own in the session's server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"scratch_{os.getpid()}_{free_port()}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = create_engine(engine.url.set(database=name))
    try:
        yield scratch
    finally:
        scratch.dispose()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture
def scratch_database(engine: Engine) -> Iterator[Engine]:
    """For tests that migrate up and down or import."""
    with scratch_db(engine) as scratch:
        yield scratch


def chat_model(base_url: str, timeout: float = 5) -> ChatModel:
    """The app's LLM client, pointed at a test server (the stub, or a port nothing listens on)."""
    client = openai_client(Settings(), azure=False, timeout=timeout, api_key="test", base_url=base_url)
    return ChatModel(client, "fake-model", "openai-compatible", timeout=timeout)


@pytest.fixture(scope="session")
def live_server(engine) -> Iterator[str]:
    """The real app on a free local port (uvicorn in a thread of this process), on the session's
    database: what a browser or an HTTP client talks to, with real commits."""
    from agentic_shop.main import app
    from agentic_shop.web.background import serve_in_background

    with serve_in_background(app) as base_url:
        yield base_url


@pytest.fixture
def restore_personas(engine):
    """Personas whose memories a test changes for real (through the live server), put back to their
    seeded memories afterwards so later tests see the seed."""
    from agentic_shop.services.shoppers import reset_memories_to_seed

    touched: list[int] = []
    yield touched.append
    with Session(engine) as session:
        for user_id in touched:
            reset_memories_to_seed(session, user_id)
    clear_agent_cache(engine)


def clear_agent_cache(engine: Engine) -> None:
    """Answers the live server cached for real: later tests expect to compute their own."""
    from agentic_shop.agents import cache

    with engine.begin() as connection:
        cache.clear(connection)
