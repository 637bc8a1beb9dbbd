"""What /healthz reports: is the database reachable and migrated, and does the embedder work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from agentic_shop.db.migrations import current_revision, head_revision
from agentic_shop.embeddings import EmbeddingError, get_embedder

_STALE_VECTORS = """
    SELECT (SELECT count(*) FROM products WHERE embedding_model IS DISTINCT FROM :model)
         + (SELECT count(*) FROM reviews WHERE embedding_model IS DISTINCT FROM :model)
"""


def database_status(session: Session, embedding_model: str | None) -> dict[str, Any]:
    """`embedding_model` None (the embedder is broken): vectors cannot be judged stale or not."""
    try:
        connection = session.connection()
        revision = current_revision(connection)
        products = session.execute(text("SELECT count(*) FROM products")).scalar_one() if revision else 0
        stale = (
            session.execute(text(_STALE_VECTORS), {"model": embedding_model}).scalar_one()
            if revision and embedding_model
            else 0
        )
        pgvector = session.execute(
            text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        ).scalar()
    except SQLAlchemyError as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    head = head_revision()
    problems = []
    if revision != head:
        problems.append("database is not migrated: run `shop migrate`")
    if stale:
        problems.append(f"{stale} vectors were made by another embedding model: run `shop reindex`")
    return {
        "ok": not problems,
        "revision": revision,
        "head": head,
        "pgvector": pgvector,
        "products": products,
        "stale_vectors": stale,
        **({"error": "; ".join(problems)} if problems else {}),
    }


def embedder_status() -> dict[str, Any]:
    try:
        embedder = get_embedder()
        dim = len(embedder.embed("health check"))
    except EmbeddingError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": dim == embedder.dim, "model": embedder.model_id, "dim": dim}
