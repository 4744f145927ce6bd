"""What search engines and chat apps read: descriptions, Open Graph, Twitter cards,
JSON-LD and the sitemap, parsed back with extruct (as crawlers do) and lxml."""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict

import extruct
import pytest
from lxml import etree

from tipweek.core.share import script_json

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://example.org/tips/"


def share_data(site, url: str) -> dict:
    """The page's head as crawlers read it: Open Graph (repeats kept), Twitter, JSON-LD."""
    page = site.path(url).read_text(encoding="utf-8")
    data = extruct.extract(page, base_url=SITE + url.lstrip("/"), syntaxes=["opengraph", "json-ld"])
    og: dict[str, list[str]] = defaultdict(list)
    for block in data["opengraph"]:
        for key, value in block["properties"]:
            og[key].append(value)
    soup = site.html(url)
    names = {m["name"]: m["content"] for m in soup.select("head meta[name]")}
    canonical = soup.select_one("head link[rel=canonical]")
    return {
        "og": dict(og),
        "names": names,
        "json_ld": data["json-ld"],
        "canonical": canonical["href"] if canonical else None,
    }


def sitemap_lastmod(site) -> dict[str, str]:
    root = etree.fromstring(site.path("sitemap.xml").read_bytes())
    return {
        url.findtext("s:loc", namespaces=SITEMAP).removeprefix(SITE): url.findtext(
            "s:lastmod", namespaces=SITEMAP
        )
        for url in root.findall("s:url", SITEMAP)
    }


def test_a_tip_has_its_own_card_and_structured_data(make_site):
    make_site.write("tips/authors.yml", "casey:\n  name: Casey Morgan\n  url: /about/\n")
    make_site.write("tips/tags.yml", "faq:\n  title: FAQ\n")
    make_site.write("docs/about.md", "# About\n")
    make_site.add_tip(
        'Say "No" <Kindly>',
        "2025-07-01",
        "First paragraph of *advice* & more.\n\nSecond paragraph.",
        tags=["faq", "Phone Skills"],
        author="casey",
        summary='A "short" answer & a </script> tag.',
        updated="2025-09-02",
        image="/assets/no.png",
    )
    site = make_site.build(
        extra_config={"site_description": "Site-wide words.", "site_author": "Northwind"}
    )
    url = "/2025/07/01/say-no-kindly/"
    data = share_data(site, url)
    absolute = SITE + "2025/07/01/say-no-kindly/"
    description = 'A "short" answer & a </script> tag.'
    assert data["names"]["description"] == description  # not the site's description
    assert data["names"]["author"] == "Casey Morgan"
    assert data["canonical"] == absolute
    assert data["og"] == {
        "og:type": ["article"],
        "og:site_name": ["Tip Site"],
        "og:title": ['Say "No" <Kindly>'],
        "og:description": [description],
        "og:url": [absolute],
        "og:image": [SITE + "assets/no.png"],
        "article:published_time": ["2025-07-01T00:00:00+00:00"],
        "article:modified_time": ["2025-09-02T00:00:00+00:00"],
        "article:tag": ["FAQ", "Phone Skills"],
    }
    assert data["names"]["twitter:card"] == "summary_large_image"
    assert data["names"]["twitter:title"] == 'Say "No" <Kindly>'
    assert data["names"]["twitter:description"] == description
    assert data["names"]["twitter:image"] == SITE + "assets/no.png"
    [posting] = data["json_ld"]
    assert posting == {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": 'Say "No" <Kindly>',
        "description": description,
        "url": absolute,
        "mainEntityOfPage": absolute,
        "datePublished": "2025-07-01T00:00:00+00:00",
        "dateModified": "2025-09-02T00:00:00+00:00",
        "author": {"@type": "Person", "name": "Casey Morgan", "url": SITE + "about/"},
        "publisher": {"@type": "Organization", "name": "Northwind", "url": SITE},
        "keywords": ["FAQ", "Phone Skills"],
        "image": SITE + "assets/no.png",
    }
    # The page shows the revision date too, as microformats readers expect.
    updated = site.html(url).select_one(".h-entry time.dt-updated")
    assert updated["datetime"] == "2025-09-02" and updated.get_text() == "9/2/25"


def test_without_a_summary_the_description_is_the_excerpt_as_plain_text(make_site):
    make_site.add_tip("Plain", "2025-07-01", "Use **short** words.\n\n<!-- more -->\n\nThe rest.")
    site = make_site.build({"share_image": "assets/card.png", "organisation": "Northwind"})
    data = share_data(site, "/2025/07/01/plain/")
    assert data["names"]["description"] == "Use short words."
    assert data["og"]["og:image"] == [SITE + "assets/card.png"]  # the site's picture
    assert "article:modified_time" not in data["og"]
    [posting] = data["json_ld"]
    # No author: the organisation is the author, and the tip was never revised.
    assert posting["author"] == {"@type": "Organization", "name": "Northwind", "url": SITE}
    assert posting["dateModified"] == posting["datePublished"]
    assert site.html("/2025/07/01/plain/").select(".dt-updated") == []


LONG_WORDS = (
    "Training scripts written in a meeting room always sound a bit too tidy. Real customers "
    "interrupt, wander off on tangents, mix up product names and change their minds halfway "
    "through a sentence, so train people with real conversations instead."
)


def test_long_descriptions_are_cut_at_a_word_under_160_characters(make_site):
    make_site.add_tip("Long", "2025-07-01", LONG_WORDS)
    make_site.write("tips/tags.yml", f"faq:\n  title: FAQ\n  description: {LONG_WORDS}\n")
    make_site.add_tip("Tagged", "2025-07-08", "Short.", tags=["faq"])
    site = make_site.build(extra_config={"site_description": LONG_WORDS})
    words = LONG_WORDS.split()
    for url in ("/2025/07/01/long/", "/tags/faq/", "/"):
        data = share_data(site, url)
        shown = {
            data["names"]["description"],
            data["names"]["twitter:description"],
            *data["og"]["og:description"],
        }
        assert len(shown) == 1, (url, shown)  # the same words everywhere
        [text] = shown
        assert len(text) < 160 and text.endswith("…"), (url, text)
        kept = text.removesuffix("…").split()
        # Whole words of the text, in order: the cut falls between two words.
        assert kept == words[: len(kept)], (url, text)
        assert len(kept) >= 15, (url, text)  # and not needlessly short
    [posting] = share_data(site, "/2025/07/01/long/")["json_ld"]
    assert len(posting["description"]) < 160


def test_listings_have_their_own_descriptions_and_website_cards(make_site):
    make_site.write(
        "tips/tags.yml", "faq:\n  title: FAQ\n  description: Questions customers ask.\n"
    )
    for n in range(1, 13):
        make_site.add_tip(f"Tip {n}", f"2025-03-{n:02d}", tags=["faq", "calls"])
    site = make_site.build(extra_config={"site_description": "A tip every week."})
    described = {
        url: share_data(site, url)
        for url in ["/", "/page/2/", "/tags/faq/", "/tags/calls/page/2/", "/2025/", "/tags/"]
    }
    assert {url: data["names"]["description"] for url, data in described.items()} == {
        "/": "A tip every week. Page 1 of 2.",
        "/page/2/": "A tip every week. Page 2 of 2.",
        "/tags/faq/": "Questions customers ask. Page 1 of 2.",
        "/tags/calls/page/2/": "Every tip of Tip Site tagged “calls”, newest first. Page 2 of 2.",
        "/2025/": "Every tip Tip Site published in 2025, newest first. Page 1 of 2.",
        "/tags/": "Every tag of Tip Site, with its number of tips, and the archive by year.",
    }
    for url, data in described.items():
        assert data["og"]["og:type"] == ["website"], url
        assert data["og"]["og:url"] == [SITE + url.lstrip("/")], url
        assert data["og"]["og:title"] == [site.html(url).title.get_text()], url
        assert data["names"]["twitter:card"] == "summary", url
        assert data["json_ld"] == [], url


def test_sitemap_dates_tips_by_their_date_or_update_not_the_build(make_site):
    make_site.add_tip("Old", "2009-03-03")
    make_site.add_tip("Revised", "2012-05-01", updated="2024-11-05")
    make_site.add_tip("New", "2025-07-01")
    site = make_site.build()  # "now" is 2026-01-01
    lastmod = sitemap_lastmod(site)
    assert lastmod["2009/03/03/old/"] == "2009-03-03"
    assert lastmod["2012/05/01/revised/"] == "2024-11-05"
    assert lastmod["2025/07/01/new/"] == "2025-07-01"
    assert lastmod[""] == "2025-07-01"  # a listing: its newest change
    assert lastmod["2012/"] == "2024-11-05"
    assert lastmod["tags/"] == "2025-07-01"


def git(root, *args: str, when: str = "") -> None:
    env = {
        "GIT_AUTHOR_NAME": "Ed",
        "GIT_AUTHOR_EMAIL": "ed@example.org",
        "GIT_COMMITTER_NAME": "Ed",
        "GIT_COMMITTER_EMAIL": "ed@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "PATH": os.environ["PATH"],
    }
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_sitemap_dates_docs_pages_by_their_last_commit_never_the_build_day(make_site):
    make_site.add_tip("New", "2025-07-01")
    make_site.write("docs/about.md", "# About\n")
    make_site.write("docs/contact.md", "# Contact\n")
    make_site.write("docs/subscribe.md", "---\nupdated: 2024-02-29\n---\n# Subscribe\n")
    make_site.write("docs/faq.md", "# FAQ\n")  # never committed
    git(make_site.root, "init", "-q")
    git(make_site.root, "add", "docs/about.md", "docs/contact.md", "docs/subscribe.md")
    git(make_site.root, "commit", "-qm", "pages", when="2023-05-06T10:00:00+00:00")
    make_site.write("docs/contact.md", "# Contact us\n")
    git(make_site.root, "commit", "-qam", "contact", when="2024-08-09T10:00:00+00:00")
    site = make_site.build()  # "now" is 2026-01-01
    lastmod = sitemap_lastmod(site)
    assert lastmod["about/"] == "2023-05-06"
    assert lastmod["contact/"] == "2024-08-09"
    assert lastmod["subscribe/"] == "2024-02-29"  # the page's own date wins
    assert lastmod["faq/"] is None  # no date known: none, rather than the build day
    assert lastmod["2025/07/01/new/"] == "2025-07-01"  # tips keep theirs
    assert "2026-01-01" not in lastmod.values()


def test_without_git_docs_pages_have_no_lastmod(make_site):
    make_site.add_tip("New", "2025-07-01")
    make_site.write("docs/about.md", "# About\n")
    lastmod = sitemap_lastmod(make_site.build())
    assert lastmod["about/"] is None and lastmod[""] == "2025-07-01"


def test_robots_txt_names_the_absolute_sitemap(make_site):
    make_site.add_tip("New", "2025-07-01")
    site = make_site.build()
    robots = (site.site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[:2] == ["User-agent: *", "Allow: /"]
    assert [line for line in robots if line.startswith("Sitemap:")] == [
        "Sitemap: " + SITE + "sitemap.xml"
    ]
    assert site.exists("sitemap.xml")


def test_a_robots_txt_of_the_sites_own_is_kept(make_site):
    make_site.add_tip("New", "2025-07-01")
    make_site.write("docs/robots.txt", "User-agent: *\nDisallow: /drafts/\n")
    site = make_site.build()
    assert (site.site_dir / "robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"


def test_an_alias_over_robots_txt_is_an_error(make_site):
    from mkdocs.exceptions import Abort

    make_site.add_tip("New", "2025-07-01", aliases=["/robots.txt"])
    with pytest.raises(Abort):
        make_site.build()
    assert (
        "tips/2025/2025-07-01-new.md:4: error: URL /robots.txt is already the site's robots.txt"
        in make_site.messages()
    )


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ({"updated": "2025-06-01"}, "'updated' is before the tip's 'date'"),
        ({"updated": "someday"}, "updated"),
        ({"image": "a picture.png"}, "'image' must be a URL or a path"),
    ],
)
def test_bad_updated_or_image_is_reported_with_its_line(make_site, front, message):
    from mkdocs.exceptions import Abort

    make_site.add_tip("Bad", "2025-07-01", **front)
    with pytest.raises(Abort):
        make_site.build()
    problems = [m for m in make_site.messages() if m.startswith("tips/2025/2025-07-01-bad.md:")]
    assert len(problems) == 1 and message in problems[0]
    assert problems[0].startswith("tips/2025/2025-07-01-bad.md:4:")  # the key after the date


def test_json_ld_cannot_close_its_script_element():
    text = script_json({"a": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text


def test_an_edited_update_date_reaches_page_and_sitemap_through_the_caches(make_site):
    tip = make_site.add_tip("Edited", "2025-07-01", "Body.", updated="2025-08-05")
    make_site.build()
    tip.write_text(tip.read_text().replace("2025-08-05", "2025-10-07"))
    site = make_site.build()  # warm: the render and page caches are there
    assert site.html("/2025/07/01/edited/").select_one(".dt-updated")["datetime"] == "2025-10-07"
    assert share_data(site, "/2025/07/01/edited/")["og"]["article:modified_time"] == [
        "2025-10-07T00:00:00+00:00"
    ]
    assert sitemap_lastmod(site)["2025/07/01/edited/"] == "2025-10-07"
