"""axe-core finds no serious or critical barrier, and the pager works from the keyboard."""

from __future__ import annotations

import pytest
from served_site import DESKTOP

from browser.browser_reader import Reader
from browser.tools import require_module

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "tag page": "/tags/training/",
    "tip page": "/2026/06/30/train-with-real-transcripts/",
}


def barriers(reader: Reader) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line per element."""
    require_module("axe_playwright_python")
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(reader.page).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n    {node['html']}"
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violations(reader: Reader, path: str) -> None:
    reader.open(path)
    reader.page.wait_for_load_state("networkidle")

    found = barriers(reader)

    assert found == [], "\n".join(found)


def test_pager_is_announced(reader: Reader) -> None:
    reader.open("/page/2/")

    pager = reader.pager  # found by its role and name: <nav aria-label="Pagination">
    current = pager.locator('[aria-current="page"]')

    assert current.count() == 1
    assert current.get_attribute("aria-label") == "Page 2"
    assert pager.get_by_role("link", name="Page 3", exact=True).get_attribute("rel") is None
    assert pager.get_by_role("link", name="Previous", exact=True).get_attribute("rel") == "prev"
    assert pager.get_by_role("link", name="Next", exact=True).get_attribute("rel") == "next"
    # The » and « are decoration: a screen reader says "Next", not "Next right-pointing…".
    # (On a phone the word is drawn off-screen, so the text breaks between word and arrow.)
    text = pager.get_by_role("link", name="Next", exact=True).inner_text()
    assert text.split() == ["Next", "»"]


def focused_link(reader: Reader) -> tuple[str, bool]:
    """The accessible text of the focused element and whether it is inside the pager."""
    return reader.page.evaluate(
        """() => {
            const element = document.activeElement;
            return [element.getAttribute('aria-label') || element.innerText.trim(),
                    !!element.closest('nav.pagination')];
        }"""
    )


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)  # Tab: a keyboard
def test_pager_works_from_the_keyboard(reader: Reader) -> None:
    reader.open("/")

    seen = []
    for _ in range(300):
        reader.page.keyboard.press("Tab")
        text, in_pager = focused_link(reader)
        seen.append(text)
        if in_pager and text.startswith("Next"):
            break
    else:
        pytest.fail(f"Tab never reached the pager's Next link; focus went through: {seen}")
    reader.page.keyboard.press("Enter")
    reader.page.wait_for_url("**/page/2/")

    assert reader.path == "/page/2/"
    assert reader.pager.locator('[aria-current="page"]').inner_text() == "2"
    reader.assert_clean()
