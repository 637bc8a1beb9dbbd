"""Writes a validated catalog into the database, with embeddings, inside the caller's transaction.

Used by the seed migration (from `data/`) and by `shop data import-agenticshop` (replacing the catalog).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, insert, text
from tqdm import tqdm

from agentic_shop.catalog.reader import CatalogData
from agentic_shop.embeddings import Embedder
from agentic_shop.models import (
    Feature,
    Product,
    ProductFeature,
    ProductImage,
    Review,
    User,
    Variant,
    VariantAttribute,
)

# Children first, so deleting never trips a foreign key.
CATALOG_TABLES = (VariantAttribute, Variant, ProductImage, Review, ProductFeature, Feature, Product, User)
EMBED_CHUNK = 512
INSERT_CHUNK = 5000
_TAGS = re.compile(r"<[^>]+>")


def product_embedding_text(product: dict[str, Any], feature_names: Iterable[str]) -> str:
    """What a product 'means' for semantic search: name, category, brand, features, description."""
    description = " ".join(_TAGS.sub(" ", product["description_html"]).split())
    features = ", ".join(feature_names)
    return (
        f"{product['name']}. {product['category']} by {product['brand'] or 'unknown brand'}. "
        f"Features: {features}. {description}"
    )


def clear_catalog(connection: Connection) -> None:
    for model in CATALOG_TABLES:
        connection.execute(delete(model.__table__))


def load_catalog(
    connection: Connection,
    data: CatalogData,
    embedder: Embedder,
    progress: bool = True,
    embed_reviews: bool = True,
) -> None:
    """`embed_reviews=False` leaves review vectors empty (the agents benchmark's 500k reviews would take
    half an hour to embed and no agent reads them)."""
    feature_names = {row["id"]: row["name"] for row in data["features.csv"]}
    features_of: dict[int, list[str]] = defaultdict(list)
    for link in data["product_features.csv"]:
        features_of[link["product_id"]].append(feature_names[link["feature_id"]])

    products = data["products.csv"]
    product_texts = [product_embedding_text(p, features_of[p["id"]]) for p in products]
    _attach_embeddings(products, product_texts, embedder, "Embedding products", progress)
    reviews = data["product_reviews.csv"]
    if embed_reviews:
        _attach_embeddings(reviews, [r["text"] for r in reviews], embedder, "Embedding reviews", progress)
    for review in reviews:
        review["author"] = review["author"] or "Anonymous"

    _insert(connection, User, data["users.csv"])
    _insert(connection, Product, [{**p, "brand": p["brand"] or ""} for p in products])
    _insert(connection, Feature, data["features.csv"])
    # AgenticShop lists some links twice; the pair is the key here.
    links = {(row["product_id"], row["feature_id"]) for row in data["product_features.csv"]}
    _insert(connection, ProductFeature, [{"product_id": p, "feature_id": f} for p, f in sorted(links)])
    _insert(connection, Review, reviews)
    _insert(connection, ProductImage, _with_positions(data["product_images.csv"]))
    _insert(connection, Variant, [_variant(row) for row in data["variants.csv"]])
    _insert(
        connection,
        VariantAttribute,
        [
            {k: row[k] for k in ("id", "variant_id", "name", "value")}
            for row in data["variant_attributes.csv"]
        ],
    )
    refresh_product_ratings(connection)
    refresh_search_vectors(connection)
    _advance_id_sequences(connection)


def refresh_search_vectors(connection: Connection) -> None:
    """Keyword side of hybrid search; weights: name and category A, brand and features B, description C."""
    connection.execute(
        text("""
        UPDATE products p SET search_vector =
            setweight(to_tsvector('english', p.name || ' ' || p.category), 'A')
            || setweight(to_tsvector('english', p.brand || ' ' || coalesce(f.names, '')), 'B')
            || setweight(to_tsvector('english', regexp_replace(p.description_html, '<[^>]+>', ' ', 'g')), 'C')
        FROM products p2
        LEFT JOIN (SELECT pf.product_id, string_agg(ft.name, ' ') AS names
                   FROM product_features pf JOIN features ft ON ft.id = pf.feature_id
                   GROUP BY pf.product_id) f ON f.product_id = p2.id
        WHERE p2.id = p.id
    """)
    )


def refresh_product_ratings(connection: Connection) -> None:
    connection.execute(
        text("""
        UPDATE products p SET rating_avg = s.avg, review_count = s.n
        FROM (SELECT product_id, round(avg(rating)::numeric, 2) AS avg, count(*) AS n
              FROM reviews GROUP BY product_id) s
        WHERE s.product_id = p.id
    """)
    )


def _attach_embeddings(
    rows: list[dict[str, Any]], texts: list[str], embedder: Embedder, label: str, progress: bool
) -> None:
    with tqdm(total=len(texts), desc=label, unit="text", disable=not progress, leave=False) as bar:
        for start, chunk in _chunks(texts, EMBED_CHUNK):
            for offset, vector in enumerate(embedder.embed_batch(chunk)):
                rows[start + offset]["embedding"] = vector
                rows[start + offset]["embedding_model"] = embedder.model_id
            bar.update(len(chunk))


def _chunks(items: list[Any], size: int) -> Iterator[tuple[int, list[Any]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _insert(connection: Connection, model: type, rows: list[dict[str, Any]]) -> None:
    columns = set(model.__table__.columns.keys())
    for _, chunk in _chunks(rows, INSERT_CHUNK):
        connection.execute(
            insert(model.__table__), [{k: v for k, v in r.items() if k in columns} for r in chunk]
        )


def _with_positions(images: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[int, int] = defaultdict(int)
    out = []
    for image in images:
        out.append({**image, "position": seen[image["product_id"]]})
        seen[image["product_id"]] += 1
    return out


def _variant(row: dict[str, Any]) -> dict[str, Any]:
    flag = row["in_stock"]
    stock = row.get("stock") if isinstance(flag, bool) else flag
    # A count wins over a flag that contradicts it.
    in_stock = stock > 0 if stock is not None else flag
    return {**row, "in_stock": in_stock, "stock": stock}


def _advance_id_sequences(connection: Connection) -> None:
    # Rows came with explicit ids; later inserts must not collide with them.
    for model in CATALOG_TABLES:
        table = model.__table__.name
        if "id" not in model.__table__.columns or model is ProductFeature:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )
