"""Pages ask the server only for what they show: no sitemap probes beside feed links."""

from __future__ import annotations

import pytest

from browser.browser_reader import Reader

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/tags/complaints/", "/tags/"])
def test_no_page_fetches_a_sitemap(reader: Reader, path: str) -> None:
    # Material's script fetched sitemap.xml beside every feed link: a 404 beside a tag's feed
    # (a console error), the whole site's sitemap beside the site feed, on every page.
    requested: list[str] = []
    reader.page.on("request", lambda request: requested.append(request.url))
    reader.open(path)
    reader.page.wait_for_load_state("networkidle")
    assert [url for url in requested if url.endswith("sitemap.xml")] == []
    assert any(url.endswith(".js") for url in requested)  # Material's script did run
    reader.assert_clean()
