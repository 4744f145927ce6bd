"""Old links answer in a real browser over a real HTTP server (issue #28 item 4, #29):
a percent-encoded non-ASCII permalink reaches its redirect folder, and `/?p=123`, which no
static file can answer, is sent on by the home page's script."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from served_site import serve

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("old", "tip"),
    [
        ("2014/07/%E6%97%A5%E6%9C%AC/", "/2025/07/01/japan/"),
        ("2014/07/日本/", "/2025/07/01/japan/"),  # the browser encodes it itself
        ("?p=123", "/2025/07/01/japan/"),
        ("index.html?p=123", "/2025/07/01/japan/"),
        ("?p=124", "/"),  # an unknown query stays on the home page
    ],
)
def test_an_old_link_lands_on_its_tip(browser, make_site, old, tip):
    make_site.add_tip("Japan", "2025-07-01", aliases=["/2014/07/%E6%97%A5%E6%9C%AC/", "/?p=123"])
    make_site.add_tip("Other", "2025-07-08")
    site = make_site.build()
    with serve(site.site_dir) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base + old)
            if tip != "/":
                page.wait_for_url(f"**{tip}")
            page.wait_for_load_state()
            assert urlsplit(page.url).path == tip
            if tip != "/":
                assert page.locator("article.h-entry .p-name").first.inner_text() == "Japan"
        finally:
            context.close()
