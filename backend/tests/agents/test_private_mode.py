"""Private mode over HTTP: the assistant stores nothing, the agents read no memories and nothing is
cached, the header shows it, and ending it (off, another shopper, Forget me) leaves nothing behind."""

from sqlalchemy import text

from agentic_shop.agents.assistant import prompts
from agentic_shop.agents.assistant.graph import thread_id
from tests.web.test_agent_pages import _login

WHITE = {"message": "From now on I only want white products"}


def _memories(client) -> list[str]:
    return sorted(m["memory"] for m in client.get("/api/v1/me/memories").json())


def _private(client, on: bool) -> dict:
    response = client.put("/api/v1/session/private", json={"on": on})
    assert response.status_code == 200
    return response.json()


def test_in_private_mode_nothing_is_stored_and_no_memory_is_read(client, db):
    _login(client, 2)
    before = _memories(client)
    remembered = client.post(
        "/api/v1/assistant", json={"message": "Is it available in black", "product_id": 1}
    )
    normal_conversation = remembered.json()["conversation_id"]
    assert client.get("/api/v1/session").json()["private"] is False

    assert _private(client, True)["private"] is True
    said = client.post("/api/v1/assistant", json=WHITE).json()
    assert said["reply"] == prompts.PRIVATE_NOT_REMEMBERED and said["remembered"] == []
    assert said["conversation_id"] != normal_conversation  # a conversation of its own
    asked = client.post("/api/v1/assistant", json={"message": "what do you know about me?"}).json()
    assert asked["reply"] == prompts.PRIVATE_NOT_READ
    assert asked["memories"] == []
    assert _memories(client) == before

    # The agents read nothing: no step used a memory, no reason names one, nothing is cached.
    section = client.get("/api/v1/products/1/personalization").json()
    summary = client.get("/api/v1/products/1/review-summary").json()
    listed = client.get("/api/v1/me/recommendations").json()
    assert not any(card["memories"] for card in section["cards"]) and not summary["focus"].get("because")
    assert not any(r.get("memory_id") for item in listed["items"] for r in item["reasons"])
    for result in (section, summary, listed):
        run = client.get(f"/api/v1/runs/{result['run_id']}").json()
        assert all(step["memories_used"] == [] for step in run["steps"]) and not result["cached"]
    assert not client.get("/api/v1/products/1/personalization").json()["cached"]
    cached = db.execute(text("SELECT count(*) FROM agent_cache WHERE user_id = '2'")).scalar_one()
    private_runs = db.execute(
        text("SELECT count(*) FROM agent_runs WHERE user_id = '2' AND private")
    ).scalar_one()
    assert private_runs == 6

    assert _private(client, False)["private"] is False
    assert (
        db.execute(text("SELECT count(*) FROM agent_runs WHERE user_id = '2' AND private")).scalar_one() == 0
    )
    threads = db.execute(
        text("SELECT count(*) FROM checkpoints WHERE thread_id = :t"),
        {"t": thread_id("2", said["conversation_id"])},
    ).scalar_one()
    assert threads == 0 and client.get(f"/api/v1/runs/{said['run_id']}").status_code == 404
    assert db.execute(text("SELECT count(*) FROM agent_cache WHERE user_id = '2'")).scalar_one() == cached
    # Back to the remembered conversation, and to remembering.
    back = client.post("/api/v1/assistant", json={"message": "and in blue?", "product_id": 1}).json()
    assert back["conversation_id"] == normal_conversation and back["route"] == "product_question"
    stored = client.post("/api/v1/assistant", json=WHITE).json()
    assert stored["remembered"] and "Prefers white color" in _memories(client)


def test_switching_shopper_ends_private_mode(client, db):
    _login(client, 2)
    _private(client, True)
    run_id = client.get("/api/v1/products/2/personalization").json()["run_id"]
    # Choosing the same shopper again is no switch: still on.
    assert client.post("/api/v1/session", json={"user_id": 2}).json()["private"] is True
    assert client.post("/api/v1/session", json={"user_id": 3}).json()["private"] is False
    assert (
        db.execute(text("SELECT count(*) FROM agent_runs WHERE id = :id"), {"id": run_id}).scalar_one() == 0
    )


def test_the_switch_in_the_pages_works_without_javascript(client):
    token = _login(client, 3)
    assert "private-label" not in client.get("/").text
    on = client.post("/private", data={"on": "true", "back": "/products/1", "csrf_token": token})
    assert on.status_code == 200 and str(on.url).endswith("/products/1")
    assert "private-label" in on.text and "Turn off" in on.text  # the header shows it on every page
    assert "Private mode is on" in client.get("/products/1/personalized").text
    assert "Private mode is on" in client.get("/for-you").text
    page = client.post("/assistant", data={"message": "I love teal", "csrf_token": token})
    assert prompts.PRIVATE_NOT_REMEMBERED.split(":")[0] in page.text
    assert "teal" not in " ".join(_memories(client)).lower()
    assert "private: erased when private mode ends" in client.get("/activity").text
    # Only a path of this site is a way back.
    off = client.post(
        "/private",
        data={"on": "false", "back": "//evil.example/x", "csrf_token": token},
        follow_redirects=False,
    )
    assert off.headers["location"] == "/memories"
    assert "private-label" not in client.get("/").text
    assert "private: erased" not in client.get("/activity").text
    assert client.post("/private", data={"on": "true"}).status_code == 403  # no token: refused


def test_private_mode_needs_a_shopper(client):
    assert client.put("/api/v1/session/private", json={"on": True}).status_code == 401
