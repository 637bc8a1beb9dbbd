"""The footer's Reset demo: confirmation, the reset in the background with every other request
answered "being reset" (a page that reloads itself, JSON for the API), then how it went. The reset's
work is a stand-in here that waits for the test; `migrations.reset` itself is tested in tests/db."""

import threading

import pytest

from agentic_shop.services import demo_reset
from agentic_shop.settings import get_settings
from agentic_shop.web.maintenance import RESETTING
from tests.web.test_agent_pages import _token


@pytest.fixture
def held_reset(monkeypatch):
    """The reset's work, held until the test lets it go (and set to fail if the test says so)."""
    release, fail = threading.Event(), threading.Event()

    def work():
        assert release.wait(30)
        if fail.is_set():
            raise RuntimeError("migration 0004 broke")

    monkeypatch.setattr(demo_reset, "_reset_database", work)
    yield release, fail
    release.set()
    while demo_reset.is_running():
        threading.Event().wait(0.05)


def _wait_until_done():
    for _ in range(200):
        if not demo_reset.is_running():
            return
        threading.Event().wait(0.05)
    raise AssertionError("the reset did not finish")


def test_reset_asks_first_then_the_shop_waits_for_it(client, held_reset):
    release, _ = held_reset
    page = client.get("/")
    assert 'href="/reset" hx-get="/reset" hx-target="#why-body">Reset demo' in page.text
    confirm = client.get("/reset")
    assert "for everyone using it" in confirm.text and "Reset my memories" in confirm.text
    token = _token(client)
    started = client.post("/reset", data={"csrf_token": token})
    # Followed to /reset, which the gate answers while the reset runs.
    assert started.status_code == 503 and "Resetting the demo" in started.text
    assert 'http-equiv="refresh"' in started.text and started.headers["retry-after"] == "5"
    api = client.get("/api/v1/products")
    assert api.status_code == 503 and api.json() == {"detail": RESETTING}
    assert (
        client.get("/healthz").status_code in (200, 503) and client.get("/static/app.css").status_code == 200
    )
    assert not demo_reset.start()  # one at a time
    release.set()
    _wait_until_done()
    done = client.get("/reset")
    assert done.status_code == 200 and "The demo is back to its starting point" in done.text
    assert client.get("/api/v1/products").status_code == 200


def test_a_failed_reset_says_nothing_changed(client, held_reset):
    release, fail = held_reset
    fail.set()
    client.post("/reset", data={"csrf_token": _token(client)})
    release.set()
    _wait_until_done()
    assert demo_reset.FAILED in client.get("/reset").text


def test_reset_can_be_turned_off_and_needs_the_form_token(client, monkeypatch):
    assert client.post("/reset").status_code == 403  # no token
    monkeypatch.setattr(get_settings(), "demo_reset", False)
    assert client.get("/reset").status_code == 403
    assert client.post("/reset", data={"csrf_token": _token(client)}).status_code == 403
    assert "Reset demo" not in client.get("/").text and not demo_reset.is_running()
