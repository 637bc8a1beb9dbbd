"""`shop reindex`: recompute embeddings made by another model (after switching EMBEDDING_PROVIDER)."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, text
from sqlalchemy.types import Integer
from tqdm import tqdm

from agentic_shop.catalog.loader import product_embedding_text
from agentic_shop.embeddings import Embedder

BATCH = 256

_STALE_PRODUCTS = """
    SELECT p.id, p.name, p.category, p.brand, p.description_html,
           coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE f.name IS NOT NULL), '{}') AS features
    FROM products p
    LEFT JOIN product_features pf ON pf.product_id = p.id LEFT JOIN features f ON f.id = pf.feature_id
    WHERE :everything OR p.embedding IS NULL OR p.embedding_model IS DISTINCT FROM :model
    GROUP BY p.id ORDER BY p.id
"""
_STALE_REVIEWS = """
    SELECT id, text FROM reviews
    WHERE :everything OR embedding IS NULL OR embedding_model IS DISTINCT FROM :model ORDER BY id
"""


def reindex(
    engine: Engine, embedder: Embedder, everything: bool = False, progress: bool = True
) -> dict[str, int]:
    params = {"everything": everything, "model": embedder.model_id}
    counts = {}
    with engine.begin() as connection:
        products = connection.execute(text(_STALE_PRODUCTS), params).mappings().all()
        texts = [product_embedding_text(dict(p), p["features"]) for p in products]
        counts["products"] = _write(
            connection, "products", [p["id"] for p in products], texts, embedder, progress
        )
        reviews = connection.execute(text(_STALE_REVIEWS), params).all()
        counts["reviews"] = _write(
            connection, "reviews", [r.id for r in reviews], [r.text for r in reviews], embedder, progress
        )
        counts["memories"] = _write_memories(connection, embedder, everything, progress)
    return counts


_STALE_MEMORIES = """
    SELECT id, payload->>'data' AS text FROM mem0_chatstore
    WHERE :everything OR payload->>'embedding_model' IS DISTINCT FROM :model ORDER BY id
"""


def _write_memories(connection, embedder: Embedder, everything: bool, progress: bool) -> int:
    """Shopper memories (mem0_chatstore) are searched with the same embedder, so they move too."""
    rows = connection.execute(
        text(_STALE_MEMORIES), {"everything": everything, "model": embedder.model_id}
    ).all()
    update = text(
        "UPDATE mem0_chatstore SET vector = CAST(:vector AS vector),"
        " payload = jsonb_set(payload, '{embedding_model}', to_jsonb(CAST(:model AS text))) WHERE id = :id"
    )
    with tqdm(total=len(rows), desc="Re-embedding memories", disable=not progress, leave=False) as bar:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            vectors = embedder.embed_batch([row.text for row in batch])
            connection.execute(
                update,
                [
                    {"id": row.id, "vector": str(v), "model": embedder.model_id}
                    for row, v in zip(batch, vectors, strict=True)
                ],
            )
            bar.update(len(batch))
    return len(rows)


def _write(
    connection, table: str, ids: list[int], texts: list[str], embedder: Embedder, progress: bool
) -> int:
    update = text(
        f"UPDATE {table} SET embedding = CAST(:vector AS vector), embedding_model = :model WHERE id = :id"
    ).bindparams(bindparam("id", type_=Integer))
    with tqdm(total=len(ids), desc=f"Re-embedding {table}", disable=not progress, leave=False) as bar:
        for start in range(0, len(ids), BATCH):
            vectors = embedder.embed_batch(texts[start : start + BATCH])
            connection.execute(
                update,
                [
                    {"id": i, "vector": str(v), "model": embedder.model_id}
                    for i, v in zip(ids[start : start + BATCH], vectors, strict=True)
                ],
            )
            bar.update(len(vectors))
    return len(ids)
