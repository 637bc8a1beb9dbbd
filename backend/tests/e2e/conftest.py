"""A real uvicorn server on a free port and headless Chromium (Debian's, or Playwright's own)."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import clear_agent_cache

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots of every page and state, to look at (gitignored: test-results/ at the repository root).
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    """CHROMIUM_PATH wins; then a system Chromium; None lets Playwright use its own download."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = chromium_path()
    return {
        **browser_type_launch_args,
        "args": CHROMIUM_ARGS,
        **({"executable_path": executable} if executable else {}),
    }


@pytest.fixture(autouse=True)
def _no_cached_answers_left(engine):
    yield
    clear_agent_cache(engine)


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def pick_shopper(page: Page, base_url: str, user_id: int) -> str:
    """Choose a persona on the shoppers page, as a person would; returns their first name."""
    page.goto(base_url + "/shoppers")
    button = page.locator(f"form:has(input[name=user_id][value='{user_id}']) button")
    name = button.locator("strong").inner_text().split()[0]
    button.click()
    expect(page.locator(".shopper-chip")).to_contain_text(name)
    return name
