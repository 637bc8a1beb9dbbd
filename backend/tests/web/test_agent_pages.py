"""The agents' pages over HTTP: cross-site request forgery refused, the no-JavaScript path, the header
box's decision, escaping, and a streamed assistant turn (order of events, single use, a client that
leaves, no database connection held while the LLM thinks)."""

import re
import threading
import time

import httpx
import pytest
from sqlalchemy import text

from agentic_shop.agents import runtime
from agentic_shop.db.engine import get_engine
from agentic_shop.llm.stub_server import stub_chat_server
from agentic_shop.web.assistant_pages import STALE_TURN
from agentic_shop.web.csrf import FOREIGN, STALE
from tests.conftest import chat_model

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client) -> str:
    return TOKEN.search(client.get("/shoppers").text).group(1)


def _login(client, user_id: int = 1) -> str:
    token = _token(client)
    response = client.post("/shoppers/select", data={"user_id": user_id, "csrf_token": token})
    assert response.status_code == 200  # followed to the catalog
    return token


def test_a_form_without_the_session_token_is_refused(client):
    refused = client.post("/shoppers/select", data={"user_id": 1})
    assert refused.status_code == 403 and STALE in refused.text
    wrong = client.post("/shoppers/select", data={"user_id": 1, "csrf_token": "guess"})
    assert wrong.status_code == 403
    token = _token(client)
    assert client.post("/shoppers/select", data={"user_id": 1, "csrf_token": token}).status_code == 200


def test_another_origin_is_refused_even_with_the_token(client):
    token = _token(client)
    for headers in (
        {"Origin": "http://127.0.0.1:9999"},  # this host, another port
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        response = client.post("/shoppers/select", data={"user_id": 1, "csrf_token": token}, headers=headers)
        assert response.status_code == 403 and FOREIGN in response.text, headers
    same = client.post(
        "/shoppers/select", data={"user_id": 1, "csrf_token": token}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200


def test_the_json_api_needs_json_or_the_token(client):
    assert client.post("/api/v1/session", json={"user_id": 1}).status_code == 200
    # What a cross-site <form enctype="text/plain"> can send: refused without the token.
    forged = client.post("/api/v1/session", content='{"user_id": 2}', headers={"Content-Type": "text/plain"})
    assert forged.status_code == 403 and forged.json()["detail"] == STALE
    foreign = client.post("/api/v1/session", json={"user_id": 2}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert client.get("/api/v1/session").json()["shopper"]["id"] == 1


def test_a_refused_htmx_request_is_a_toast(client):
    response = client.post("/assistant", data={"message": "hi"}, headers={"HX-Request": "true"})
    assert response.status_code == 403 and 'class="toast error"' in response.text
    assert "<html" not in response.text


def test_without_javascript_the_assistant_answers_with_a_page(client):
    token = _login(client, 2)
    response = client.post(
        "/assistant",
        data={"message": "Is this available in black?", "product_id": 1, "csrf_token": token},
    )
    assert response.status_code == 200 and response.url.path == "/assistant"
    assert "Is this available in black?" in response.text
    assert "Yes: this headphone is available in Black" in response.text
    assert client.post("/assistant/new", data={"csrf_token": token}).status_code == 200
    assert "Is this available in black?" not in client.get("/assistant").text


def test_the_header_box_sends_searches_to_the_grid_and_the_rest_to_the_assistant(client):
    token = _login(client, 2)
    search = client.post(
        "/ask", data={"q": "waterproof speakers", "csrf_token": token}, follow_redirects=False
    )
    assert search.status_code == 303 and search.headers["location"] == "/?q=waterproof+speakers"
    htmx = client.post(
        "/ask", data={"q": "waterproof speakers", "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/?q=waterproof+speakers"
    for message in ("what do you know about me?", "I prefer green", "show critical reviews about comfort"):
        turn = client.post(
            "/ask", data={"q": message, "product_id": 1, "csrf_token": token}, headers={"HX-Request": "true"}
        )
        assert turn.status_code == 200 and turn.headers["HX-Trigger"] == "assistant-open", message
        assert re.search(r'sse-connect="/assistant/turns/[0-9a-f-]{36}/stream"', turn.text)


def test_what_shoppers_wrote_is_escaped(client):
    token = _login(client, 3)
    added = client.post("/api/v1/me/memories", json={"text": "I love red"}).json()[0]
    # An edit keeps the shopper's words as written, markup included.
    edited = client.patch(
        f"/api/v1/me/memories/{added['id']}", json={"text": "Loves <b>red</b> <script>alert(1)</script>"}
    )
    assert edited.status_code == 200, edited.text
    page = client.get("/memories").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    echo = client.post(
        "/assistant",
        data={"message": "<img src=x onerror=alert(1)>", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert "<img src=x" not in echo.text and "&lt;img src=x onerror=alert(1)&gt;" in echo.text


# -- a streamed turn, against the real server ------------------------------------------------------


def _browser_session(base_url: str, user_id: int) -> tuple[httpx.Client, str]:
    web = httpx.Client(base_url=base_url, timeout=20, follow_redirects=True)
    token = TOKEN.search(web.get("/shoppers").text).group(1)
    web.post("/shoppers/select", data={"user_id": user_id, "csrf_token": token}).raise_for_status()
    return web, token


def _post_turn(web: httpx.Client, token: str, message: str, product_id: int | None = None) -> str:
    data = {"message": message, "csrf_token": token} | ({"product_id": product_id} if product_id else {})
    posted = web.post("/assistant", data=data, headers={"HX-Request": "true"})
    posted.raise_for_status()
    return re.search(r"/assistant/turns/([0-9a-f-]{36})/stream", posted.text).group(1)


def _events(web: httpx.Client, run_id: str) -> list[tuple[str, str]]:
    events, kind = [], None
    with web.stream("GET", f"/assistant/turns/{run_id}/stream") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
                events.append((kind, ""))
            elif line.startswith("data: ") and events:
                events[-1] = (kind, events[-1][1] + line.removeprefix("data: "))
    return events


def test_a_streamed_turn_sends_each_step_then_the_answer_once(live_server, restore_personas):
    restore_personas(2)
    web, token = _browser_session(live_server, 2)
    run_id = _post_turn(web, token, "Is this available in black?", product_id=1)
    events = _events(web, run_id)
    kinds = [kind for kind, _ in events]
    assert kinds == ["step"] * (len(kinds) - 2) + ["answer", "done"]
    nodes = [re.search(r'class="node">([^<]+)<', data).group(1) for kind, data in events if kind == "step"]
    assert sorted(nodes[:2]) == ["remember", "route"] and nodes[2:] == ["product question", "respond"]
    assert "available in Black" in events[-2][1] and f"/runs/{run_id}" in events[-2][1]
    assert web.get(f"/api/v1/runs/{run_id}").json()["status"] == "ok"

    # A second stream of the same turn, or another shopper's, runs nothing.
    assert STALE_TURN in _events(web, run_id)[0][1]
    other, _ = _browser_session(live_server, 3)
    stolen = _post_turn(web, token, "I prefer purple")
    assert STALE_TURN in _events(other, stolen)[0][1]
    assert "Prefers purple color" not in [m["memory"] for m in web.get("/api/v1/me/memories").json()]


def test_a_client_that_leaves_mid_stream_does_not_lose_the_turn(live_server, restore_personas):
    restore_personas(2)
    web, token = _browser_session(live_server, 2)
    run_id = _post_turn(web, token, "I prefer orange")
    with web.stream("GET", f"/assistant/turns/{run_id}/stream") as stream:
        next(stream.iter_lines())  # the first line of the first step, then gone
    deadline = time.monotonic() + 10
    while web.get(f"/api/v1/runs/{run_id}").status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.get(f"/api/v1/runs/{run_id}").json()["status"] == "ok"
    assert "Prefers orange color" in [m["memory"] for m in web.get("/api/v1/me/memories").json()]


@pytest.mark.parametrize("seconds", [1.0])
def test_a_streamed_turn_holds_no_database_connection_while_the_llm_thinks(
    live_server, restore_personas, monkeypatch, seconds
):
    restore_personas(2)
    with stub_chat_server() as llm:
        llm.reply_slowly(seconds, {"route": "other"})
        model = chat_model(llm.url, timeout=5)
        monkeypatch.setattr(runtime, "get_llm", lambda: model)
        web, token = _browser_session(live_server, 2)
        run_id = _post_turn(web, token, "I prefer teal")
        done: list[list[tuple[str, str]]] = []
        streaming = threading.Thread(target=lambda: done.append(_events(web, run_id)))
        streaming.start()
        deadline = time.monotonic() + 5
        while llm.max_in_flight < 2 and time.monotonic() < deadline:  # route and remember both asked
            time.sleep(0.02)
        assert llm.max_in_flight == 2
        held = get_engine().pool.checkedout()
        streaming.join(20)
    assert held == 0
    assert [kind for kind, _ in done[0]][-2:] == ["answer", "done"]
    with get_engine().connect() as connection:
        status = connection.execute(
            text("SELECT status FROM agent_runs WHERE id = CAST(:id AS uuid)"), {"id": run_id}
        ).scalar_one()
    assert status == "ok"
