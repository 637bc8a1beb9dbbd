"""Catalog reads kept a few seconds per process: the same answer without the queries, per database,
gone after the time or a reset, and never an error kept."""

import pytest
from sqlalchemy import event, text

from agentic_shop.services import catalog, catalog_cache, demo_reset
from agentic_shop.services.catalog import NotFoundError
from agentic_shop.settings import get_settings


@pytest.fixture
def keeping(monkeypatch):
    monkeypatch.setattr(get_settings(), "catalog_cache_s", 60.0)
    catalog_cache.forget()
    yield
    catalog_cache.forget()


def _queries(db) -> list[str]:
    seen: list[str] = []
    event.listen(db.connection(), "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_second_read_asks_the_database_nothing(db, keeping):
    first = catalog.get_product(db, 1)
    seen = _queries(db)
    assert catalog.get_product(db, 1) == first
    assert catalog.list_reviews(db, 1, 1, 8) == catalog.list_reviews(db, 1, 1, 8)
    assert len(seen) == 3  # the reviews page once (exists, count, page); the product not at all


def test_what_is_kept_expires(db, keeping, monkeypatch):
    before = catalog.get_product(db, 1).name
    db.execute(text("UPDATE products SET name = 'Renamed for the test' WHERE id = 1"))
    assert catalog.get_product(db, 1).name == before  # kept
    monkeypatch.setattr(get_settings(), "catalog_cache_s", 0.0)  # as if the time had passed
    assert catalog.get_product(db, 1).name == "Renamed for the test"


def test_a_demo_reset_forgets_at_once(db, keeping, monkeypatch):
    from agentic_shop.db import migrations

    catalog.list_categories(db)
    assert catalog_cache._entries
    monkeypatch.setattr(migrations, "reset", lambda: None)  # the reset itself: tests/web/test_reset_pages.py
    demo_reset._reset_database()
    assert not catalog_cache._entries


def test_a_missing_product_is_not_kept(db, keeping):
    with pytest.raises(NotFoundError):
        catalog.get_product(db, 999_999)
    assert not any(key[0] == "get_product" for key in catalog_cache._entries)


def test_each_database_keeps_its_own(db, keeping, scratch_database):
    from sqlmodel import Session

    catalog.list_categories(db)
    with Session(scratch_database) as other:
        other.execute(text("CREATE TABLE products (category text)"))
        assert catalog.list_categories(other) == []


def test_kept_pages_of_the_catalog_stay_apart(client, keeping):
    every = client.get("/").text
    headphones = client.get("/", params={"category": "Headphones"}).text
    second = client.get("/", params={"page": 2}).text
    searched = client.get("/", params={"q": "waterproof smartwatch"}).text
    assert client.get("/").text == every  # the same page, from what was kept
    assert "in <strong>Headphones</strong>" in headphones and "in <strong>" not in every
    assert "Page 2 of" in second and "Page 1 of" in every
    assert "matching <strong>“waterproof smartwatch”</strong>" in searched
