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
    with engine.begin() as connection:
        products = connection.execute(text(_STALE_PRODUCTS), params).mappings().all()
        reviews = connection.execute(text(_STALE_REVIEWS), params).all()
        # Shopper memories are searched with the same embedder, so they move too.
        memories = connection.execute(text(_STALE_MEMORIES), params).all()
        work = {
            "products": (
                _catalog_update("products"),
                [(p["id"], product_embedding_text(dict(p), p["features"])) for p in products],
            ),
            "reviews": (_catalog_update("reviews"), [(r.id, r.text) for r in reviews]),
            "memories": (_MEMORY_UPDATE, [(m.id, m.text) for m in memories]),
        }
        return {
            what: _write(connection, update, what, rows, embedder, progress)
            for what, (update, rows) in work.items()
        }


_STALE_MEMORIES = """
    SELECT id, payload->>'data' AS text FROM mem0_chatstore
    WHERE :everything OR payload->>'embedding_model' IS DISTINCT FROM :model ORDER BY id
"""
_MEMORY_UPDATE = text(
    "UPDATE mem0_chatstore SET vector = CAST(:vector AS vector),"
    " payload = jsonb_set(payload, '{embedding_model}', to_jsonb(CAST(:model AS text))) WHERE id = :id"
)


def _catalog_update(table: str):
    return text(
        f"UPDATE {table} SET embedding = CAST(:vector AS vector), embedding_model = :model WHERE id = :id"
    ).bindparams(bindparam("id", type_=Integer))


def _write(connection, update, what: str, rows: list[tuple], embedder: Embedder, progress: bool) -> int:
    """Embed the (id, text) rows in batches and store each vector, and the model, with `update`."""
    with tqdm(total=len(rows), desc=f"Re-embedding {what}", disable=not progress, leave=False) as bar:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            vectors = embedder.embed_batch([text_ for _, text_ in batch])
            connection.execute(
                update,
                [
                    {"id": id_, "vector": str(v), "model": embedder.model_id}
                    for (id_, _), v in zip(batch, vectors, strict=True)
                ],
            )
            bar.update(len(batch))
    return len(rows)
