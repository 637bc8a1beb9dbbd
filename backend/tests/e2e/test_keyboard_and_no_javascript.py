"""Two ways people use the shop that the other browser tests do not: keyboard only (the assistant panel,
the Why dialog and a confirmation dialog, focus always somewhere visible) and with JavaScript turned
off (browsing, the memory page's add and delete, the assistant)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import pick_shopper, shoot

pytestmark = pytest.mark.e2e
PRIYA, DANIEL = 2, 5
PRODUCT = 1


def test_keyboard_only_assistant_and_dialogs(page: Page, live_server: str):
    pick_shopper(page, live_server, PRIYA)
    page.goto(f"{live_server}/products/{PRODUCT}")
    expect(page.locator("#personalized .agent-foot")).to_be_visible()

    toggle = page.locator("header").get_by_role("link", name="Assistant")
    toggle.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Message")
    expect(box).to_be_focused()
    page.keyboard.type("Is this available in red?")
    page.keyboard.press("Enter")
    expect(page.locator("#assistant-log .turn .msg.bot:not(.pending)").last).to_contain_text("Red")
    page.keyboard.press("Escape")
    expect(page.locator("#assistant")).not_to_have_class("drawer open")
    expect(toggle).to_be_focused()  # focus goes back where it came from, not into a hidden panel

    why = page.locator("#personalized").get_by_role("link", name="Why am I seeing this?")
    why.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog#why")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.getElementById('why').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(why).to_be_focused()

    page.goto(f"{live_server}/memories")
    page.get_by_role("link", name="Forget me…").focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("button", name="Yes, forget me")).to_be_visible()
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()  # the safe choice comes first
    shoot(page, "keyboard-confirm-dialog")
    page.keyboard.press("Enter")  # changing one's mind erases nothing
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(f"{live_server}/memories")
    expect(page.locator("li.memory").first).to_be_visible()


def test_without_javascript(browser: Browser, live_server: str, restore_personas):
    restore_personas(DANIEL)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    pick_shopper(page, live_server, DANIEL)

    page.get_by_label("Search products or ask the assistant").fill("waterproof speakers")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/?q=waterproof+speakers")
    page.locator(".card a").first.click()
    expect(page.locator("h1")).not_to_be_empty()
    expect(page.locator("noscript").first).to_be_attached()
    page.goto(f"{live_server}/for-you")
    expect(page.locator("main .card").first).to_be_visible()
    shoot(page, "no-js-for-you")

    page.goto(f"{live_server}/memories")
    page.get_by_label("Tell us something to remember").fill("I wear size 11 shoes")
    page.get_by_role("button", name="Remember").click()
    expect(page.locator("main")).to_contain_text("Wears size 11")
    page.goto(f"{live_server}/memories")
    row = page.locator("li.memory", has_text="Wears size 11")
    row.get_by_role("button", name="Delete “Wears size 11").click()
    expect(page.locator("main")).to_contain_text("Deleted “Wears size 11")
    shoot(page, "no-js-memory-deleted")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("li.memory", has_text="Wears size 11")).to_be_visible()

    page.goto(f"{live_server}/assistant")
    page.locator("main").get_by_label("Message").fill("What do you know about me?")
    page.locator("main").get_by_role("button", name="Send").click()
    expect(page.locator("main")).to_contain_text("Wears size 11")
    shoot(page, "no-js-assistant")
    context.close()
