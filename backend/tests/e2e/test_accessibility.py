"""Every main page, as a persona sees it, has no serious or critical accessibility violation according
to axe-core 4.10.3 (vendored from npm under tests/e2e/vendor, MPL-2.0: its license file is beside it)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import PHONE, pick_shopper, shoot

pytestmark = pytest.mark.e2e
AXE = (Path(__file__).parent / "vendor" / "axe-4.10.3.min.js").read_text()
PAGES = ("/", "/products/1", "/for-you", "/memories", "/activity", "/assistant", "/memories/forget", "/reset")


def _serious(page: Page) -> list[str]:
    page.evaluate(AXE)  # through the DevTools protocol: the shop's CSP forbids injected script tags
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => `${v.id}: ${v.nodes.length} × ${v.nodes[0].html.slice(0, 120)}`)"""
    )
    return found


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations_on_the_main_pages(page: Page, live_server: str, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{live_server}/shoppers")
    assert _serious(page) == [], "/shoppers"
    pick_shopper(page, live_server, 4)
    for path in PAGES:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")  # the agents' fragments are in
        assert _serious(page) == [], path
    # Private mode adds a badge to the header and notes to the agents' parts.
    page.goto(f"{live_server}/memories")
    page.get_by_role("button", name="Private mode").first.click()
    for path in ("/products/1", "/memories"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        shoot(page, f"private-{path.strip('/').replace('/', '-')}-{'phone' if viewport else 'desktop'}")
        assert _serious(page) == [], f"{path} in private mode"
    page.locator("header").get_by_role("button", name="Turn off private mode").click()
