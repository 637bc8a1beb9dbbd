"""The agents over HTTP: the shopper comes from the signed session only; runs are private."""

from fastapi.testclient import TestClient

from agentic_shop.main import app
from tests.agents.conftest import login


def test_without_a_session_the_agents_are_closed(client):
    for method, path in [
        ("GET", "/api/v1/me/recommendations"),
        ("GET", "/api/v1/products/1/personalization"),
        ("GET", "/api/v1/products/1/review-summary"),
        ("POST", "/api/v1/assistant"),
    ]:
        response = client.request(method, path, json={"message": "hi"}, headers={"X-User-Id": "2"})
        assert response.status_code == 401


def test_bad_input_gets_a_reason(daniel):
    assert daniel.get("/api/v1/products/999999/personalization").status_code == 404
    assert daniel.get("/api/v1/products/0/review-summary").status_code == 422
    assert daniel.post("/api/v1/assistant", json={"message": ""}).status_code == 422
    assert daniel.post("/api/v1/assistant", json={"message": "x" * 2001}).status_code == 422
    assert daniel.post("/api/v1/assistant", json={"message": "hi", "product_id": 999999}).status_code == 404
    assert daniel.get("/api/v1/me/recommendations?limit=0").status_code == 422


def test_a_conversation_remembers_and_follows_up(daniel):
    first = daniel.post(
        "/api/v1/assistant", json={"message": "Is this product available in black", "product_id": 1}
    )
    assert first.status_code == 200 and first.json()["reply"].startswith(
        "Yes: this headphone is available in Black"
    )
    follow = daniel.post("/api/v1/assistant", json={"message": "and in blue?", "product_id": 1}).json()
    assert follow["route"] == "product_question" and "not made in Blue" in follow["reply"]
    assert follow["conversation_id"] == first.json()["conversation_id"]
    nodes = [s["node"] for s in follow["steps"]]  # route and remember run side by side, in either order
    assert sorted(nodes[:2]) == ["remember", "route"] and nodes[2:] == ["product_question", "respond"]


def test_a_stated_preference_is_remembered_and_changes_the_page_at_once(daniel):
    before = daniel.get("/api/v1/products/1/personalization").json()
    assert daniel.get("/api/v1/products/1/personalization").json()["cached"]
    said = daniel.post("/api/v1/assistant", json={"message": "always show me if red is in stock"}).json()
    assert said["route"] == "preference" and said["remembered"][0]["event"] == "add"
    memories = [m["memory"] for m in daniel.get("/api/v1/me/memories").json()]
    assert "Always wants to see if red is in stock" in memories
    after = daniel.get("/api/v1/products/1/personalization").json()
    assert not after["cached"] and after["run_id"] != before["run_id"]
    lines = [line for card in after["cards"] for line in card["lines"]]
    assert any("red is in stock" in line.lower() and "Red" in line for line in lines)
    known = daniel.post("/api/v1/assistant", json={"message": "what do you know about me?"}).json()
    assert known["route"] == "memory_question" and "Always wants to see if red is in stock" in known["reply"]


def test_runs_are_visible_to_their_shopper_only(daniel):
    run_id = daniel.get("/api/v1/products/1/review-summary").json()["run_id"]
    run = daniel.get(f"/api/v1/runs/{run_id}").json()
    assert run["agent"] == "review_summarizer" and run["steps"][0]["node"] == "recall_memories"
    with TestClient(app) as other:
        login(other, 3)
        assert other.get(f"/api/v1/runs/{run_id}").status_code == 404
    assert daniel.get("/api/v1/runs/not-a-run").status_code == 404


def test_anything_else_gets_a_helpful_answer(daniel):
    reply = daniel.post("/api/v1/assistant", json={"message": "what's the weather like"}).json()
    assert reply["route"] == "other" and "I can search the catalog" in reply["reply"]
