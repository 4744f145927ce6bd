"""The email edition as a reader's mail client draws it: a 600 px desktop pane and a 375 px phone.

Chromium stands in for the mail client's web view (Apple Mail and the phone apps
are WebKit and Blink).  Nothing may stick out sideways, the column keeps to
600 px, the buttons stay within it; a screenshot of each is kept in
`$TIPWEEK_ARTEFACTS` (default `test-artefacts/`) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("TIPWEEK_ARTEFACTS", REPO / "test-artefacts"))
EDITION = "2026/11/17/make-the-customer-feel-remembered/email.html"
WIDTHS = {"desktop": 600, "phone": 375}
SLACK = 0.5


@pytest.mark.parametrize("name", WIDTHS)
def test_the_edition_fits_its_pane_and_is_kept_as_a_screenshot(browser, site_url, name) -> None:
    width = WIDTHS[name]
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=1, java_script_enabled=False
    )
    try:
        page = context.new_page()
        response = page.goto(site_url + EDITION)
        assert response is not None and response.ok
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client == width, f"the email scrolls sideways: {scroll}px in {client}px"
        overflowing = page.evaluate(
            """(width) => [...document.body.querySelectorAll('*')]
                .filter(e => !e.closest('.preheader'))
                .map(e => [e.tagName + '.' + e.className, e.getBoundingClientRect()])
                .filter(([, r]) => r.width > 0 && (r.right > width + 0.5 || r.left < -0.5))
                .map(([name, r]) => `${name} ${r.left}..${r.right}`)""",
            width,
        )
        assert overflowing == []
        column = page.locator("table.column").first.bounding_box()
        assert column is not None and column["width"] <= 600 + SLACK
        # The phone gets the whole width; the desktop pane at least the column's 600 px less the margin.
        assert column["width"] >= width - 16 - SLACK
        buttons = page.locator("a.button-link")
        assert buttons.count() == 4
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            assert box is not None and box["height"] >= 40  # a thumb's worth
        title = page.locator("h1.title").bounding_box()
        assert title is not None and title["y"] < 200  # the masthead stays small
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"email-{name}.png"), full_page=True)
    finally:
        context.close()
