"""The request's own database session (db/engine.get_session, not the tests' rolled-back one): every
connection a request takes goes back to the pool, whether the request queried or not."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from agentic_shop.deps import memory_service
from agentic_shop.main import app

# Pages and API calls, as a shopper and as nobody: some query (the sign-in, a search), some are
# answered from the catalog cache without a connection.
_PATHS = ["/", "/products/1", "/api/v1/products", "/?q=headphones", "/api/v1/session", "/memories"]


def test_every_connection_a_request_takes_is_given_back(engine):
    pool = engine.pool
    before = pool.checkedout()
    with TestClient(app) as anonymous, TestClient(app) as shopper:
        assert shopper.post("/api/v1/session", json={"user_id": 2}).status_code == 200
        for _ in range(3):
            for path in _PATHS:
                for client in (anonymous, shopper):
                    assert client.get(path).status_code < 500
                    assert pool.checkedout() == before, path
        assert shopper.get("/api/v1/session").json()["shopper"]["id"] == 2  # signed in all along


def test_asking_who_is_signed_in_opens_no_transaction(engine):
    """The sign-in lookup most requests make is one autocommit read (services/shopper_sessions._read):
    a request that asks nothing else takes no connection from the transactional pool."""
    checkouts: list[str] = []

    def count(*_):
        checkouts.append("checkout")

    with TestClient(app) as shopper:
        assert shopper.post("/api/v1/session", json={"user_id": 3}).status_code == 200
        event.listen(engine, "checkout", count)
        try:
            assert shopper.get("/api/v1/session").json()["shopper"]["id"] == 3
            assert checkouts == []
            assert shopper.delete("/api/v1/session").status_code == 204  # a write: a transaction
            assert checkouts
        finally:
            event.remove(engine, "checkout", count)
        assert shopper.get("/api/v1/session").json()["shopper"] is None  # revoked at once


def test_a_cached_agent_answer_on_a_kept_product_opens_no_transaction(engine, monkeypatch):
    """A product page's personalized section, answered from the agents' cache for a product the
    catalog cache holds: who is signed in and the cached answer are two autocommit reads."""
    from agentic_shop.services import catalog_cache
    from agentic_shop.settings import get_settings

    monkeypatch.setattr(get_settings(), "catalog_cache_s", 60.0)
    catalog_cache.forget()
    checkouts: list[str] = []

    def count(*_):
        checkouts.append("checkout")

    try:
        with TestClient(app) as shopper:
            assert shopper.post("/api/v1/session", json={"user_id": 4}).status_code == 200
            first = shopper.get("/products/3/personalized")  # computed, cached, committed
            assert first.status_code == 200
            event.listen(engine, "checkout", count)
            try:
                again = shopper.get("/products/3/personalized")
            finally:
                event.remove(engine, "checkout", count)
            assert again.status_code == 200 and "cached" in again.text
            run = re.search(r'href="(/runs/[^"]+)"', first.text).group(1)
            assert run in again.text  # the same answer, not another run
            assert checkouts == []
    finally:
        catalog_cache.forget()


def test_the_request_memory_service_outlives_a_commit_in_the_route(engine):
    """A route that commits before it reads memories (the memory page ends an idle conversation
    first) must not find the memory service's connection closed."""
    with Session(engine) as session:
        memory = memory_service(session)
        before = memory.get_all("1")
        session.commit()  # ends the transaction and gives its connection back
        after = memory.get_all("1")  # raised ResourceClosedError: the page answered 500
    assert before and [m.id for m in after] == [m.id for m in before]
