"""In Chromium, under a real `mkdocs serve`: a broken tip shows the problem, the fixed tip
comes back by itself (live reload), as `hugo server` does.  A screenshot of the banner is
kept in `$TIPWEEK_ARTEFACTS` (default `test-artefacts/`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_cli_serve import SERVE_ENV, TIP, fetch_until, mkdocs_serve, write, write_small_site

pytestmark = pytest.mark.browser

ARTEFACTS = Path(os.environ.get("TIPWEEK_ARTEFACTS", "test-artefacts"))


@pytest.fixture
def served(tmp_path: Path):
    write_small_site(tmp_path)
    with mkdocs_serve(tmp_path, SERVE_ENV) as base:
        assert fetch_until(base, lambda html: "First" in html, time.monotonic() + 60)
        yield tmp_path, base


def test_the_open_page_shows_the_problem_then_reloads_to_the_fixed_tip(browser, served):
    root, base = served
    tip = root / "tips/2025/2025-12-23-first.md"
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(base + "2025/12/23/first/")
        assert page.locator("h1.p-name").inner_text() == "First"
        write(tip, TIP.format(title="First", day="2025-12-23").replace("date:", "slug: Bad\ndate:"))
        # Live reload takes the tab to the (now missing) page's 404, which lists the problem.
        banner = page.locator(".tw-problems li")
        banner.first.wait_for()
        assert banner.all_inner_texts() == [
            "tips/2025/2025-12-23-first.md:3: error: slug 'Bad' must be lowercase ASCII words "
            "joined by hyphens, e.g. 'be-brief'"
        ]
        assert banner.first.is_visible()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "preview-problem-banner.png"))
        write(tip, TIP.format(title="First, fixed", day="2025-12-23"))
        # No click: the 404 page's own script reloads it after the next build.
        page.locator("h1.p-name", has_text="First, fixed").wait_for()
        assert page.locator(".tw-problems").count() == 0
    finally:
        page.close()
