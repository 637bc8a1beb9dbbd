"""The current shopper's memories over HTTP: only the session's sign-in says who that is."""

import json
import uuid
from base64 import b64encode

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from agentic_shop.main import app
from tests.web.test_agent_pages import _token


def _login(client, user_id: int) -> None:
    response = client.post("/api/v1/session", json={"user_id": user_id})
    assert response.status_code == 200 and response.json()["shopper"]["id"] == user_id


@pytest.fixture
def maya(client):
    _login(client, 1)
    return client


@pytest.fixture
def daniel(client):  # a second browser, same app and rolled-back database
    with TestClient(app) as other:
        _login(other, 2)
        yield other


def test_session_start_read_and_end(client):
    assert client.get("/api/v1/session").json() == {"shopper": None, "private": False}
    assert client.post("/api/v1/session", json={"user_id": 999}).status_code == 404
    assert client.post("/api/v1/session", json={"user_id": "x"}).status_code == 422
    _login(client, 3)
    assert client.get("/api/v1/me").json()["id"] == 3
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_without_a_session_memories_are_closed(client):
    for method, path in [
        ("get", ""),
        ("get", "/search?q=red"),
        ("post", ""),
        ("delete", ""),
        ("get", "/export"),
    ]:
        response = client.request(method.upper(), f"/api/v1/me/memories{path}", json={"text": "I like red"})
        assert response.status_code == 401 and "POST /api/v1/session" in response.json()["detail"]


def test_forged_ids_in_headers_or_query_are_ignored(maya):
    listed = maya.get("/api/v1/me/memories?user_id=2", headers={"X-User-Id": "2"}).json()
    assert listed and {m["user_id"] for m in listed} == {"1"}
    # A cookie claiming shopper 2, signed with another key, is no session at all.
    forged = TimestampSigner("not-the-secret").sign(b64encode(json.dumps({"user_id": 2}).encode()))
    maya.cookies.clear()
    maya.cookies.set("session", forged.decode())
    assert maya.get("/api/v1/me/memories").status_code == 401


def test_see_add_correct_search_and_delete(maya):
    seeded = maya.get("/api/v1/me/memories").json()
    assert "Prefers black color" in {m["memory"] for m in seeded}

    added = maya.post("/api/v1/me/memories", json={"text": "I love red"})
    assert added.status_code == 201
    assert [(c["event"], c["memory"]) for c in added.json()] == [
        ("add", "Prefers red color"),
        ("supersede", "Prefers black color"),
    ]
    red = added.json()[0]["id"]
    found = maya.get("/api/v1/me/memories/search", params={"q": "favourite color", "limit": 1}).json()
    assert found[0]["memory"] == "Prefers red color" and found[0]["score"] > 0

    corrected = maya.patch(f"/api/v1/me/memories/{red}", json={"text": "Prefers dark red color"})
    assert corrected.status_code == 200 and corrected.json()[0]["previous"] == "Prefers red color"
    history = maya.get(f"/api/v1/me/memories/{red}/history").json()
    assert [e["event"] for e in history] == ["add", "update"] and {e["source"] for e in history} == {"api"}

    assert maya.delete(f"/api/v1/me/memories/{red}").status_code == 204
    assert maya.delete(f"/api/v1/me/memories/{red}").status_code == 404

    exported = maya.get("/api/v1/me/memories/export")
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.json()["user_id"] == "1"


def test_another_shoppers_memory_answers_like_a_missing_one(maya, daniel):
    mine = maya.get("/api/v1/me/memories").json()[0]["id"]
    missing = str(uuid.uuid4())
    for method, suffix, body in [
        ("GET", "/history", None),
        ("PATCH", "", {"text": "x y"}),
        ("DELETE", "", None),
    ]:
        foreign = daniel.request(method, f"/api/v1/me/memories/{mine}{suffix}", json=body)
        absent = daniel.request(method, f"/api/v1/me/memories/{missing}{suffix}", json=body)
        assert foreign.status_code == absent.status_code == 404
        assert foreign.json()["detail"] == absent.json()["detail"].replace(missing, mine)
    assert mine in {m["id"] for m in maya.get("/api/v1/me/memories").json()}
    assert all(m["user_id"] == "2" for m in daniel.get("/api/v1/me/memories/search?q=black&limit=50").json())
    assert daniel.delete("/api/v1/me/memories/not-a-uuid").status_code == 404


def test_forget_me_erases_only_my_memories(maya, daniel):
    assert maya.delete("/api/v1/me/memories").json()["erased"] > 0
    assert maya.get("/api/v1/me/memories").json() == []
    assert daniel.get("/api/v1/me/memories").json() != []


def test_bad_memory_text_is_a_422(maya):
    assert maya.post("/api/v1/me/memories", json={"text": ""}).status_code == 422
    assert maya.post("/api/v1/me/memories", json={"text": "x" * 2001}).status_code == 422
    assert maya.get("/api/v1/me/memories/search", params={"q": "red", "limit": 0}).status_code == 422


@pytest.fixture
def llm_server():
    from agentic_shop.llm.stub_server import stub_chat_server

    with stub_chat_server() as server:
        yield server


@pytest.fixture
def with_llm(maya, db, llm_server):
    """The memory API with an LLM configured: the stub server, scripted per test."""
    from agentic_shop.deps import memory_service
    from agentic_shop.memory.service import MemoryService
    from tests.conftest import chat_model

    app.dependency_overrides[memory_service] = lambda: MemoryService(
        connection=db.connection(), llm=chat_model(llm_server.url, timeout=1)
    )
    yield llm_server
    app.dependency_overrides.pop(memory_service)


def test_the_api_says_who_read_the_words(maya):
    added = maya.post("/api/v1/me/memories", json={"text": "I prefer teal"})
    assert added.status_code == 201 and added.headers["X-Memory-Engine"] == "offline"
    assert "X-Memory-Fallback" not in added.headers  # offline by choice: nothing fell back


def test_the_api_says_when_the_llm_was_used(with_llm, maya):
    with_llm.reply_json({"facts": [{"text": "Prefers teal color", "category": "color", "scope": "user"}]})
    added = maya.post("/api/v1/me/memories", json={"text": "teal is the one"})
    assert added.headers["X-Memory-Engine"] == "llm" and "X-Memory-Fallback" not in added.headers
    assert "Prefers teal color" in [c["memory"] for c in added.json()]


@pytest.mark.parametrize(
    "script, why",
    [
        (lambda f: f.reply_status(500), ""),
        (lambda f: f.reply_text("Sure! Teal, got it 🎉\nanything else?"), ""),
        (lambda f: f.reply_slowly(3, {"facts": []}), "did not answer in time"),
    ],
    ids=["http-500", "garbage", "too-slow"],
)
def test_the_api_says_when_and_why_the_llm_fell_back(with_llm, maya, script, why):
    script(with_llm)
    added = maya.post("/api/v1/me/memories", json={"text": "I prefer teal"})
    assert added.status_code == 201 and added.headers["X-Memory-Engine"] == "offline"
    reason = added.headers["X-Memory-Fallback"]
    assert why in reason and reason.isascii() and "\n" not in reason
    assert "Prefers teal color" in [c["memory"] for c in added.json()]  # the offline engine's reading


def test_the_memory_page_says_the_llm_was_not_used(with_llm, maya):
    with_llm.reply_status(500)
    token = _token(maya)
    page = maya.post(
        "/memories", data={"text": "I prefer teal", "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert "Added “Prefers teal color”" in page.text
    assert "Read by the shop's offline engine: the LLM's answer was not used" in page.text
