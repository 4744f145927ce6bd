"""Feeds, parsed back the way feed readers and strict validators read them."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from bs4 import BeautifulSoup
from lxml import etree

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def absolute_urls_only(html: str) -> bool:
    soup = BeautifulSoup(html, "lxml")
    urls = [el.get(attr) for attr in ("href", "src") for el in soup.select(f"[{attr}]")]
    return all(
        url.startswith("https://example.org/tips/") or url.startswith("https://") for url in urls
    )


def test_site_feed_is_valid_rss_with_every_field(make_site):
    make_site.write("tips/authors.yml", "casey:\n  name: Casey Morgan\n")
    make_site.write("docs/about.md", "# About\n")
    make_site.write("docs/assets/pic.png", "not really a picture")
    make_site.add_tip("Old", "2025-06-24", "Old body.")
    make_site.add_tip(
        "Be <Brief> & Kind",
        "2025-07-01",
        "See [the about page](/about/) and ![x](/assets/pic.png).",
        tags=["email", "Phone Skills"],
        author="casey",
        summary="Short & sweet.",
    )
    site = make_site.build()
    feed = site.feed()
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.title == "Tip Site"
    assert feed.feed.link == "https://example.org/tips/"
    first = feed.entries[0]
    assert first.title == "Be <Brief> & Kind"
    assert first.link == "https://example.org/tips/2025/07/01/be-brief-and-kind/"
    assert first.id == first.link
    assert first.author == "Casey Morgan"
    assert [t.term for t in first.tags] == ["email", "Phone Skills"]  # each the only spelling
    assert first.summary == "<p>Short &amp; sweet.</p>"
    assert absolute_urls_only(first.content[0].value)
    assert 'href="https://example.org/tips/about/"' in first.content[0].value
    assert 'src="https://example.org/tips/assets/pic.png"' in first.content[0].value

    root = etree.fromstring(site.path("feed.xml").read_bytes())
    channel = root.find("channel")
    assert root.get("version") == "2.0"
    self_link = channel.find("atom:link", NS)
    assert (
        self_link.get("rel") == "self"
        and self_link.get("href") == "https://example.org/tips/feed.xml"
    )
    items = channel.findall("item")
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert [d.date().isoformat() for d in dates] == ["2025-07-01", "2025-06-24"]
    # lastBuildDate is the newest tip, not the clock, so rebuilds are reproducible.
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == dates[0]
    assert (
        items[0].findtext("guid") == first.link
        and items[0].find("guid").get("isPermaLink") == "true"
    )
    assert items[0].find("content:encoded", NS) is not None
    assert items[0].findtext("dc:creator", namespaces=NS) == "Casey Morgan"


def test_feeds_hold_the_newest_twenty_by_default(make_site):
    make_site.add_weekly_tips(25)
    site = make_site.build()
    assert [e.title for e in site.feed().entries] == [f"Tip {n}" for n in range(25, 5, -1)]
    site = make_site.build({"feed_items": 5})
    assert len(site.feed().entries) == 5


def test_each_tag_has_its_own_feed(make_site):
    make_site.write(
        "tips/tags.yml", "email:\n  title: Email\n  description: Writing to customers.\n"
    )
    make_site.add_tip("A", "2025-07-01", tags=["email"])
    make_site.add_tip("B", "2025-07-08", tags=["phone"])
    site = make_site.build()
    feed = site.feed("tags/email/feed.xml")
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["A"]
    assert feed.feed.title == "Tip Site: Email"
    assert feed.feed.subtitle == "Writing to customers."
    assert (
        "Writing to customers."
        in site.html("/tags/email/").select_one(".tw-description").get_text()
    )


def test_an_empty_archive_has_an_empty_valid_feed(make_site):
    site = make_site.build()
    feed = site.feed()
    assert feed.bozo == 0 and feed.entries == [] and feed.feed.title == "Tip Site"


def test_without_site_url_feeds_point_at_localhost_and_say_so_once(make_site):
    make_site.add_tip("A", "2025-07-01")
    site = make_site.build(strict=False, extra_config={"site_url": None})
    assert [m for m in make_site.messages() if "site_url is not set" in m] == [
        "site_url is not set in mkdocs.yml; feeds need absolute links, "
        "so they point at http://localhost:8000/ until you set it"
    ]
    assert site.feed().entries[0].link == "http://localhost:8000/2025/07/01/a/"


def test_feed_categories_are_the_tag_titles_pages_show(make_site):
    make_site.write("tips/tags.yml", "faq:\n  title: FAQ\n")
    make_site.add_tip("A", "2025-07-01", tags=["faq", "phone skills"])
    make_site.add_tip("B", "2025-07-08", tags=["Phone Skills"])
    make_site.add_tip("C", "2025-07-15", tags=["Phone Skills", "faq"])
    site = make_site.build()
    # tags.yml's title wins; else the spelling most tips use ("Phone Skills", 2 of 3).
    by_title = {
        item.findtext("title"): [c.text for c in item.findall("category")]
        for item in etree.fromstring(site.path("feed.xml").read_bytes()).iter("item")
    }
    assert by_title == {
        "A": ["FAQ", "Phone Skills"],
        "B": ["Phone Skills"],
        "C": ["Phone Skills", "FAQ"],
    }
    page_tags = [a.get_text() for a in site.html("/2025/07/01/a/").select(".p-category")]
    assert page_tags == by_title["A"]
    tag_feed = site.feed("tags/faq/feed.xml")
    assert [t.term for t in tag_feed.entries[0].tags] == ["Phone Skills", "FAQ"]
