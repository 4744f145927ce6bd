"""Every kind of page of the sample site in Chromium, the 404 page included: no console
error anywhere, and the search works on each, as a reader who lands on a dead link uses it.

The site is served as a web host serves it: a missing path answers 404 with the site's
`404.html` (GitHub Pages, Netlify and nginx's `error_page` all do), at any depth.
"""

from __future__ import annotations

import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from served_site import DESKTOP, serve
from test_cli_serve import SERVE_ENV, fetch_until, mkdocs_serve, write

from browser.browser_reader import Reader
from browser.tools import require_module

pytestmark = pytest.mark.browser

# One page of each kind the sample has; the 404 page at two depths (its links and its
# search's root are absolute, so the depth of the missing URL must not matter).
PAGE_KINDS = {
    "home": "/",
    "archive-page": "/page/2/",
    "tip": "/2026/06/30/train-with-real-transcripts/",
    "tag": "/tags/training/",
    "tag-page": "/tags/training/page/2/",
    "tags-index": "/tags/",
    "year": "/2026/",
    "about": "/about/",
    "contact": "/contact/",
    "subscribe": "/subscribe/",
    "not-found": "/no-such-page/",
    "not-found-deep": "/2014/07/22/an-old-link/",
}
NOT_FOUND = ("not-found", "not-found-deep")


class NotFoundPageHandler:
    """Mixed into the test server's handler: a missing file answers with 404.html."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@pytest.fixture(scope="module")
def host_url(sample_site: Path):
    """The sample site on a host that answers a missing path with its 404 page."""
    from served_site import _QuietHandler

    handler = type("NotFoundHandler", (NotFoundPageHandler, _QuietHandler), {})
    with serve(sample_site, handler) as base_url:
        yield base_url


def open_kind(reader: Reader, kind: str) -> None:
    reader.open(PAGE_KINDS[kind])
    if kind in NOT_FOUND:
        forgive_the_missing_page(reader, reader.base_url + PAGE_KINDS[kind].lstrip("/"))


def forgive_the_missing_page(reader: Reader, url: str) -> None:
    """The 404 of the page asked for is expected (Chromium logs it to the console too);
    any other 404 (a script, a stylesheet, the search index) is still a problem."""
    reader.problems = [
        problem
        for problem in reader.problems
        if not problem.startswith(f"HTTP 404: {url} ")
        and not (problem.startswith("console error") and f"'url': '{url}'" in problem)
    ]


def search_for(reader: Reader, words: str) -> list[str]:
    if reader.page.viewport_size["width"] < 960:  # Material's phone header: the magnifier
        reader.page.click('label.md-header__button[for="__search"]')
    else:
        reader.page.click(".md-search__input")
    reader.page.wait_for_function("document.activeElement.matches('.md-search__input')")
    reader.page.keyboard.type(words)
    reader.page.wait_for_selector("[data-tw-search][data-tw-state=done]", state="attached")
    return reader.page.locator(".md-search-result__item h2").all_inner_texts()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_loads_without_a_console_error(reader: Reader, host_url, kind) -> None:
    reader.base_url = host_url
    open_kind(reader, kind)
    reader.assert_clean()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_searches(reader: Reader, host_url, kind) -> None:
    reader.base_url = host_url
    open_kind(reader, kind)
    titles = search_for(reader, "apology")
    assert "The Apology That Actually Works" in titles
    link = reader.page.locator(".md-search-result__link", has_text="The Apology That Actually")
    assert link.get_attribute("href") == host_url + "2026/03/31/the-apology-that-actually-works/"
    reader.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_a_result_found_on_the_404_page_opens_the_tip(reader: Reader, host_url) -> None:
    reader.base_url = host_url
    open_kind(reader, "not-found-deep")
    search_for(reader, "apology")
    reader.page.locator(".md-search-result__link").first.click()
    reader.page.wait_for_url(host_url + "2026/03/31/the-apology-that-actually-works/")
    reader.assert_clean()


@pytest.mark.parametrize("kind", NOT_FOUND)
def test_the_404_page_offers_the_nav_the_newest_tips_and_a_way_home(
    reader: Reader, host_url, kind
) -> None:
    reader.base_url = host_url
    reader.open("/")
    newest = reader.page.locator(".h-feed article.h-entry .p-name").all_inner_texts()[:5]
    open_kind(reader, kind)
    assert reader.page.get_by_role("heading", name="Page not found").is_visible()
    # The site's navigation: Material's (in the drawer on a phone), with every nav page.
    nav = reader.page.locator("nav.md-nav--primary a.md-nav__link")
    assert {"About", "Tags", "Contact"} <= {text.strip() for text in nav.all_text_contents()}
    # The newest tips, as the home page lists them, each link a page that exists.
    links = reader.page.locator(".tw-not-found__newest a")
    assert links.all_inner_texts() == newest
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert reader.page.request.get(host_url + href.lstrip("/")).status == 200, href
    reader.page.get_by_role("link", name="Go to the home page").click()
    reader.page.wait_for_url(host_url)
    reader.assert_clean()


SERVED_SITE = """\
site_name: T
site_url: https://example.org/
theme: {name: material, font: false}
plugins:
  - tipweek:
      search: pagefind
"""
SERVED_TIP = "---\ntitle: {title}\ndate: {day}\n---\n{body}\n"


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_the_404_page_of_mkdocs_serve_searches(browser, viewport, tmp_path: Path) -> None:
    require_module("pagefind_bin")  # skipped locally without it; a failure in CI
    write(tmp_path / "mkdocs.yml", SERVED_SITE)
    write(tmp_path / "docs/about.md", "# About\n")
    write(
        tmp_path / "tips/2025/2025-12-23-first.md",
        SERVED_TIP.format(title="Greet Warmly", day="2025-12-23", body="Smile at every guest."),
    )
    with mkdocs_serve(tmp_path, SERVE_ENV) as base:
        assert fetch_until(base, lambda html: "Greet Warmly" in html, time.monotonic() + 60)
        context = browser.new_context(**viewport.context_options())
        context.set_default_timeout(30_000)
        try:
            reader = Reader(context.new_page(), base, tmp_path)
            reader.open("/gone/for/good/")
            forgive_the_missing_page(reader, base + "gone/for/good/")
            assert search_for(reader, "guest") == ["Greet Warmly"]
            # Not `assert_clean`: the preview's live reload keeps a request open for good.
            assert reader.problems == [], "\n".join(reader.problems)
        finally:
            context.close()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_an_alias_page_redirects_to_its_tip_without_a_console_error(
    browser, viewport, tmp_path: Path
) -> None:
    """The sample has no aliases: a small site with one, built as a publisher builds it."""
    write(tmp_path / "mkdocs.yml", SERVED_SITE)
    write(tmp_path / "docs/about.md", "# About\n")
    tip = SERVED_TIP.format(title="Greet Warmly", day="2025-12-23", body="Smile at every guest.")
    write(
        tmp_path / "tips/2025/2025-12-23-first.md",
        tip.replace("date:", "aliases: [/2014/07/22/greet/]\ndate:"),
    )
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=tmp_path,
        env=SERVE_ENV,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    with serve(tmp_path / "site") as base:
        context = browser.new_context(**viewport.context_options())
        try:
            reader = Reader(context.new_page(), base, tmp_path / "site")
            reader.open("/2014/07/22/greet/")
            reader.page.wait_for_url(base + "2025/12/23/first/")
            assert reader.page.locator("h1.p-name").inner_text() == "Greet Warmly"
            reader.assert_clean()
        finally:
            context.close()
