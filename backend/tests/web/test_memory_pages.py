""" "What we remember" over HTTP: the whole journey without JavaScript (forms and redirects), the htmx
fragments, and another shopper's memory ids refused whatever the route."""

import re

from sqlalchemy import text

from tests.web.test_agent_pages import _login

HX = {"HX-Request": "true"}


def _ids(client) -> dict[str, str]:
    return {m["memory"]: m["id"] for m in client.get("/api/v1/me/memories").json()}


def test_the_memory_journey_works_without_javascript(client):
    token = _login(client, 3)
    added = client.post("/memories", data={"text": "Teal makes me happy", "csrf_token": token})
    assert added.status_code == 200 and "Added “Prefers teal color”" in added.text
    memory_id = _ids(client)["Prefers teal color"]
    assert f'id="memory-{memory_id}"' in client.get("/memories").text

    form = client.get(f"/memories/{memory_id}/edit")
    assert form.status_code == 200 and 'name="text" value="Prefers teal color"' in form.text
    edited = client.post(
        f"/memories/{memory_id}/edit", data={"text": "Prefers dark teal", "csrf_token": token}
    )
    assert edited.status_code == 200 and "Prefers dark teal" in edited.text  # followed back to the page
    history = client.get(f"/memories/{memory_id}/history").text
    assert "stored “Prefers teal color”" in history
    assert "changed from “Prefers teal color” to “Prefers dark teal”" in history

    deleted = client.post(f"/memories/{memory_id}/delete", data={"csrf_token": token})
    assert "Deleted “Prefers dark teal”" in deleted.text and "Prefers dark teal" not in _ids(client)
    assert "Deleted" not in client.get("/memories").text  # offered once
    # A link cannot make the page offer to "restore" words of its choosing.
    assert "Undo" not in client.get("/memories", params={"undo": "I love scams"}).text
    restored = client.post("/memories/restore", data={"text": "Prefers dark teal", "csrf_token": token})
    assert restored.status_code == 200 and "Prefers dark teal" in _ids(client)

    export = client.get("/api/v1/me/memories/export")
    assert "attachment" in export.headers["content-disposition"]


def test_what_nothing_was_stored_from_is_said(client):
    token = _login(client, 3)
    answer = client.post("/memories", data={"text": "hello there", "csrf_token": token}, headers=HX)
    assert "Nothing to remember in “hello there”" in answer.text


def test_htmx_gets_fragments_and_an_undo(client):
    token = _login(client, 3)
    added = client.post("/memories", data={"text": "I wear size 11 shoes", "csrf_token": token}, headers=HX)
    assert "<html" not in added.text and "Wears size 11" in added.text
    memory_id = next(v for k, v in _ids(client).items() if "size 11" in k)
    assert "<html" not in client.get(f"/memories/{memory_id}/edit", headers=HX).text
    deleted = client.post(f"/memories/{memory_id}/delete", data={"csrf_token": token}, headers=HX)
    assert deleted.text.count("<li") == 1 and "Undo" in deleted.text and "data-expires" in deleted.text
    row = client.post("/memories/restore", data={"text": "Wears size 11", "csrf_token": token}, headers=HX)
    assert re.search(r'<li id="memory-[0-9a-f-]{36}" class="memory user">', row.text)


def test_search_finds_memories_by_meaning(client):
    _login(client, 1)
    page = client.get("/memories", params={"q": "what colors do I like"}).text
    assert "Closest to “what colors do I like”" in page and "meaning" in page


def test_another_shoppers_memory_is_out_of_reach(client):
    _login(client, 1)
    theirs = next(iter(_ids(client).values()))
    token = _login(client, 3)
    for method, path, data in [
        ("get", f"/memories/{theirs}/edit", None),
        ("get", f"/memories/{theirs}/history", None),
        ("get", f"/memories/{theirs}/row", None),
        ("post", f"/memories/{theirs}/edit", {"text": "hijacked", "csrf_token": token}),
        ("post", f"/memories/{theirs}/delete", {"csrf_token": token}),
    ]:
        answer = getattr(client, method)(path, **({"data": data} if data else {}))
        assert answer.status_code == 404, path
    _login(client, 1)
    assert theirs in _ids(client).values() and "hijacked" not in _ids(client)


def test_forget_me_asks_first_then_erases_memories_and_conversations(client, db):
    token = _login(client, 3)
    client.post("/assistant", data={"message": "I prefer green", "csrf_token": token})  # a conversation
    count = len(_ids(client))
    confirm = client.get("/memories/forget")
    assert f"erases the {count} memories" in confirm.text and "Yes, forget me" in confirm.text
    assert client.post("/memories/forget", data={}).status_code == 403  # no token: refused
    done = client.post("/memories/forget", data={"csrf_token": token})
    assert "Everything we remembered about you is erased" in done.text and _ids(client) == {}
    threads = db.execute(text("SELECT count(*) FROM checkpoints WHERE thread_id LIKE 'shopper-3:%'"))
    assert threads.scalar_one() == 0
    audit = db.execute(text("SELECT event, old_text, new_text FROM memory_events WHERE user_id = '3'")).all()
    assert ("erase", None, None) in [tuple(row) for row in audit]
    assert all(row.old_text is None and row.new_text is None for row in audit)


def test_a_memory_says_which_runs_used_it_and_activity_lists_them(client):
    _login(client, 1)
    section = client.get("/api/v1/products/1/personalization").json()
    run = client.get(f"/api/v1/runs/{section['run_id']}").json()
    used = next(entry["id"] for step in run["steps"] for entry in step["memories_used"])
    history = client.get(f"/memories/{used}/history").text
    assert f'href="/runs/{section["run_id"]}"' in history and "Used by" in history

    activity = client.get("/activity").text
    assert f'href="/runs/{section["run_id"]}"' in activity and "Personalization" in activity
    assert "No runs on this page" in client.get("/activity", params={"page": 99}).text
    _login(client, 3)  # another shopper sees none of it
    assert section["run_id"] not in client.get("/activity").text


def test_a_shopper_can_reset_their_memories_to_the_seed(client):
    token = _login(client, 3)
    seeded = set(_ids(client))
    client.post("/memories", data={"text": "I love orange", "csrf_token": token})
    assert "Prefers orange color" in _ids(client)
    assert "Yes, reset my memories" in client.get("/memories/reset").text
    done = client.post("/memories/reset", data={"csrf_token": token})
    assert "back to the demo" in done.text and set(_ids(client)) == seeded
