"""The memory journey of issue 13 in headless Chromium, as a shopper clicks through it: Kenji tells the
assistant a new color, the memory page shows it with the old one superseded in its history, he edits
it and the product page and "For you" follow, deletes it (undo, delete again) and it is gone
everywhere, exports exactly his memories, uses private mode (nothing stored, the header says so), and
"Forget me" empties his memory page and activity. Elena, in another browser, never sees any of it."""

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import pick_shopper, shoot

pytestmark = pytest.mark.e2e
KENJI, ELENA = 4, 9
PRODUCT = 1


def _ask(page: Page, message: str) -> None:
    drawer = page.locator("#assistant")
    if "open" not in (drawer.get_attribute("class") or ""):
        page.get_by_role("link", name="Assistant").click()
    page.get_by_label("Message").fill(message)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#assistant-log .turn .msg.bot:not(.pending)").last).to_be_visible()


def _memories(page: Page, base: str) -> list[dict]:
    return page.request.get(f"{base}/api/v1/me/memories").json()


def test_the_memory_journey(page: Page, live_server: str, browser: Browser, restore_personas):
    restore_personas(KENJI)
    pick_shopper(page, live_server, KENJI)
    page.goto(f"{live_server}/products/{PRODUCT}")
    _ask(page, "From now on I only want white products")
    expect(page.locator(".toast", has_text="Memory updated")).to_contain_text("Prefers white color")

    page.goto(f"{live_server}/memories")
    row = page.locator("li.memory", has_text="Prefers white color")
    expect(row).to_contain_text("from the assistant")
    row.get_by_role("link", name="History of “Prefers white color”").click()
    expect(row.locator(".history")).to_contain_text("Prefers blue color")  # what it replaced
    expect(page.locator("li.memory > .memory-text", has_text="Prefers blue color")).to_have_count(0)
    earlier = page.locator("details.memory-replaced")
    earlier.locator("summary").click()
    expect(earlier).to_contain_text("Prefers blue color")
    expect(earlier).to_contain_text("replaced by “Prefers white color”")
    shoot(page, "journey-memory-superseded")

    row.get_by_role("link", name="Edit “Prefers white color”").click()
    page.get_by_label("Correct this memory").fill("Prefers silver color")
    page.keyboard.press("Enter")
    expect(page.locator("li.memory", has_text="Prefers silver color")).to_be_visible()
    page.goto(f"{live_server}/products/{PRODUCT}")
    expect(page.locator("#personalized .because")).to_contain_text(["Prefers silver color"])
    page.goto(f"{live_server}/for-you")
    expect(page.locator(".for-you")).to_contain_text("silver")

    page.goto(f"{live_server}/memories")
    row = page.locator("li.memory", has_text="Prefers silver color")
    row.get_by_role("button", name="Delete “Prefers silver color”").click()
    undo = page.locator("li.memory.deleted", has_text="Deleted “Prefers silver color”")
    undo.get_by_role("button", name="Undo").click()
    row = page.locator("li.memory:not(.deleted)", has_text="Prefers silver color")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Delete “Prefers silver color”").click()
    expect(page.locator("li.memory.deleted")).to_be_visible()
    page.reload()
    expect(page.locator("main")).not_to_contain_text("Prefers silver color")
    page.goto(f"{live_server}/products/{PRODUCT}")
    expect(page.locator("#personalized .hcard")).to_have_count(3)
    assert "silver color" not in page.locator("#personalized").inner_text()
    page.goto(f"{live_server}/for-you")
    expect(page.locator(".for-you")).not_to_contain_text("Prefers silver")

    page.goto(f"{live_server}/memories")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as JSON").click()
    with open(download.value.path()) as file:
        exported = json.load(file)
    listed = _memories(page, live_server)
    active = {m["id"] for m in exported["memories"] if m["status"] == "active" and m["level"] == "user"}
    assert active == {m["id"] for m in listed} and exported["user_id"] == str(KENJI)
    assert all(m["user_id"] == str(KENJI) for m in exported["memories"] + exported["events"])

    # Elena, in a browser of her own, sees none of Kenji's memories.
    other = browser.new_page()
    pick_shopper(other, live_server, ELENA)
    other.goto(f"{live_server}/memories")
    elena_text = other.locator("main").inner_text()
    for memory in listed:
        assert memory["memory"] not in elena_text
    other.close()

    # Private mode: the header says so, and nothing said is stored.
    before = sorted(m["memory"] for m in _memories(page, live_server))
    page.get_by_role("button", name="Private mode").first.click()
    expect(page.locator("header .private-label")).to_have_text("Private mode")
    page.goto(f"{live_server}/products/{PRODUCT}")
    expect(page.locator("#personalized .private-note")).to_be_visible()
    _ask(page, "I love orange products")
    expect(page.locator("#assistant-log .msg.bot").last).to_contain_text("Private mode is on")
    shoot(page, "journey-private-mode")
    assert sorted(m["memory"] for m in _memories(page, live_server)) == before
    page.get_by_role("button", name="Close the assistant").click()
    page.locator("header").get_by_role("button", name="Turn off private mode").click()
    expect(page.locator("header .private-label")).to_have_count(0)

    page.goto(f"{live_server}/memories")
    page.get_by_role("link", name="Forget me…").click()
    page.get_by_role("button", name="Yes, forget me").click()
    expect(page.locator("main")).to_contain_text("Everything we remembered about you is erased")
    expect(page.locator("li.memory")).to_have_count(0)
    shoot(page, "journey-forgotten")
    page.goto(f"{live_server}/activity")
    expect(page.locator("table.activity tbody tr")).to_have_count(0)
    shoot(page, "journey-activity-empty")
