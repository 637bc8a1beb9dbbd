"""The read-only "What the shop has learned" page and its reset (the agents' learning: tests/agents)."""

from sqlalchemy import text

from agentic_shop.agents import learning
from agentic_shop.settings import get_settings
from tests.web.test_agent_pages import _token


def _learned_item(db, shoppers):
    item = learning.Learned(
        "assistant", "term", "Shoppers who search for “commute shield” open products with Noise Cancellation",
        "commute shield", "Noise Cancellation", shoppers, 1.0, 0.65,
    )  # fmt: skip
    from agentic_shop.memory import store

    with store.bind(db.connection()):
        store.get_mem0().add(item.text, agent_id=item.agent_id, metadata=item.payload(), infer=False)


def test_the_page_lists_what_was_learned_with_counts_and_whether_it_is_used(client, db):
    assert "Nothing yet" in client.get("/learned").text
    _learned_item(db, shoppers=5)
    page = client.get("/learned").text
    assert "Shoppers who search for “commute shield” open products with Noise Cancellation" in page
    assert "<td>5</td>" in page and "100%" in page and "(vs 65%)" in page and "<td>yes</td>" in page
    db.execute(text("DELETE FROM mem0_chatstore WHERE payload->>'category' = 'learned'"))
    _learned_item(db, shoppers=2)
    assert f"not yet: 2 of {get_settings().learn_min_shoppers} shoppers" in client.get("/learned").text


def test_reset_forgets_it_only_where_the_demo_may_be_reset(client, db, monkeypatch):
    _learned_item(db, shoppers=5)
    token = _token(client)
    assert client.post("/learned/reset").status_code == 403  # no form token: a cross-site post
    monkeypatch.setattr(get_settings(), "demo_reset", False)
    assert client.post("/learned/reset", data={"csrf_token": token}).status_code == 403
    assert "Forget what was learned" not in client.get("/learned").text
    monkeypatch.setattr(get_settings(), "demo_reset", True)
    done = client.post("/learned/reset", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/learned"
    assert learning.learned(db.connection()) == []
