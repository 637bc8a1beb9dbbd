"""Browsing and semantic search over the catalog."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, text
from sqlmodel import Session

from agentic_shop.embeddings import Embedder
from agentic_shop.schemas import Category, Page, ProductCard, ProductDetail, Review, Variant
from agentic_shop.services.catalog_cache import kept

FIRST_IMAGE = "(SELECT url FROM product_images i WHERE i.product_id = p.id ORDER BY position, id LIMIT 1)"
# One round trip per page: the first image and whether any variant is in stock come along.
_CARD_COLUMNS = f"""
    p.id, p.name, p.category, p.brand, p.price, p.rating_avg, p.review_count, {FIRST_IMAGE} AS image_url,
    EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.in_stock) AS in_stock
"""


class NotFoundError(LookupError):
    """The thing asked for does not exist."""


@kept
def list_categories(session: Session) -> list[Category]:
    rows = session.execute(
        text("SELECT category, count(*) FROM products GROUP BY category ORDER BY category")
    ).all()
    return [Category(name=name, product_count=count) for name, count in rows]


@kept
def list_products(session: Session, category: str | None, page: int, page_size: int) -> Page[ProductCard]:
    where = "WHERE p.category = :category" if category else ""
    params = {"category": category, "limit": page_size, "offset": (page - 1) * page_size}
    total = session.execute(text(f"SELECT count(*) FROM products p {where}"), params).scalar_one()
    rows = (
        session.execute(
            text(f"""
        SELECT {_CARD_COLUMNS} FROM products p {where}
        ORDER BY p.review_count DESC, p.id LIMIT :limit OFFSET :offset
    """),
            params,
        )
        .mappings()
        .all()
    )
    return Page(items=[ProductCard(**row) for row in rows], total=total, page=page, page_size=page_size)


def browse(
    session: Session,
    embedder: Embedder,
    query: str | None,
    category: str | None,
    page: int,
    page_size: int,
    max_results: int,
) -> Page[ProductCard]:
    """What the catalog shows: search results when there is a query, else the category's products."""
    if query:
        return search_products(session, embedder, query, category, page, page_size, max_results)
    return list_products(session, category, page, page_size)


# Hybrid search: the nearest products by meaning (pgvector, cosine) and the best keyword matches
# (full text, any query word) are fused by reciprocal rank. Meaning alone lets "waterproof smartwatch"
# drift to waterproof speakers; keywords alone miss "a watch you can swim with".
_RRF_K = 60
_HYBRID_SEARCH = """
WITH q AS (
    SELECT CAST(:vector AS vector) AS v,
           -- any of the words, not all of them
           CAST(nullif(replace(CAST(plainto_tsquery('english', :query) AS text), '&', '|'), '')
                AS tsquery) AS t
), semantic AS (
    SELECT id, row_number() OVER (ORDER BY distance) AS rank FROM (
        SELECT p.id, p.embedding <=> q.v AS distance FROM products p, q
        WHERE p.embedding IS NOT NULL {where} ORDER BY p.embedding <=> q.v LIMIT :candidates
    ) nearest
), keyword AS (
    SELECT id, row_number() OVER (ORDER BY relevance DESC, id) AS rank FROM (
        SELECT p.id, ts_rank_cd(p.search_vector, q.t) AS relevance FROM products p, q
        WHERE p.search_vector @@ q.t {where} ORDER BY relevance DESC, p.id LIMIT :candidates
    ) matches
)
SELECT coalesce(s.id, k.id) AS id,
       coalesce(1.0 / (:k + s.rank), 0) + coalesce(1.0 / (:k + k.rank), 0) AS fused
FROM semantic s FULL OUTER JOIN keyword k ON k.id = s.id
ORDER BY fused DESC, id LIMIT :candidates
"""


def search_products(
    session: Session,
    embedder: Embedder,
    query: str,
    category: str | None,
    page: int,
    page_size: int,
    max_results: int,
) -> Page[ProductCard]:
    """Products for a free-text query, best first, at most `max_results` in all."""
    vector = embedder.embed(query)
    # A filtered HNSW scan can run dry before it finds enough rows of the category; iterative scans
    # keep walking the graph until the LIMIT is met (pgvector >= 0.8).
    session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    session.execute(text("SET LOCAL hnsw.ef_search = 100"))
    where = "AND p.category = :category" if category else ""
    ranked = session.execute(
        text(_HYBRID_SEARCH.format(where=where)),
        {"vector": str(vector), "query": query, "category": category, "candidates": max_results, "k": _RRF_K},
    ).all()
    best_possible = 2 / (_RRF_K + 1)  # first in both rankings
    window = ranked[(page - 1) * page_size : page * page_size]
    scores = {row.id: round(float(row.fused) / best_possible, 4) for row in window}
    cards = _cards_by_id(session, list(scores))
    items = [cards[pid].model_copy(update={"score": scores[pid]}) for pid in scores]
    return Page(items=items, total=len(ranked), page=page, page_size=page_size)


def _cards_by_id(session: Session, ids: list[int]) -> dict[int, ProductCard]:
    if not ids:
        return {}
    rows = (
        session.execute(text(f"SELECT {_CARD_COLUMNS} FROM products p WHERE p.id = ANY(:ids)"), {"ids": ids})
        .mappings()
        .all()
    )
    return {row["id"]: ProductCard(**row) for row in rows}


@kept
def get_product(session: Session, product_id: int) -> ProductDetail:
    product = (
        session.execute(
            text("""
        SELECT id, name, category, brand, price, description_html, specifications, rating_avg, review_count
        FROM products WHERE id = :id
    """),
            {"id": product_id},
        )
        .mappings()
        .one_or_none()
    )
    if product is None:
        raise NotFoundError(f"Product {product_id} not found")
    params = {"id": product_id}
    images = (
        session.execute(
            text("SELECT url FROM product_images WHERE product_id = :id ORDER BY position, id"), params
        )
        .scalars()
        .all()
    )
    features = (
        session.execute(
            text("""
        SELECT f.name FROM product_features pf JOIN features f ON f.id = pf.feature_id
        WHERE pf.product_id = :id ORDER BY f.name
    """),
            params,
        )
        .scalars()
        .all()
    )
    histogram = dict.fromkeys(range(5, 0, -1), 0)
    histogram.update(
        (rating, count)
        for rating, count in session.execute(
            text("SELECT rating, count(*) FROM reviews WHERE product_id = :id GROUP BY rating"), params
        )
    )
    return ProductDetail(
        **product,
        images=list(images),
        features=list(features),
        rating_histogram=histogram,
        variants=variants_of(session, [product_id]).get(product_id, []),
    )


def variants_of(db: Session | Connection, product_ids: list[int]) -> dict[int, list[Variant]]:
    """The products' variants with their attributes, in one query."""
    rows = db.execute(
        text("""
        SELECT v.product_id, v.id, v.price, v.in_stock, v.stock, a.name, a.value
        FROM variants v LEFT JOIN variant_attributes a ON a.variant_id = v.id
        WHERE v.product_id = ANY(:ids) ORDER BY v.id, a.id
    """),
        {"ids": list(product_ids)},
    ).all()
    attributes: dict[int, dict[str, str]] = defaultdict(dict)
    base: dict[int, tuple[int, dict]] = {}
    for pid, vid, price, in_stock, stock, name, value in rows:
        base.setdefault(vid, (pid, {"id": vid, "price": price, "in_stock": in_stock, "stock": stock}))
        if name is not None:
            attributes[vid][name] = value
    found: dict[int, list[Variant]] = defaultdict(list)
    for vid, (pid, fields) in base.items():
        found[pid].append(Variant(**fields, attributes=attributes[vid]))
    return found


@kept
def product_exists(session: Session, product_id: int) -> bool:
    return (
        session.execute(text("SELECT 1 FROM products WHERE id = :id"), {"id": product_id}).first() is not None
    )


@kept
def list_reviews(session: Session, product_id: int, page: int, page_size: int) -> Page[Review]:
    params = {"id": product_id, "limit": page_size, "offset": (page - 1) * page_size}
    if not product_exists(session, product_id):
        raise NotFoundError(f"Product {product_id} not found")
    total = session.execute(text("SELECT count(*) FROM reviews WHERE product_id = :id"), params).scalar_one()
    rows = (
        session.execute(
            text("""
        SELECT r.id, r.author, r.text, r.rating, r.review_date, f.name AS feature, r.sentiment
        FROM reviews r LEFT JOIN features f ON f.id = r.feature_id
        WHERE r.product_id = :id ORDER BY r.review_date DESC NULLS LAST, r.id LIMIT :limit OFFSET :offset
    """),
            params,
        )
        .mappings()
        .all()
    )
    return Page(items=[Review(**row) for row in rows], total=total, page=page, page_size=page_size)
