"""Sign-ins live on the server: leaving, switching shopper and "Forget me" end them, so a copy of the
cookie taken before (another tab's, a stolen one) no longer names anyone."""

import base64
import hashlib
import json

from sqlalchemy import text

from tests.web.test_agent_pages import _login, _token


def _copy(client) -> str:
    return client.cookies["session"]


def _who(client, cookie: str) -> int:
    """What the API answers to someone presenting `cookie` (and only it)."""
    client.cookies.clear()
    client.cookies.set("session", cookie)
    return client.get("/api/v1/me").status_code


def test_leaving_ends_the_sign_in_for_every_copy_of_the_cookie(client):
    token = _login(client, 1)
    before = _copy(client)
    assert _who(client, before) == 200
    assert client.post("/shoppers/leave", data={"csrf_token": token}).status_code == 200
    assert _who(client, before) == 401


def test_the_api_logout_ends_it_too(client):
    assert client.post("/api/v1/session", json={"user_id": 2}).status_code == 200
    before = _copy(client)
    assert client.delete("/api/v1/session").status_code == 204
    assert _who(client, before) == 401


def test_switching_shopper_ends_the_previous_sign_in(client):
    token = _login(client, 1)
    as_maya = _copy(client)
    client.post("/shoppers/select", data={"user_id": 2, "csrf_token": token})
    assert client.get("/api/v1/me").json()["id"] == 2
    assert _who(client, as_maya) == 401


def test_forget_me_signs_out_everywhere_but_here(client):
    from fastapi.testclient import TestClient

    from agentic_shop.main import app

    token = _login(client, 3)
    with TestClient(app) as other_device:
        _login(other_device, 3)
        copied = _copy(client)
        assert client.post("/memories/forget", data={"csrf_token": token}).status_code == 200
        assert client.get("/api/v1/me").json()["id"] == 3  # this browser carries on, with a new sign-in
        assert other_device.get("/api/v1/me").status_code == 401
        assert _who(other_device, copied) == 401


def test_the_api_erase_signs_out_other_clients_and_erases_conversations(client, db):
    from fastapi.testclient import TestClient

    from agentic_shop.main import app

    client.post("/api/v1/session", json={"user_id": 4})
    with TestClient(app) as other_device:
        other_device.post("/api/v1/session", json={"user_id": 4})
        assert client.delete("/api/v1/me/memories").json()["erased"] >= 1
        assert client.get("/api/v1/me/memories").json() == []
        assert other_device.get("/api/v1/me").status_code == 401


def test_the_table_keeps_a_hash_not_the_token(client, db):
    def hashes() -> set[str]:
        return set(db.execute(text("SELECT token_hash FROM shopper_sessions WHERE user_id = 1")).scalars())

    before = hashes()
    _login(client, 1)
    (new,) = hashes() - before
    token = json.loads(base64.b64decode(_copy(client).split(".")[0]))["sign_in"]
    assert new == hashlib.sha256(token.encode()).hexdigest() and new != token


def test_an_expired_sign_in_names_no_one(client, db):
    _login(client, 1)
    db.execute(text("UPDATE shopper_sessions SET created_at = now() - interval '15 days'"))
    assert client.get("/api/v1/me").status_code == 401
    assert "Choose a shopper" in client.get("/").text
    assert _token(client)  # the picker still works
