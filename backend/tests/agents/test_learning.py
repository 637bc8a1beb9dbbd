"""Agent-level memory: what the agents learn from all shoppers, without anyone's identity or words."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from agentic_shop.agents import learning
from agentic_shop.main import app
from agentic_shop.understanding.lexicon import vocabulary
from tests.agents.conftest import login

TERM = "commute shield"  # names no catalog feature
SEARCH = f"headphones with {TERM}"


def _noise_cancelling_headphones(db, count):
    return (
        db.execute(
            text("""
        SELECT p.id FROM products p
        JOIN product_features pf ON pf.product_id = p.id JOIN features f ON f.id = pf.feature_id
        WHERE p.category = 'Headphones' AND f.name = 'Noise Cancellation' ORDER BY p.id LIMIT :n
    """),
            {"n": count},
        )
        .scalars()
        .all()
    )


def _shopper(user_id):
    client = TestClient(app)
    client.__enter__()
    login(client, user_id)
    return client


@pytest.fixture
def shoppers(db):
    from agentic_shop.db.engine import get_session

    app.dependency_overrides[get_session] = lambda: db
    made = {}

    def get(user_id):
        if user_id not in made:
            made[user_id] = _shopper(user_id)
        return made[user_id]

    yield get
    for client in made.values():
        client.__exit__(None, None, None)
    app.dependency_overrides.clear()


def _search_then_open(client, db, products):
    assert client.post("/api/v1/assistant", json={"message": SEARCH}).status_code == 200
    for product_id in products:
        assert client.get(f"/api/v1/products/{product_id}/personalization").status_code == 200


def _teach(shoppers, db, users=(3, 4, 5)):
    """Shoppers search with the phrase, then each opens two of three noise-cancelling headphones."""
    products = _noise_cancelling_headphones(db, 3)
    for n, user_id in enumerate(users):
        _search_then_open(shoppers(user_id), db, [products[n % 3], products[(n + 1) % 3]])


def _relearn(db):
    return learning.relearn(db.connection(), vocabulary(db.connection()))


def test_a_term_shoppers_use_is_learned_from_what_they_open_and_then_used(shoppers, db):
    _teach(shoppers, db)
    (item,) = [i for i in _relearn(db) if i.kind == "term"]
    assert (item.key, item.feature, item.shoppers, item.in_use) == (TERM, "Noise Cancellation", 3, True)
    assert item.confidence == 1.0 and item.base < 0.8  # every opened one has it; far from all headphones do
    answer = shoppers(6).post("/api/v1/assistant", json={"message": SEARCH}).json()
    assert "noise cancellation" in answer["reply"].lower()
    assert f"Shoppers who search for “{TERM}”" in answer["reply"]


def test_below_the_minimum_count_nothing_is_used(shoppers, db):
    _teach(shoppers, db, users=(3, 4))
    (item,) = [i for i in _relearn(db) if i.kind == "term"]
    assert item.shoppers == 2 and not item.in_use
    answer = shoppers(6).post("/api/v1/assistant", json={"message": SEARCH}).json()
    assert "Shoppers who search for" not in answer["reply"]


def test_what_shoppers_ask_about_most_leads_a_summary_for_a_shopper_with_no_focus(shoppers, db):
    product = _noise_cancelling_headphones(db, 1)[0]
    # The feature its reviewers discuss least: a summary would not lead with it unless asked to.
    rare = db.execute(
        text("""
        SELECT f.name FROM reviews r JOIN features f ON f.id = r.feature_id WHERE r.product_id = :id
        GROUP BY f.name ORDER BY count(*), f.name LIMIT 1
    """),
        {"id": product},
    ).scalar_one()
    for user_id in (3, 4, 5):
        asked = {"message": f"how is the {rare.lower()}?", "product_id": product}
        assert shoppers(user_id).post("/api/v1/assistant", json=asked).json()["route"] == "product_question"
    focus = [i for i in _relearn(db) if i.kind == "focus"]
    assert (focus[0].key, focus[0].feature, focus[0].shoppers) == ("Headphones", rare, 3)
    newcomer = shoppers(7)
    assert newcomer.delete("/api/v1/me/memories").status_code == 200  # no stated focus at all
    summary = newcomer.get(f"/api/v1/products/{product}/review-summary").json()
    run = newcomer.get(f"/api/v1/runs/{summary['run_id']}").json()
    chosen = next(s for s in run["steps"] if s["node"] == "choose_focus")["output"]["focus"]
    assert chosen["features"][0] == rare
    assert chosen["because"] == "what shoppers ask about most for headphones"


def test_agent_memories_hold_no_shopper_id_name_or_message(shoppers, db):
    products = _noise_cancelling_headphones(db, 2)
    for user_id in (3, 4, 5):
        _search_then_open(shoppers(user_id), db, products)
        shoppers(user_id).post(
            "/api/v1/assistant", json={"message": "how is the battery life?", "product_id": products[0]}
        )
    assert _relearn(db)
    rows = (
        db.execute(text("SELECT payload FROM mem0_chatstore WHERE payload->>'category' = 'learned'"))
        .scalars()
        .all()
    )
    assert rows
    names = db.execute(text("SELECT first_name, last_name FROM users")).all()
    for payload in rows:
        assert (
            "user_id" not in payload
            and payload["level"] == "agent"
            and payload["agent_id"] in learning.AGENTS
        )
        dumped = json.dumps(payload, ensure_ascii=False)
        assert SEARCH not in dumped and "how is the battery life" not in dumped
        assert not [name for name in names if name.first_name in dumped or name.last_name in dumped]


def test_reset_forgets_and_learning_starts_again_from_new_traces(shoppers, db):
    _teach(shoppers, db)
    assert _relearn(db)
    assert learning.reset(db.connection()) > 0
    assert learning.learned(db.connection()) == []
    assert [i for i in _relearn(db) if i.kind == "term"] == []  # the traces before the reset do not count
