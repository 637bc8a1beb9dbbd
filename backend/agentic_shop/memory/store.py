"""mem0, configured for this project: the pgvector store in our own database, our embedder, no network.

Three things differ from mem0's defaults, each for a reason:
- mem0 reaches PostgreSQL through `SharedConnectionPool`, which hands it the connection of the
  transaction the memory service is in. Memory rows, their audit events and the per-shopper lock then
  commit or roll back together, and an Alembic migration can seed memories inside its own transaction.
- Telemetry is off and mem0's own history is an in-memory SQLite per process: the durable history is
  our `memory_events` table, which several app processes can share (a shared SQLite file cannot).
- mem0 never extracts facts itself (we always call it with infer=False): `ExtractionHappensElsewhere`
  stands where its LLM would be, so a code path that tried to call one fails loudly instead of
  reaching the network.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from sqlalchemy import Connection

from agentic_shop.embeddings import EMBEDDING_DIM, get_embedder
from agentic_shop.settings import get_settings

COLLECTION = "mem0_chatstore"
PROVIDER = "agentic_shop"  # our embedder and LLM stand-in, registered in mem0's factories

_bound_connection: ContextVar[Connection | None] = ContextVar("memory_connection", default=None)


@contextmanager
def bind(connection: Connection) -> Iterator[None]:
    """Every mem0 statement inside the block runs on `connection`, within its transaction."""
    token = _bound_connection.set(connection)
    try:
        yield
    finally:
        _bound_connection.reset(token)


class _CallerOwnsTransaction:
    """The caller's psycopg connection, minus commit and rollback: mem0 calls both after each
    statement, but here the memory service's transaction decides."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass  # the exception that caused it propagates and the service's transaction rolls back

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class SharedConnectionPool:
    """What mem0's pgvector store expects from a psycopg pool, backed by our SQLAlchemy engine."""

    @contextmanager
    def connection(self) -> Iterator[Any]:
        bound = _bound_connection.get()
        if bound is not None:
            yield _CallerOwnsTransaction(_sending_vectors_as_text(bound.connection.driver_connection))
            return
        # Reads outside a unit of work (mem0 never writes outside one: the service always binds).
        from agentic_shop.db.engine import get_engine

        with get_engine().connect() as connection:
            yield _sending_vectors_as_text(connection.connection.driver_connection)

    def close(self) -> None:
        pass  # the engine's pool belongs to the app


# mem0 reads these at import time: no PostHog events, no GitHub fetch, its files under var/.
os.environ["MEM0_TELEMETRY"] = "False"
os.environ.setdefault("MEM0_DIR", str(get_settings().var_dir / "mem0"))
import mem0  # noqa: E402
from mem0.embeddings.base import EmbeddingBase  # noqa: E402
from mem0.llms.base import LLMBase  # noqa: E402
from mem0.utils.factory import EmbedderFactory, LlmFactory  # noqa: E402

# spaCy is deliberately not installed (mem0 would try to download a model); say so once, quietly.
logging.getLogger("mem0.utils.spacy_models").setLevel(logging.ERROR)


class _VectorLiteral(list):
    """An embedding that psycopg sends in pgvector's own text form ("[0.1,0.2,...]"), which the server
    reads into a vector as mem0's `%s::vector` and inserts ask. As a plain list it goes as an array
    literal, dumped element by element (a regex each): ~1.5 ms of every memory search, against ~0.2."""


class _VectorLiteralDumper(Dumper):
    def dump(self, obj: list[float]) -> bytes:
        return ("[" + ",".join(map(str, obj)) + "]").encode()


def _sending_vectors_as_text(connection: psycopg.Connection) -> psycopg.Connection:
    """Per connection, not on psycopg's global adapters: a connection copies those when it opens, and
    the pool's first connections open (migrations, the first request) before this module is imported."""
    connection.adapters.register_dumper(_VectorLiteral, _VectorLiteralDumper)
    return connection


class ProjectEmbedding(EmbeddingBase):
    """The project's embedder (same model and dimension as the catalog), as mem0 expects it.

    One add embeds the same text up to three times (our consolidation lookup, mem0's insert, mem0's
    update of a superseded memory); every embedder caches `embed`, so that is one embedding.
    """

    def embed(self, text, memory_action=None):
        return _VectorLiteral(get_embedder().embed(text))

    def embed_batch(self, texts, memory_action="add"):
        return [_VectorLiteral(vector) for vector in get_embedder().embed_batch(list(texts))]


class ExtractionHappensElsewhere(LLMBase):
    def generate_response(self, messages, **kwargs):
        raise RuntimeError(
            "mem0 was asked to call an LLM; agentic_shop extracts facts itself"
            " (agentic_shop.memory.extraction)"
        )


EmbedderFactory.provider_to_class[PROVIDER] = f"{__name__}.ProjectEmbedding"
LlmFactory.register_provider(PROVIDER, f"{__name__}.ExtractionHappensElsewhere")


@lru_cache
def get_mem0() -> mem0.Memory:
    """The process's mem0 Memory over `mem0_chatstore` (created by migration 0003)."""
    from mem0.configs.base import MemoryConfig

    config = MemoryConfig(
        vector_store={
            "provider": "pgvector",
            "config": {
                "collection_name": COLLECTION,
                "embedding_model_dims": EMBEDDING_DIM,
                "connection_pool": SharedConnectionPool(),
                "hnsw": False,  # see migration 0003: the user_id btree serves every query
            },
        },
        # No `config` key: mem0 validates provider names only when one is given.
        embedder={"provider": PROVIDER},
        llm={"provider": PROVIDER},
        history_db_path=":memory:",
    )
    memory = mem0.Memory(config)
    memory.vector_store._collection_ensured = True  # the migration owns the table and its indexes
    return memory
