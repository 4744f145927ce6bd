"""In Chromium, under a real `mkdocs serve`: a broken tip shows the problem, the fixed tip
comes back by itself (live reload), as `hugo server` does.  A screenshot of the banner is
kept in `$TIPWEEK_ARTEFACTS` (default `test-artefacts/`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_serve import SITE, TIP, fetch_until, free_port, write

pytestmark = pytest.mark.browser

ARTEFACTS = Path(os.environ.get("TIPWEEK_ARTEFACTS", "test-artefacts"))


@pytest.fixture
def served(tmp_path: Path):
    write(tmp_path / "mkdocs.yml", SITE)
    write(tmp_path / "docs/about.md", "# About\n")
    write(tmp_path / "tips/2025/2025-12-23-first.md", TIP.format(title="First", day="2025-12-23"))
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        import time

        assert fetch_until(base, lambda html: "First" in html, time.monotonic() + 60)
        yield tmp_path, base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


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
