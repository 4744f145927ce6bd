"""The site carries each tip's email edition beside its page, and the email feed."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import feedparser
from bs4 import BeautifulSoup
from lxml import etree

EMAIL = {
    "provider": "listmonk",
    "from_address": "Tips <tips@example.org>",
    "postal_address": "1 Main Street\nSpringfield",
}


def test_each_published_tip_has_its_edition_beside_its_page(make_site):
    make_site.add_tip(
        "Listen First", "2025-07-01", "Hear them [out](../../../../about/).", tags=["Phone Skills"]
    )
    make_site.add_tip("Draft", "2025-07-08", "Not yet.", draft=True)
    make_site.add_tip("Next Week", "2026-02-03", "Later.")
    site = make_site.build({"email": EMAIL})
    assert site.exists("2025/07/01/listen-first/email.html")
    assert not site.exists("2025/07/08/draft/email.html")
    assert not site.exists("2026/02/03/next-week/email.html")
    edition = site.html("2025/07/01/listen-first/email.html")
    assert edition.select_one("h1 a")["href"] == "https://example.org/tips/2025/07/01/listen-first/"
    assert edition.select_one(".body a")["href"] == "https://example.org/tips/about/"
    tags = edition.select(".tags a")
    assert [(a.get_text(), a["href"]) for a in tags] == [
        ("Phone Skills", "https://example.org/tips/tags/phone-skills/")
    ]
    footer = edition.select_one(".footer")
    assert "1 Main Street" in footer.get_text()
    assert footer.find("a", string="Unsubscribe")["href"] == "{{ UnsubscribeURL }}"


def test_serve_shows_drafts_and_scheduled_tips_editions_too(make_site):
    make_site.add_tip("Draft", "2025-07-08", "Not yet.", draft=True)
    make_site.add_tip("Next Week", "2026-02-03", "Later.")
    site = make_site.build(command="serve")
    assert site.exists("2025/07/08/draft/email.html")
    assert site.exists("2026/02/03/next-week/email.html")


def test_the_email_feed_carries_the_newest_editions_content(make_site):
    make_site.write("docs/assets/chart.png", "not really a picture")
    for day in range(1, 4):
        make_site.add_tip(
            f"Tip {day}", f"2025-07-0{day}", f"Body {day}: ![a chart](/assets/chart.png)."
        )
    site = make_site.build({"email": EMAIL, "feed_items": 2})
    feed = site.feed("email.xml")
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Tip 3", "Tip 2"]
    root = etree.fromstring(site.path("email.xml").read_bytes())
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == "https://example.org/tips/email.xml"
    for item in root.iter("item"):
        parsedate_to_datetime(item.findtext("pubDate"))
    # Read from the XML itself: feedparser's sanitiser drops some of the inlined CSS.
    encoded = root.find("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded")
    content = BeautifulSoup(encoded.text, "lxml")
    edition = site.html("2025/07/03/tip-3/email.html")
    # The feed's content is the edition's column, styles and all.
    assert content.select_one(".body").decode() == edition.select_one(".body").decode()
    image = content.select_one(".body img")
    assert image["src"] == "https://example.org/tips/assets/chart.png"
    assert image["alt"] == "a chart" and image["width"].isdigit()
    assert content.select_one(".button-link")["href"] == "https://example.org/tips/subscribe/"
    assert "style" in content.select_one(".button-link").attrs
    assert feedparser.parse(site.path("feed.xml").read_bytes()).bozo == 0


def test_a_hostile_tip_is_inert_in_its_edition_and_the_email_feed(make_site):
    body = (
        '<script>alert(1)</script>\n\n<p onmouseover="alert(2)">Hover</p>\n\n'
        '<img src="x.png" onerror="alert(4)">\n\n'
        '<iframe src="https://evil.example/"></iframe><style>p{display:none}</style>\n'
    )
    make_site.add_tip('<img src=x onerror="alert(5)">', "2025-07-01", body, file_slug="evil")
    site = make_site.build({"email": EMAIL}, strict=False)
    encoded = etree.fromstring(site.path("email.xml").read_bytes()).find(
        "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded"
    )
    for soup in (site.html("2025/07/01/evil/email.html"), BeautifulSoup(encoded.text, "lxml")):
        assert soup.find_all(["script", "iframe", "object", "embed", "form"]) == []
        assert len(soup.find_all("style")) <= 1  # the edition's own @media rules
        for element in soup.find_all(True):
            assert not [name for name in element.attrs if name.startswith("on")]
            assert not element.get("href", "").lower().startswith("javascript:")
        assert "alert(1)" not in soup.get_text()
    edition = site.html("2025/07/01/evil/email.html")
    assert edition.select_one("h1.title").get_text() == '<img src=x onerror="alert(5)">'


def test_editions_kept_from_the_last_build_equal_editions_made_afresh(make_site, monkeypatch):
    """The store of editions (speed/email_editions.py) gives back only what an identical
    view made: after edits to one tip's body, to the email settings and to a call to
    action, the site equals a build that makes every edition."""
    import shutil

    import tipweek.email.site_files as site_files
    from tipweek.speed import switches

    for day in range(1, 6):
        make_site.add_tip(f"Tip {day}", f"2025-07-0{day}", f"Body {day}.")
    options = {"email": EMAIL, "feed_items": 2}
    made: list[str] = []
    edition_html = site_files.edition_html

    def counting(view):
        made.append(view.title)
        return edition_html(view)

    monkeypatch.setattr(site_files, "edition_html", counting)
    make_site.build(options)
    assert sorted(made) == [f"Tip {day}" for day in range(1, 6)]
    made.clear()
    make_site.build(options)
    assert sorted(made) == ["Tip 4", "Tip 5"]  # the feed's two are always made afresh
    edits = [
        lambda: make_site.add_tip("Tip 1", "2025-07-01", "Body 1, edited."),
        lambda: options.update(email={**EMAIL, "postal_address": "2 Side Street"}),
        lambda: options.update(call_to_action=[{"title": "Subscribe", "url": "/subscribe/"}]),
    ]
    for edit in edits:
        edit()
        warm = make_site.build(options).tree()
        monkeypatch.setenv(switches.ENV, "email-cache")
        switches.reset()
        shutil.rmtree(make_site.root / "site")
        cold = make_site.build(options).tree()
        monkeypatch.delenv(switches.ENV)
        switches.reset()
        assert warm == cold
    made.clear()
    make_site.build(options)
    assert sorted(made) == ["Tip 4", "Tip 5"]
