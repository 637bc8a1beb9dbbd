"""Markup a shopper stores (a memory, an assistant message, a search) comes back as text on every page
that shows it, in Chromium: nothing it holds runs, whatever the Content-Security-Policy would stop anyway.

Each payload, if it ever ran, would append to `window.__xss` or open a dialog; the page must also show
it literally (escaped), not as elements."""

import json

from playwright.sync_api import Page

from tests.e2e.conftest import pick_shopper, shoot

SHOPPER = 9
PAYLOADS = [
    "<script>window.__xss.push('script')</script>",
    "<img src=x onerror=\"window.__xss.push('img')\">",
    '"><svg onload="window.__xss.push(\'svg\')">',
    "</textarea><iframe srcdoc=\"<script>parent.__xss.push('iframe')</script>\"></iframe>",
    "javascript:window.__xss.push('link')",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
]
PAGES = ["/memories", "/activity", "/assistant", "/products/1", "/memories?q={q}", "/?q={q}"]


def test_stored_markup_never_runs(page: Page, live_server: str, restore_personas):
    restore_personas(SHOPPER)
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__xss = []")
    pick_shopper(page, live_server, SHOPPER)
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRF-Token"]
    for payload in PAYLOADS:
        # Word for word (the undo path), and said to the assistant (its conversation and traces).
        stored = page.request.post(
            f"{live_server}/memories/restore", form={"text": payload, "csrf_token": token}
        )
        assert stored.ok
        said = page.request.post(
            f"{live_server}/api/v1/assistant",
            data=json.dumps({"message": payload, "product_id": 1}),
            headers={"Content-Type": "application/json"},
        )
        assert said.ok
    memories = page.request.get(f"{live_server}/api/v1/me/memories").json()
    ids = [m["id"] for m in memories if m["memory"] in PAYLOADS]
    assert len(ids) == len(PAYLOADS)  # stored as written

    visited = [path.format(q=PAYLOADS[0]) for path in PAGES] + [f"/memories/{i}/history" for i in ids[:2]]
    for path in visited:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") == [], path
        injected = page.locator("main script:not([src]), main [onerror], main [onload], main iframe[srcdoc]")
        assert injected.count() == 0, path
    page.goto(f"{live_server}/memories")
    text = page.locator("main").inner_text()
    for payload in PAYLOADS:
        assert payload.replace('"', "") in text.replace('"', ""), payload  # shown as the text it is
    shoot(page, "stored-markup-memories")
    assert ran == []
