"""A real uvicorn server on a free port and headless Chromium (Debian's, or Playwright's own)."""

import os
import shutil

import pytest

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


@pytest.fixture(scope="session")
def live_server(engine) -> str:
    from agentic_shop.main import app
    from agentic_shop.web.background import serve_in_background

    with serve_in_background(app) as base_url:
        yield base_url
