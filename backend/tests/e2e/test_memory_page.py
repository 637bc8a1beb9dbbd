"""'What we remember' in headless Chromium, keyboard only: add in your own words, correct, delete and
undo, history; the activity page; both at phone width. Persona 8's memories are put back to the seed
afterwards."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from tests.e2e.conftest import PHONE, pick_shopper, shoot

pytestmark = pytest.mark.e2e
SHOPPER = 8


@pytest.fixture
def shopper_8(engine):
    yield SHOPPER
    from agentic_shop.services.shoppers import reset_memories_to_seed

    with Session(engine) as session:
        reset_memories_to_seed(session, SHOPPER)


def test_the_memory_journey_by_keyboard(page: Page, live_server: str, shopper_8):
    pick_shopper(page, live_server, shopper_8)
    page.goto(f"{live_server}/memories")
    page.get_by_label("Tell us something to remember").fill("Teal makes me happy")
    page.keyboard.press("Enter")
    expect(page.locator("#memory-added")).to_contain_text("Added “Prefers teal color”")
    shoot(page, "memories-added")

    page.reload()
    row = page.locator("li.memory", has_text="Prefers teal color")
    row.get_by_role("link", name="Edit “Prefers teal color”").focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Correct this memory")
    expect(box).to_be_focused()
    box.fill("Prefers dark teal")
    page.keyboard.press("Enter")
    row = page.locator("li.memory", has_text="Prefers dark teal")
    expect(row).to_be_visible()

    row.get_by_role("link", name="History of “Prefers dark teal”").focus()
    page.keyboard.press("Enter")
    expect(row.locator(".history")).to_contain_text(
        "changed from “Prefers teal color” to “Prefers dark teal”"
    )

    row.get_by_role("button", name="Delete “Prefers dark teal”").focus()
    page.keyboard.press("Enter")
    undo = page.locator("li.memory.deleted", has_text="Deleted “Prefers dark teal”")
    expect(undo).to_be_visible()
    shoot(page, "memories-deleted")
    undo.get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")
    expect(page.locator("li.memory", has_text="Prefers dark teal")).to_be_visible()

    page.goto(f"{live_server}/products/1")  # an agent reads the memories
    expect(page.locator("#personalized .agent-foot")).to_be_visible()
    page.goto(f"{live_server}/activity")
    expect(page.locator("table.activity tbody tr").first).to_be_visible()
    shoot(page, "activity")
    page.set_viewport_size(PHONE)
    for path, name in [("/memories", "memories-phone"), ("/activity", "activity-phone")]:
        page.goto(live_server + path)
        shoot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
