"""Comments under tips: giscus, a "Reply by email" link, or nothing; only on tip pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from mkdocs.exceptions import Abort

GISCUS = {
    "repo": "northwind/tips",
    "repo_id": "R_kgDOExample",
    "category": "Tip comments",
    "category_id": "DIC_kwDOExample",
}
PAGES = ["/", "/tags/", "/tags/calls/", "/2025/", "/about/"]


@pytest.fixture
def tips(make_site):
    make_site.write("docs/about.md", "# About\n")
    make_site.add_tip('Say "No" & Mean It', "2025-07-01", tags=["calls"], file_slug="say-no")
    return make_site


def test_no_comments_by_default(tips):
    site = tips.build()
    assert site.html("/2025/07/01/say-no/").select(".tw-comments") == []


def test_email_comments_link_with_the_tips_title_as_subject(tips):
    site = tips.build({"comments": "email", "comments_email": "tips@example.org"})
    soup = site.html("/2025/07/01/say-no/")
    [link] = soup.select(".tw-comments a")
    assert link.get_text(strip=True) == "Reply by email"
    # A section with its own heading, named by it; a text link, not another CTA button.
    section = soup.select_one("section.tw-comments")
    heading = section.select_one("h2")
    assert heading.get_text(strip=True) == "Leave a Reply"
    assert section["aria-labelledby"] == heading["id"]
    assert "md-button" not in link.get("class", [])
    href = urlsplit(link["href"])
    assert (href.scheme, href.path) == ("mailto", "tips@example.org")
    assert parse_qs(href.query) == {"subject": ['Re: Say "No" & Mean It']}
    for url in PAGES:
        assert site.html(url).select(".tw-comments") == [], url


def test_giscus_thread_as_material_documents_it_only_on_tip_pages(tips):
    site = tips.build({"comments": "giscus", "giscus": {**GISCUS, "mapping": "title"}})
    soup = site.html("/2025/07/01/say-no/")
    section = soup.select_one("section.tw-comments")
    assert section.select_one("h2#__comments").get_text(strip=True) == "Comments"
    # Where the count goes once giscus reports it (hidden until then).
    assert section.select_one("h2#__comments [data-tw-comment-count]").has_attr("hidden")
    script = section.select_one("script[src]")
    assert script["src"] == "https://giscus.app/client.js"
    data = {k.removeprefix("data-"): v for k, v in script.attrs.items() if k.startswith("data-")}
    assert data == {
        "repo": "northwind/tips",
        "repo-id": "R_kgDOExample",
        "category": "Tip comments",
        "category-id": "DIC_kwDOExample",
        "mapping": "title",
        "reactions-enabled": "1",
        "emit-metadata": "1",
        "input-position": "top",
        "theme": "light",
        "lang": "en",
        "loading": "lazy",
    }
    assert script.has_attr("async") and script["crossorigin"] == "anonymous"
    for url in PAGES:
        page = site.html(url)
        assert page.select(".tw-comments") == [], url
        assert not any(
            "giscus" in (s.get("src") or "") + s.get_text() for s in page.select("script")
        ), url


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"comments": "email"}, "comments: email needs comments_email"),
        (
            {"comments": "giscus", "giscus": {"repo": "a/b"}},
            "giscus needs giscus: repo_id, category, category_id",
        ),
        ({"comments": "disqus"}, "'comments'"),
    ],
)
def test_incomplete_comment_settings_fail_the_build_with_the_option_named(
    tips, options, message, caplog
):
    with pytest.raises(Abort):
        tips.build(options)
    assert any(message in r.getMessage() for r in caplog.records), [
        r.getMessage() for r in caplog.records
    ]


def test_comments_off_written_as_yaml_off(tips):
    # YAML 1.1 (PyYAML, MkDocs) reads `comments: off` as false.
    site = tips.build({"comments": False})
    assert site.html("/2025/07/01/say-no/").select(".tw-comments") == []
