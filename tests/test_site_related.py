"""Related tips on tip pages: shown, linked, and kept right by the page cache."""

from __future__ import annotations

import re
import shutil

from conftest import site_tree, texts

from tipweek.cache.markdown_cache import CACHE_DIR

PAGES = re.compile(r"(\d+) pages? rendered, (\d+) from the page cache")


def related_titles(site, url: str) -> list[str]:
    return texts(site.html(url).select(".tw-related li .p-name"))


def test_a_tip_page_lists_its_related_tips_with_working_links(make_site):
    make_site.add_tip("Me", "2025-06-03", tags=["calls", "refunds"])
    make_site.add_tip("Refunds", "2024-02-06", tags=["refunds"])
    for n in range(1, 5):
        make_site.add_tip(f"Call {n}", f"2025-0{n}-07", tags=["calls"])
    make_site.add_tip("Unrelated", "2025-05-06", tags=["email"])
    site = make_site.build()
    soup = site.html("/2025/06/03/me/")
    assert related_titles(site, "/2025/06/03/me/") == ["Refunds", "Call 4", "Call 3"]
    links = [a["href"] for a in soup.select(".tw-related a")]
    assert links[0] == "../../../../2024/02/06/refunds/"
    assert (site.path("/2025/06/03/me/").parent / links[0] / "index.html").resolve().is_file()
    dates = [t["datetime"] for t in soup.select(".tw-related time")]
    assert dates == ["2024-02-06", "2025-04-07", "2025-03-07"]
    # The option: how many, or none at all.
    site = make_site.build({"related_tips": 1})
    assert related_titles(site, "/2025/06/03/me/") == ["Refunds"]
    site = make_site.build({"related_tips": 0})
    assert site.html("/2025/06/03/me/").select(".tw-related") == []


def test_drafts_and_scheduled_tips_are_not_related_tips(make_site):
    make_site.add_tip("Me", "2025-06-03", tags=["calls"])
    make_site.add_tip("Draft", "2025-06-10", tags=["calls"], draft=True)
    make_site.add_tip("Later", "2026-03-03", tags=["calls"])  # after "now", 2026-01-01
    make_site.add_tip("Shown", "2025-01-07", tags=["calls"])
    site = make_site.build()
    assert related_titles(site, "/2025/06/03/me/") == ["Shown"]


def test_a_new_tip_changes_an_old_pages_related_list_through_the_page_cache(make_site):
    make_site.add_tip("Me", "2025-06-03", tags=["calls", "refunds"])
    for n in range(1, 4):
        make_site.add_tip(f"Call {n}", f"2025-0{n}-07", tags=["calls"])
    first = make_site.build()
    assert related_titles(first, "/2025/06/03/me/") == ["Call 3", "Call 2", "Call 1"]
    # A new, older tip that shares the rarer tag: it goes to the top of Me's list, and
    # Me's page (whose own content did not change) must not come from the page cache.
    make_site.add_tip("Refunds", "2019-02-05", tags=["refunds"])
    warm = make_site.build()
    assert related_titles(warm, "/2025/06/03/me/") == ["Refunds", "Call 3", "Call 2"]
    cached = next(int(m.group(2)) for m in map(PAGES.search, warm.log) if m)
    assert cached > 0  # the cache was used, yet Me's page was rendered anew
    warm_tree = site_tree(warm.site_dir)
    shutil.rmtree(make_site.root / CACHE_DIR)
    cold = make_site.build()
    assert site_tree(cold.site_dir) == warm_tree
