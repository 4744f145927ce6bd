"""What a reader does on the sample site, in Chromium, on a desktop and on a phone.

Each journey ends with `assert_clean()`: no console error, no failed request, no
request to another host on the way.
"""

from __future__ import annotations

import re

import feedparser
import pytest

from browser.browser_reader import Reader

pytestmark = pytest.mark.browser

# Sample content these journeys walk through (tips/2026/).
TAGGED_TIP = "/2026/06/30/train-with-real-transcripts/"
PAGED_TAG = "training"  # more than ten tips, so its archive has a page 2
SEARCH_WORD = "autopilot"  # only in the body of "End the Call Well"
SEARCH_TIP = ("End the Call Well", "/2026/11/03/end-the-call-well/")


def current_page_number(reader: Reader) -> str:
    current = reader.pager.locator('[aria-current="page"]')
    assert current.count() == 1
    return current.inner_text()


def follow_pager(reader: Reader, label: str) -> list[str]:
    """Click `label` ("Next" or "Previous") in the pager until it is gone; the paths seen."""
    seen = [reader.path]
    while (link := reader.pager.get_by_role("link", name=label, exact=True)).count():
        link.click()
        reader.page.wait_for_load_state()
        seen.append(reader.path)
    return seen


def test_pager_to_the_last_page_and_back(reader: Reader) -> None:
    reader.open("/")
    assert current_page_number(reader) == "1"
    assert reader.pager.get_by_role("link", name="Previous", exact=True).count() == 0

    forward = follow_pager(reader, "Next")

    last = len(forward)
    assert last >= 3, "the sample site should have several archive pages"
    assert forward == ["/"] + [f"/page/{n}/" for n in range(2, last + 1)]
    assert current_page_number(reader) == str(last)
    assert reader.page.title().endswith(f" - Page {last}")
    assert reader.page.locator(".h-feed article.h-entry").count() >= 1

    backward = follow_pager(reader, "Previous")

    assert backward == forward[::-1]
    assert current_page_number(reader) == "1"
    reader.assert_clean()


def test_tag_from_a_tip_then_its_pages(reader: Reader) -> None:
    reader.open(TAGGED_TIP)
    tip_title = reader.page.locator("article.h-entry h1.p-name").inner_text()

    reader.page.locator("article.h-entry a.p-category", has_text=PAGED_TAG).click()

    assert reader.path == f"/tags/{PAGED_TAG}/"
    assert PAGED_TAG in reader.page.get_by_role("heading", level=1).inner_text().lower()
    titles = reader.page.locator(".h-feed .h-entry .p-name").all_inner_texts()

    pages = follow_pager(reader, "Next")

    assert pages[1:] == [f"/tags/{PAGED_TAG}/page/{n}/" for n in range(2, len(pages) + 1)]
    assert len(pages) >= 2
    assert reader.page.title().lower().startswith(f"{PAGED_TAG} | ")
    titles += reader.page.locator(".h-feed .h-entry .p-name").all_inner_texts()
    assert tip_title in titles
    reader.pager.get_by_role("link", name="Previous", exact=True).click()
    assert reader.path == pages[-2]
    reader.assert_clean()


def test_read_more_opens_the_tip(reader: Reader) -> None:
    reader.open("/")
    first = reader.page.locator(".h-feed article.h-entry").first
    title = first.locator(".p-name").inner_text()
    permalink = first.locator(".p-name").get_attribute("href")

    # The visually hidden title makes the link say which tip it opens.
    first.get_by_role("link", name=re.compile(rf"^Read more\W+{re.escape(title)}$")).click()

    assert reader.path.endswith(permalink.lstrip("./"))
    assert reader.page.locator("article.h-entry h1.p-name").inner_text() == title
    assert reader.page.title().startswith(f"{title} | ")
    reader.assert_clean()


def test_search_finds_a_word_from_a_tip_body(reader: Reader) -> None:
    title, path = SEARCH_TIP
    reader.open("/")
    if reader.page.locator("label.md-header__button[for=__search]").is_visible():
        reader.page.locator("label.md-header__button[for=__search]").click()  # phone: the icon
    search_box = reader.page.get_by_role("textbox", name="Search")
    search_box.click()
    search_box.press_sequentially(SEARCH_WORD, delay=20)

    result = reader.page.locator(".md-search-result__link", has_text=title).first
    result.click()

    assert reader.path == path
    assert reader.page.locator("article.h-entry h1.p-name").inner_text() == title
    assert reader.page.locator(".e-content", has_text=SEARCH_WORD).count() == 1
    reader.assert_clean()


@pytest.mark.parametrize("path", ["/", f"/tags/{PAGED_TAG}/"])
def test_feeds_found_through_autodiscovery(reader: Reader, path: str) -> None:
    reader.open(path)
    first_tip = reader.page.locator(".h-feed article.h-entry .p-name").first
    first_tip_path = "/" + first_tip.evaluate("link => link.href").removeprefix(reader.base_url)
    feed_links = reader.page.locator('head link[rel~="alternate"][type="application/rss+xml"]')
    feed_urls = [link.evaluate("link => link.href") for link in feed_links.all()]
    assert reader.base_url + path.lstrip("/") + "feed.xml" in feed_urls, "no link to own feed"

    for feed_url in feed_urls:
        response = reader.page.request.get(feed_url)
        assert response.ok, f"{feed_url}: HTTP {response.status}"
        feed = feedparser.parse(response.body())
        assert feed.bozo == 0, f"{feed_url}: {feed.get('bozo_exception')}"
        assert feed.version == "rss20"
        assert feed.entries, f"{feed_url} has no items"
        # Item links are absolute to site_url; each must be a page of this site.
        item_paths = ["/" + entry.link.split("/", 3)[3] for entry in feed.entries]
        for item_path in item_paths:
            assert reader.page.request.get(reader.base_url + item_path.lstrip("/")).ok, item_path
        if feed_url.endswith(path + "feed.xml"):
            assert item_paths[0] == first_tip_path, "the page's feed starts with its newest tip"
    reader.assert_clean()
