"""Smoke test in headless Chromium: catalog, live search, product page, more reviews, shopper."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_browse_search_and_open_a_product(page: Page, live_server: str):
    page.goto(live_server + "/")
    expect(page.locator(".card")).to_have_count(24)

    # Typing searches live (htmx): the results block is swapped without a page load.
    page.get_by_role("searchbox", name="Search products").fill("waterproof smartwatch")
    expect(page.locator(".summary")).to_contain_text("matching")
    expect(page).to_have_url(re.compile(r"q=waterproof"))
    first = page.locator(".card").first
    expect(first.locator(".card-category")).to_contain_text("Smartwatches")

    first.locator("a").click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("table.variants tbody tr").first).to_be_visible()
    expect(page.locator("table.specs")).to_be_visible()
    reviews = page.locator("#review-list > li.review")
    before = reviews.count()
    page.get_by_role("button", name=re.compile("More reviews")).click()
    expect(reviews).to_have_count(before + 8)


def test_category_filter_and_pagination(page: Page, live_server: str):
    page.goto(live_server + "/")
    page.locator(".filters a", has_text="Laptops").click()
    expect(page.locator(".card-category").first).to_contain_text("Laptops")
    page.goto(live_server + "/")
    page.locator("a[rel=next]").click()
    expect(page.locator(".pager")).to_contain_text("Page 2")


def test_live_search_keeps_the_selected_category(page: Page, live_server: str):
    page.goto(live_server + "/?category=Speakers")
    page.get_by_role("searchbox", name="Search products").fill("waterproof")
    expect(page.locator(".summary")).to_contain_text("matching")
    expect(page).to_have_url(re.compile(r"category=Speakers"))
    categories = page.locator(".card-category").all_inner_texts()
    assert categories and all(
        text.startswith("SPEAKERS") or text.startswith("Speakers") for text in categories
    )


def test_pick_a_shopper(page: Page, live_server: str):
    page.goto(live_server + "/shoppers")
    persona = page.locator(".persona button").nth(1)
    name = persona.locator("strong").inner_text()
    persona.click()
    expect(page.locator(".shopper-chip")).to_contain_text(name.split()[0])
