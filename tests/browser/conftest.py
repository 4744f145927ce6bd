"""One build of the sample site, one server, one Chromium, shared by every browser check.

The checks here use the web's own tools (Chromium through Playwright, axe-core, the
Nu HTML Checker, LinkChecker).  Every module here sets `pytestmark = pytest.mark.browser`,
so a developer can run `pytest -m "not browser"` without them.  Locally a missing tool
skips with the command that installs it; with `CI` set it fails: CI must run them all.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.tools import require, require_module

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from served_site import (  # noqa: E402  (scripts/ is not a package)
    CHROMIUM,
    VIEWPORTS,
    Viewport,
    build_sample_site,
    serve,
)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's mkdocs.yml built once, with "now" fixed to 2026-11-18."""
    return build_sample_site(tmp_path_factory.mktemp("sample-site"))


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    """The sample site served on 127.0.0.1 (a free port); ends with `/`."""
    with serve(sample_site) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_module("playwright")
    require(os.access(CHROMIUM, os.X_OK), f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright
    from served_site import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(params=VIEWPORTS, ids=lambda viewport: viewport.name)
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return request.param


@pytest.fixture
def reader(browser, viewport: Viewport, site_url: str, sample_site: Path) -> Iterator[object]:
    """A fresh tab (own cookies and storage) at the viewport's size."""
    from browser.browser_reader import Reader

    context = browser.new_context(**viewport.context_options())
    context.set_default_timeout(10_000)
    try:
        yield Reader(context.new_page(), site_url, sample_site)
    finally:
        context.close()


@pytest.fixture(scope="session")
def java() -> str:
    path = shutil.which("java")
    require(
        path is not None,
        "Java (for the Nu HTML Checker)",
        "apt-get install -y default-jre-headless",
    )
    return path
