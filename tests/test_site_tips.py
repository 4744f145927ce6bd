"""Built sites: tip pages, authors, call to action, aliases, search and feed discovery."""

from __future__ import annotations

import json

import mf2py
from bs4 import BeautifulSoup
from conftest import texts

AUTHORS = """
casey:
  name: Casey Morgan
  bio: Trains contact-centre teams.
  url: /about/
"""


def test_a_tip_page_is_an_h_entry_with_everything_readers_expect(make_site):
    make_site.write("tips/authors.yml", AUTHORS)
    make_site.add_tip("Older", "2025-06-24")
    make_site.add_tip(
        "Be Brief",
        "2025-07-01",
        "## Why\n\nShort answers win.",
        tags=["Phone Skills", "email"],
        author="casey",
    )
    make_site.add_tip("Newer", "2025-07-08")
    site = make_site.build()
    page = site.path("/2025/07/01/be-brief/").read_text(encoding="utf-8")
    parsed = mf2py.parse(doc=page, url="https://example.org/tips/2025/07/01/be-brief/")
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1
    props = entries[0]["properties"]
    assert props["name"] == ["Be Brief"]
    assert props["published"] == ["2025-07-01"]
    assert props["url"] == ["https://example.org/tips/2025/07/01/be-brief/"]
    assert props["category"] == ["Phone Skills", "email"]
    assert "Short answers win." in props["content"][0]["html"]
    author = props["author"][0]["properties"]
    assert author["name"] == ["Casey Morgan"]
    assert author["note"] == ["Trains contact-centre teams."]
    assert author["url"] == ["https://example.org/tips/about/"]

    soup = BeautifulSoup(page, "lxml")
    tag_links = soup.select("a.p-category")
    assert [a["href"] for a in tag_links] == [
        "../../../../tags/phone-skills/",
        "../../../../tags/email/",
    ]
    assert soup.select_one(".tw-neighbours a[rel=prev]")["href"] == "../../../06/24/older/"
    assert soup.select_one(".tw-neighbours a[rel=next]")["href"] == "../../08/newer/"


def test_call_to_action_defaults_and_is_configurable(make_site):
    make_site.add_tip("A", "2025-07-01")
    site = make_site.build()
    cta = site.html("/2025/07/01/a/").select(".tw-cta a")
    assert texts(cta) == [
        "Signup for FREE Tips!",
        "Contact Us",
        "More Resources",
        "Visit Our Home Page",
    ]
    assert cta[-1]["href"] in ("../../../..", "../../../../")

    site = make_site.build(
        {"call_to_action": [{"title": "Book training", "url": "https://example.com/book"}]}
    )
    cta = site.html("/2025/07/01/a/").select(".tw-cta a")
    assert [(a.get_text(), a["href"]) for a in cta] == [
        ("Book training", "https://example.com/book")
    ]


def test_aliases_redirect_old_urls_to_the_tip(make_site):
    make_site.add_tip(
        "A", "2025-07-01", aliases=["/2014/07/22/old-title/", "/old/post.html", "/?p=123"]
    )
    site = make_site.build()
    for url, href in [
        ("/2014/07/22/old-title/", "../../../../2025/07/01/a/"),
        ("/old/post.html", "../2025/07/01/a/"),
    ]:
        soup = site.html(url)
        assert (
            soup.select_one("link[rel=canonical]")["href"]
            == "https://example.org/tips/2025/07/01/a/"
        )
        assert soup.select_one("meta[http-equiv=refresh]")["content"] == f"0; url={href}"
        assert soup.select_one("body a")["href"] == href
        # The site's icon (Material's), so the browser does not ask for /favicon.ico.
        icon = soup.select_one("link[rel=icon]")["href"]
        assert icon == href.split("2025/")[0] + "assets/images/favicon.png"
        assert (site.site_dir / "assets/images/favicon.png").is_file()
    scripts = " ".join(s.get_text() for s in site.html("/").select("script:not([src])"))
    assert '"p=123": "2025/07/01/a/"' in scripts


def test_every_page_links_the_site_feed_and_tag_pages_their_own(make_site):
    make_site.write("docs/about.md", "# About\n\nUs.\n")
    make_site.add_tip("A", "2025-07-01", tags=["email"])
    site = make_site.build()
    for url in ["/", "/about/", "/2025/07/01/a/", "/tags/", "/2025/"]:
        feeds = site.html(url).select('link[rel~=alternate][type="application/rss+xml"]')
        assert len(feeds) == 1, url
        # Material's script fetches sitemap.xml beside each `link[rel=alternate]` (exact
        # match): feed links carry a second token so it finds none (404s on tag pages).
        assert site.html(url).select("link[rel=alternate]") == [], url
        assert feeds[0]["href"].endswith("feed.xml")
    tag_feeds = site.html("/tags/email/").select('link[rel~=alternate][type="application/rss+xml"]')
    assert [link["href"] for link in tag_feeds] == ["../../feed.xml", "feed.xml"]


def test_search_finds_tip_bodies_and_skips_listings(make_site):
    make_site.add_tip("A", "2025-07-01", "Mention the zebra protocol.", tags=["email"])
    site = make_site.build()
    docs = json.loads(site.path("/search/search_index.json").read_text())["docs"]
    locations = {doc["location"].split("#")[0] for doc in docs}
    assert "2025/07/01/a/" in locations
    assert any(
        "zebra" in doc["text"] for doc in docs if doc["location"].startswith("2025/07/01/a/")
    )
    assert locations.isdisjoint({"", "tags/", "tags/email/", "2025/"})


def test_site_root_links_in_a_tip_become_relative(make_site):
    make_site.write("docs/about.md", "# About\n")
    make_site.add_tip(
        "A", "2025-07-01", "See [about](/about/) or [B](/2025/07/08/b/) or [x](//cdn.example/x)."
    )
    make_site.add_tip("B", "2025-07-08")
    site = make_site.build()
    links = [a["href"] for a in site.html("/2025/07/01/a/").select(".e-content a")]
    assert links == ["../../../../about/", "../../08/b/", "//cdn.example/x"]


def test_excerpts_use_summary_then_more_marker_then_words(make_site):
    make_site.add_tip("S", "2025-07-01", "Body words.", summary="A summary line.")
    make_site.add_tip(
        "M",
        "2025-07-08",
        "Intro with a [link](https://example.com/).\n\n<!-- more -->\n\nHidden rest.",
    )
    make_site.add_tip("W", "2025-07-15", "Plain words only here.")
    site = make_site.build()
    excerpts = {
        entry.select_one(".p-name").get_text(): entry.select_one(".p-summary")
        for entry in site.html("/").select("article.h-entry")
    }
    assert excerpts["S"].get_text(strip=True) == "A summary line."
    assert excerpts["M"].select_one("a")["href"] == "https://example.com/"
    assert "Hidden rest" not in excerpts["M"].get_text()
    assert excerpts["W"].get_text(strip=True) == "Plain words only here."
