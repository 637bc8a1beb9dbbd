"""Search relevance sanity on the seeded catalog: the examples shoppers actually type."""

import pytest

from agentic_shop.embeddings import get_embedder
from agentic_shop.services.catalog import search_products


def _top(db, query: str, n: int = 5, category: str | None = None):
    return search_products(db, get_embedder(), query, category, 1, n, max_results=48).items


@pytest.mark.parametrize(
    ("query", "categories"),
    [
        ("waterproof smartwatch", {"Smartwatches"}),
        ("headphones for the gym", {"Headphones", "Earbuds"}),
        ("running shoes with good cushioning", {"Running Shoes"}),
        ("espresso machine", {"Coffee Makers"}),
        ("laptop for programming", {"Laptops"}),
        ("bag for hiking trips", {"Backpacks"}),
        ("tablet for drawing with a pen", {"Tablets"}),
        ("step counter and sleep tracking", {"Fitness Trackers", "Smartwatches"}),
    ],
)
def test_top_results_are_from_the_right_categories(db, query, categories):
    top = _top(db, query)
    assert len(top) == 5
    share = sum(p.category in categories for p in top) / len(top)
    assert share >= 0.8, f"{query!r} -> {[p.name for p in top]}"


def test_waterproof_smartwatch_finds_water_resistant_watches(db):
    from agentic_shop.services.catalog import get_product

    top = _top(db, "waterproof smartwatch", n=3)
    assert all("Water Resistance" in get_product(db, p.id).features for p in top)


def test_category_filter_never_leaks_other_categories(db):
    top = _top(db, "headphones", n=10, category="Coffee Makers")
    assert top and {p.category for p in top} == {"Coffee Makers"}


def test_results_are_capped_and_paginated(db):
    first = search_products(db, get_embedder(), "gift", None, 1, 20, max_results=48)
    third = search_products(db, get_embedder(), "gift", None, 3, 20, max_results=48)
    assert first.total == 48 and len(first.items) == 20 and len(third.items) == 8
