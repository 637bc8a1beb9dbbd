"""Two visits a day apart, in headless Chromium: the first compares two headphones with the assistant and
leaves; the next day (the clock advanced in the database) the assistant offers to pick up there, answers
from the summary, the product page says what it was compared with, and the memory page lists it."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import text

from agentic_shop.agents.assistant.summary import short_name
from tests.e2e.conftest import PHONE, pick_shopper, shoot

pytestmark = pytest.mark.e2e

ELENA = 9


def _open_drawer(page: Page) -> None:
    if "open" not in (page.locator("#assistant").get_attribute("class") or ""):
        page.get_by_role("link", name="Assistant").click()
    expect(page.locator("#assistant")).to_have_class(re.compile("open"))


def _ask(page: Page, message: str) -> None:
    """Type into the assistant's drawer and wait for the answer to stream in."""
    _open_drawer(page)
    # The drawer loads the conversation after the page: counted before that settles, the old answers it
    # brings in could pass for this one, and the next page would cut this turn off mid-stream.
    expect(page.locator("#assistant-log")).not_to_have_class(re.compile("htmx-request"))
    answers = page.locator("#assistant-log .msg.bot").count()
    page.get_by_label("Message").fill(message)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#assistant-log .msg.bot")).to_have_count(answers + 1, timeout=30_000)
    expect(page.locator("#assistant-log .msg.bot").last).not_to_have_class("pending", timeout=30_000)


@pytest.fixture
def elena_clean(engine):
    """Elena's conversations and their summaries are removed before and after (other tests read her)."""

    def clean():
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM conversations WHERE user_id = :u"), {"u": ELENA})
            connection.execute(
                text(
                    "DELETE FROM mem0_chatstore"
                    " WHERE payload->>'user_id' = :u AND payload->>'level' = 'session'"
                ),
                {"u": str(ELENA)},
            )
            connection.execute(text("DELETE FROM agent_runs WHERE user_id = :u"), {"u": str(ELENA)})

    clean()
    yield
    clean()


def test_the_next_day_the_assistant_picks_up_where_the_shopper_left(
    browser: Browser, live_server: str, engine, elena_clean
):
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, name FROM products WHERE category = 'Headphones' ORDER BY id LIMIT 2")
        ).all()
    # As summaries name them ("Velvetone Nocturne 900").
    first, second = (SimpleNamespace(id=row.id, name=short_name(row.name)) for row in rows)

    # Visit 1: a search, then two product pages with a question each; then the browser is closed.
    visit = browser.new_context()
    page = visit.new_page()
    pick_shopper(page, live_server, ELENA)
    page.goto(live_server + "/")
    _ask(page, "black headphones under $300")
    page.goto(f"{live_server}/products/{first.id}")
    _ask(page, "is this available in black?")
    page.goto(f"{live_server}/products/{second.id}")
    _ask(page, "what do reviewers complain about?")
    shoot(page, "visit-1-conversation")
    visit.close()

    # A day passes: the conversation's last message, and its turns, are a day old.
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE conversations SET last_turn_at = last_turn_at - interval '1 day' WHERE user_id = :u"
            ),
            {"u": ELENA},
        )

    # Visit 2, a new browser: the drawer offers to continue.
    visit = browser.new_context()
    page = visit.new_page()
    pick_shopper(page, live_server, ELENA)
    _open_drawer(page)
    offer = page.locator("#assistant-log .offer")
    expect(offer).to_contain_text(
        "Welcome back! Last time (yesterday): Looked for black headphones under $300."
    )
    expect(offer).to_contain_text(f"Compared the {first.name} and the {second.name}")
    shoot(page, "visit-2-offer")
    offer.get_by_role("button", name="Pick up there").click()
    answer = page.locator("#assistant-log .msg.bot").last
    expect(answer).to_contain_text("Last time (yesterday): Looked for black headphones", timeout=30_000)
    expect(answer).to_contain_text("Pick up there")
    expect(
        page.locator("#assistant-log .msg.bot").last.locator(f"a[href='/products/{first.id}']").first
    ).to_be_visible()
    shoot(page, "visit-2-picked-up")
    _ask(page, "what did we talk about last time?")
    expect(page.locator("#assistant-log .msg.bot").last).to_contain_text("Last time (yesterday)")

    # The product page says what it was compared with.
    page.goto(f"{live_server}/products/{second.id}")
    expect(page.locator("#personalized")).to_contain_text(
        f"You were comparing this with the {first.name} (yesterday).", timeout=30_000
    )
    expect(page.locator("#personalized .hcard", has_text="From your last visit")).to_contain_text(
        "From your earlier conversation"
    )
    shoot(page, "visit-2-product-compared")

    # The memory page lists the summary, which can be deleted like any memory.
    page.goto(live_server + "/memories")
    group = page.locator("section.memory-group:has(h2:text('Earlier conversations'))")
    expect(group).to_contain_text("Looked for black headphones under $300.")
    expect(group).to_contain_text("summary of a conversation")
    shoot(page, "visit-2-memories")
    page.set_viewport_size(PHONE)
    shoot(page, "visit-2-memories-phone")
    expect(page.get_by_role("link", name="What the shop has learned")).to_have_attribute("href", "/learned")
    page.goto(live_server + "/learned")
    expect(page.locator("h1")).to_have_text("What the shop has learned")
    page.get_by_role("button", name="Close the assistant").click()
    expect(page.locator("#assistant")).not_to_have_class(re.compile("open"))
    page.wait_for_timeout(500)  # the drawer's slide-out
    shoot(page, "learned-phone")
    visit.close()
