"""Built sites: the paged archive, the pager, tag and year listings, as readers see them."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from conftest import entry_titles, texts


@pytest.mark.parametrize(
    ("count", "pages"),
    [(0, 1), (1, 1), (10, 1), (11, 2), (137, 14)],
)
def test_archive_pages_hold_ten_tips_newest_first(make_site, count, pages):
    make_site.add_weekly_tips(count)
    site = make_site.build()
    seen = []
    for number in range(1, pages + 1):
        soup = site.html("/" if number == 1 else f"/page/{number}/")
        titles = entry_titles(soup)
        assert len(titles) == (min(10, count - 10 * (number - 1)) if count else 0)
        seen += titles
    assert seen == [f"Tip {n}" for n in range(count, 0, -1)]
    assert not site.exists("/page/1/")  # page 1 is the home page, never a duplicate
    assert not site.exists(f"/page/{pages + 1}/")


def test_an_empty_archive_says_so_and_has_no_pager(make_site):
    site = make_site.build()
    home = site.html("/")
    assert home.select_one(".h-feed")
    assert "No tips have been published yet." in home.get_text()
    assert home.select_one("nav.pagination") is None


def test_a_single_page_has_no_pager(make_site):
    make_site.add_weekly_tips(10)
    assert make_site.build().html("/").select_one("nav.pagination") is None


def test_listing_entries_follow_the_markup_contract(make_site):
    make_site.add_tip("Be Brief", "2025-07-01", "Short answers win. " * 40)
    site = make_site.build()
    entry = site.html("/").select_one(".h-feed article.h-entry")
    link = entry.select_one("a.p-name.u-url")
    assert link.get_text() == "Be Brief"
    assert link["href"] == "2025/07/01/be-brief/"
    published = entry.select_one("time.dt-published")
    assert published["datetime"] == "2025-07-01"
    assert published.get_text() == "7/1/25"
    summary = entry.select_one(".p-summary").get_text(" ", strip=True)
    assert summary.startswith("Short answers win.") and summary.endswith("…")
    assert len(summary.split()) == 56  # 55 words and the ellipsis
    more = [a for a in entry.select("a") if a.get_text(strip=True).startswith("Read more")]
    assert [a["href"] for a in more] == ["2025/07/01/be-brief/"]


def test_page_titles_follow_the_contract(make_site):
    make_site.add_weekly_tips(25, tags=["training"])
    site = make_site.build()
    assert site.html("/").title.get_text() == "Tip Site"
    assert site.html("/page/3/").title.get_text() == "Tip Site - Page 3"
    assert site.html("/tags/training/").title.get_text() == "training | Tip Site"
    assert site.html("/tags/training/page/2/").title.get_text() == "training | Tip Site - Page 2"
    assert site.html("/2015/page/2/").title.get_text() == "2015 | Tip Site - Page 2"
    assert site.html("/2015/01/06/tip-1/").title.get_text() == "Tip 1 | Tip Site"
    assert site.html("/tags/").title.get_text() == "Tags | Tip Site"


def pager(soup):
    nav = soup.select_one('nav.pagination[aria-label="Pagination"]')
    assert nav is not None
    return nav


def test_pager_shows_first_pages_a_window_and_the_last_page(make_site):
    make_site.add_weekly_tips(280)  # 28 pages
    site = make_site.build()
    nav = pager(site.html("/page/20/"))
    assert texts(nav.select("a, .tw-pager__gap")) == [
        "« Previous", "1", "2", "…", "18", "19", "20", "21", "22", "…", "27", "28", "Next »",
    ]  # fmt: skip
    assert nav.select_one('a[rel="prev"]')["href"] == "../19/"
    assert nav.select_one('a[rel="next"]')["href"] == "../21/"
    current = nav.select('[aria-current="page"]')
    assert texts(current) == ["20"]
    assert nav.select_one('a[aria-label="Page 1"]')["href"] in ("../..", "../../")


def test_pager_has_no_previous_on_the_first_page_and_no_next_on_the_last(make_site):
    make_site.add_weekly_tips(30)
    site = make_site.build()
    first, last = pager(site.html("/")), pager(site.html("/page/3/"))
    assert (
        first.select_one('[rel="prev"]') is None
        and first.select_one('[rel="next"]')["href"] == "page/2/"
    )
    assert (
        last.select_one('[rel="next"]') is None
        and last.select_one('[rel="prev"]')["href"] == "../2/"
    )


def head_links(soup) -> dict[str, str | None]:
    found = {rel: soup.select(f'head link[rel="{rel}"]') for rel in ("prev", "next")}
    assert all(len(links) <= 1 for links in found.values()), found
    return {rel: links[0]["href"] if links else None for rel, links in found.items()}


def pager_links(soup) -> dict[str, str | None]:
    nav = soup.select_one("nav.pagination")
    links = {rel: nav.select_one(f'a[rel="{rel}"]') if nav else None for rel in ("prev", "next")}
    return {rel: link["href"] if link else None for rel, link in links.items()}


def test_the_heads_prev_and_next_are_the_pagers_not_the_nav_order(make_site):
    make_site.add_weekly_tips(30, tags=["training"])
    make_site.write("docs/about.md", "# About\n")
    # A nav like the sample's: Material would link the home page's head to Tags, then About.
    nav = [{"Latest tips": "index.md"}, {"Tags": "tags/index.md"}, {"About": "about.md"}]
    site = make_site.build(extra_config={"nav": nav})
    for url in ("/", "/page/2/", "/page/3/", "/tags/training/", "/tags/training/page/3/", "/2015/"):
        soup = site.html(url)
        assert head_links(soup) == pager_links(soup), url
    assert head_links(site.html("/")) == {"prev": None, "next": "page/2/"}
    # The tag index has no pager, so no neighbours either; a docs page keeps Material's.
    assert head_links(site.html("/tags/")) == {"prev": None, "next": None}
    assert head_links(site.html("/about/"))["prev"] == "../tags/"


def test_pager_window_sizes_are_configurable(make_site):
    make_site.add_weekly_tips(280)
    site = make_site.build({"pager": {"edge": 1, "around": 1}})
    assert texts(pager(site.html("/page/20/")).select("a, .tw-pager__gap"))[1:-1] == [
        "1", "…", "19", "20", "21", "…", "28",
    ]  # fmt: skip


def test_tag_pages_are_paged_and_group_case_insensitively(make_site):
    for n in range(1, 13):
        tag = "Phone Skills" if n == 1 else "phone skills"
        make_site.add_tip(f"Call {n}", date(2025, 1, 7).replace(day=n), tags=[tag, "calls"])
    make_site.add_tip("Other", "2025-02-04", tags=["email"])
    site = make_site.build(strict=False)  # two spellings and daily tips are warnings
    assert entry_titles(site.html("/tags/phone-skills/")) == [f"Call {n}" for n in range(12, 2, -1)]
    assert entry_titles(site.html("/tags/phone-skills/page/2/")) == ["Call 2", "Call 1"]
    assert not site.exists("/tags/phone-skills/page/3/")
    heading = site.html("/tags/phone-skills/").select_one("h1").get_text()
    assert heading == "Tips tagged “phone skills”"


def test_tag_index_lists_every_tag_with_its_count(make_site):
    make_site.add_tip("A", "2025-01-07", tags=["training", "empathy"])
    make_site.add_tip("B", "2025-01-14", tags=["Training"])
    make_site.add_tip("C", "2025-01-21", tags=["training"])
    site = make_site.build(strict=False)  # "Training" / "training" is a warning
    entries = texts(site.html("/tags/").select(".tw-tag-index li"))
    assert entries == ["empathy (1)", "training (3)"]
    links = [a["href"] for a in site.html("/tags/").select(".tw-tag-index a")]
    assert links == ["empathy/", "training/"]


def test_year_archives_are_paged(make_site):
    make_site.add_weekly_tips(60, start=date(2024, 9, 3))  # 18 tips in 2024, 42 in 2025
    site = make_site.build()
    assert len(entry_titles(site.html("/2024/"))) == 10
    assert len(entry_titles(site.html("/2024/page/2/"))) == 8
    assert len(entry_titles(site.html("/2025/page/5/"))) == 2
    assert not site.exists("/2024/page/3/")
    years = texts(site.html("/tags/").select(".tw-year-index li"))
    assert years == ["2025 (42)", "2024 (18)"]


def test_date_format_is_configurable(make_site):
    make_site.add_tip("A", "2025-07-01")
    site = make_site.build({"date_format": "%B %-d, %Y"})
    assert site.html("/").select_one("time.dt-published").get_text() == "July 1, 2025"


def test_docs_index_is_an_introduction_above_the_newest_tips(make_site):
    make_site.write("docs/index.md", "Welcome to **the column**: one tip [a week](about.md).\n")
    make_site.write("docs/about.md", "# About\n")
    make_site.add_weekly_tips(11)
    site = make_site.build()
    home = site.html("/")
    intro = home.select_one(".h-feed .tw-intro")
    assert intro.get_text(" ", strip=True) == "Welcome to the column : one tip a week ."
    assert intro.select_one("a")["href"] == "about/"
    assert entry_titles(home)[0] == "Tip 11"
    assert site.html("/page/2/").select_one(".tw-intro") is None


def test_without_directory_urls_links_name_the_index_files(make_site):
    make_site.add_weekly_tips(11, tags=["a"])
    site = make_site.build(extra_config={"use_directory_urls": False})
    home = BeautifulSoup((site.site_dir / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.select_one("a.p-name")["href"] == "2015/03/17/tip-11/index.html"
    assert home.select_one('a[rel="next"]')["href"] == "page/2/index.html"
    tip = BeautifulSoup(
        (site.site_dir / "2015/03/17/tip-11/index.html").read_text(encoding="utf-8"), "lxml"
    )
    assert tip.select_one("a.p-category")["href"] == "../../../../tags/a/index.html"
    # Every page link resolves to a file, as it must when the site is opened from disk.
    for folder, links in [
        (site.site_dir, home.select(".h-feed a, nav.pagination a")),
        (site.site_dir / "2015/03/17/tip-11", tip.select(".tw-tip a.p-category, .tw-neighbours a")),
    ]:
        for href in (link["href"] for link in links):
            assert (folder / href).resolve().is_file(), href
