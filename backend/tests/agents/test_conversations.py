"""Conversations end, leave one summary memory, and the assistant picks up from it on the next visit."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from agentic_shop.agents.assistant import prompts
from agentic_shop.agents.assistant.summary import short_name
from agentic_shop.main import app
from tests.agents.conftest import login


def _say(client, message, product_id=None):
    response = client.post("/api/v1/assistant", json={"message": message, "product_id": product_id})
    assert response.status_code == 200, response.text
    return response.json()


def _summaries(client):
    return [m for m in client.get("/api/v1/me/memories").json() if m["category"] == "summary"]


def _name(db, product_id):
    """The product as summaries name it ("Velvetone Nocturne 900")."""
    name = db.execute(text("SELECT name FROM products WHERE id = :id"), {"id": product_id}).scalar_one()
    return short_name(name)


def _headphones(db, count):
    return (
        db.execute(
            text("SELECT id FROM products WHERE category = 'Headphones' ORDER BY id LIMIT :n"), {"n": count}
        )
        .scalars()
        .all()
    )


def _comparison(client, db):
    """A conversation as a shopper has it: a search, two products asked about, a stated preference."""
    first, second = _headphones(db, 2)
    _say(client, "black headphones under $300")
    _say(client, "is this available in black?", first)
    _say(client, "what do reviewers complain about?", second)
    _say(client, "I prefer black")
    return first, second


def test_a_new_conversation_leaves_a_summary_of_the_last_one(daniel, db):
    first, second = _comparison(daniel, db)
    assert _summaries(daniel) == []
    assert daniel.delete("/api/v1/assistant/conversation").status_code == 204
    (summary,) = _summaries(daniel)
    assert summary["level"] == "session" and summary["source"] == "chat"
    text_ = summary["memory"]
    assert "Looked for black headphones under $300." in text_
    assert f"Compared the {_name(db, first)} and the {_name(db, second)}" in text_
    assert f"last looked at the {_name(db, second)}." in text_
    assert "Said: prefers black color." in text_
    assert summary["about"]["turns"] == 4 and summary["about"]["ended_by"] == "new"
    assert [p["id"] for p in summary["about"]["products"]][:2] == [first, second]
    # Long-term memories stay, and the summary is not one of them (agents' profiles read level user).
    levels = {m["memory"]: m["level"] for m in daniel.get("/api/v1/me/memories").json()}
    assert levels[summary["memory"]] == "session"


@pytest.mark.parametrize(
    "question",
    ["what did we talk about last time?", "continue where we left off", "remind me what I was looking at"],
)
def test_the_assistant_picks_up_from_the_last_conversation(daniel, db, question):
    first, second = _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    answer = _say(daniel, question)
    assert answer["route"] == "recall"
    (summary,) = _summaries(daniel)
    assert answer["reply"].startswith(f"Last time (today): {summary['memory']}")
    assert [p["id"] for p in answer["products"]][:2] == [first, second]
    run = daniel.get(f"/api/v1/runs/{answer['run_id']}").json()
    recall = next(s for s in run["steps"] if s["node"] == "recall")
    assert [m["id"] for m in recall["memories_used"]] == [summary["id"]]


def test_a_category_from_an_earlier_visit_finds_that_conversation(daniel, db):
    _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    _say(daniel, "any waterproof speakers?")
    daniel.delete("/api/v1/assistant/conversation")
    answer = _say(daniel, "the headphones from yesterday, which were they?")
    assert answer["route"] == "recall"
    assert "headphones" in answer["reply"] and answer["products"]
    assert {p["category"] for p in answer["products"]} == {"Headphones"}
    laptops = _say(daniel, "what was that laptop you showed me last time?")
    assert laptops["reply"].startswith("We have not talked about laptops before.")


def test_on_a_product_page_it_says_whether_that_product_came_up(daniel, db):
    first, _ = _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    seen = _say(daniel, "did I look at this one last time?", first)
    assert seen["route"] == "recall"
    assert seen["reply"].startswith(f"Yes, the {_name(db, first)} came up today")
    other = db.execute(text("SELECT id FROM products WHERE category = 'Laptops' LIMIT 1")).scalar_one()
    unseen = _say(daniel, "did I look at this one last time?", other)
    assert "did not come up in our earlier conversations" in unseen["reply"]


def test_an_idle_conversation_ends_by_itself(daniel, db):
    before = _say(daniel, "black headphones under $300")["conversation_id"]
    # The next message comes an hour later (CONVERSATION_IDLE_MINUTES is 30).
    db.execute(text("UPDATE conversations SET last_turn_at = last_turn_at - interval '1 hour'"))
    after = _say(daniel, "hello again")
    assert after["conversation_id"] != before
    (summary,) = _summaries(daniel)
    assert summary["about"]["ended_by"] == "idle" and "headphones" in summary["memory"]


def test_a_conversation_is_summarized_once_and_a_deleted_summary_stays_deleted(daniel, db):
    _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    (summary,) = _summaries(daniel)
    assert daniel.delete(f"/api/v1/me/memories/{summary['id']}").status_code == 204
    daniel.delete("/api/v1/assistant/conversation")
    db.execute(text("UPDATE conversations SET last_turn_at = last_turn_at - interval '1 day'"))
    _say(daniel, "hi")
    assert _summaries(daniel) == []


def test_small_talk_leaves_no_summary_and_private_turns_are_never_summarized(daniel, db):
    _say(daniel, "hi there")
    daniel.delete("/api/v1/assistant/conversation")
    assert _summaries(daniel) == []
    assert daniel.put("/api/v1/session/private", json={"on": True}).status_code == 200
    _say(daniel, "black headphones under $300")
    assert daniel.put("/api/v1/session/private", json={"on": False}).status_code == 200
    daniel.delete("/api/v1/assistant/conversation")
    assert _summaries(daniel) == []


def test_summaries_are_the_shoppers_own_and_forget_me_erases_them(daniel, db):
    _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    assert len(_summaries(daniel)) == 1
    with TestClient(app) as other:
        login(other, 3)
        answer = _say(other, "what did we talk about last time?")
        assert answer["reply"] == prompts.NO_EARLIER_CONVERSATION and not answer.get("products")
    assert daniel.delete("/api/v1/me/memories").status_code == 200
    assert _summaries(daniel) == []
    left = db.execute(text("SELECT count(*) FROM conversations WHERE user_id = 2")).scalar_one()
    assert left == 0


def test_the_product_page_mentions_what_it_was_compared_with(daniel, db):
    first, second = _comparison(daniel, db)
    daniel.delete("/api/v1/assistant/conversation")
    section = daniel.get(f"/api/v1/products/{second}/personalization").json()
    (card,) = [c for c in section["cards"] if c["title"] == "From your last visit"]
    assert card["lines"] == [f"You were comparing this with the {_name(db, first)} (today)."]
    run = daniel.get(f"/api/v1/runs/{section['run_id']}").json()
    used = {m["id"] for step in run["steps"] for m in step["memories_used"]}
    assert _summaries(daniel)[0]["id"] in used


def test_with_an_llm_the_summary_is_its_wording_unless_it_is_not_grounded(daniel, db, monkeypatch):
    from agentic_shop.llm.stub_server import stub_chat_server
    from agentic_shop.services import conversations
    from tests.conftest import chat_model

    with stub_chat_server() as server:
        monkeypatch.setattr(conversations, "get_llm", lambda: chat_model(server.url, timeout=3))
        first, second = _comparison(daniel, db)
        written = f"Compared the {_name(db, first)} and the {_name(db, second)}; leaning to the first."
        server.reply_json({"summary": written})
        daniel.delete("/api/v1/assistant/conversation")
        assert [s["memory"] for s in _summaries(daniel)] == [written]
        (request,) = server.requests
        assert "black headphones under $300" in request["messages"][1]["content"]
        # An invented number and a link: not kept, the offline summary is.
        _say(daniel, "any waterproof speakers?")
        server.reply_json({"summary": "Bought 7 speakers at http://deals.example today."})
        daniel.delete("/api/v1/assistant/conversation")
        newest = _summaries(daniel)[0]["memory"]
        assert newest.startswith("Looked for") and "deals" not in newest
