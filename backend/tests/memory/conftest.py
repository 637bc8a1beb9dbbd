from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from agentic_shop.memory.service import MemoryService


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction is rolled back after the test (memories, audit and all)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def memory(connection: Connection) -> MemoryService:
    return MemoryService(connection=connection)
