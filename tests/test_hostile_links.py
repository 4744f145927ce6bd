"""One rule for links everywhere (issue #29): a script URL in a tip's body, its `image:`,
an author's `url:` or the site's own links is the same error, from `tipweek check` and the
build alike; and every plain text reaching a feed is escaped for the feed's context."""

from __future__ import annotations

import html

import pytest
from bs4 import BeautifulSoup
from conftest import run_cli
from lxml import etree
from mkdocs.exceptions import Abort

from tipweek.core.links import link_problem, script_scheme

MESSAGE = "link runs script in the reader's browser; link to an http(s) page instead"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("  JavaScript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("\x01javascript:x", "javascript"),
        ("&#106;avascript:x", "javascript"),
        ("&#x6A;avascript&colon;x", "javascript"),
        ("vbscript:msgbox", "vbscript"),
        ("data:text/html,<script>x</script>", "data"),
        ("DATA:image/png;base64,AAAA", None),
        ("https://example.org/javascript:x", None),
        ("/about/", None),
        ("mailto:a@example.org", None),
        ("&#" + "1" * 5000 + ";javascript:x", None),  # no traceback from int()
    ],
)
def test_one_decision_for_every_link(url, scheme):
    assert script_scheme(url) == scheme
    assert (link_problem(url) is None) == (scheme is None)


def check_and_build_errors(make_site, capsys, **build: object) -> tuple[list[str], list[str]]:
    code, _, err = run_cli(capsys, "check")
    assert code == 1, err
    with pytest.raises(Abort):
        make_site.build(**build)
    checked = [m for m in err.splitlines() if "error" in m]
    return checked, make_site.messages()


def test_an_authors_script_url_is_the_same_error_as_in_a_tip(make_site, capsys):
    make_site.write(
        "tips/authors.yml",
        "casey:\n  name: Casey\n  url: https://example.org/casey\n"
        "mallory:\n  name: Mallory\n  url: ' JaVaScRiPt:alert(document.domain)'\n",
    )
    make_site.add_tip("By Mallory", "2025-07-01", author="mallory")
    make_site.add_tip("In The Body", "2025-07-08", "Hello.\n\n[x](javascript:alert(1))")
    checked, built = check_and_build_errors(make_site, capsys, strict=False)
    assert f"tips/authors.yml:4: error: author 'mallory': 'url' is a javascript: {MESSAGE}" in (
        checked
    )
    assert f"tips/2025/2025-07-08-in-the-body.md:7: error: a javascript: {MESSAGE}" in checked
    for line in checked:
        assert line in built  # the same words, the same severity, without --strict


def test_a_tips_script_image_is_the_same_error(make_site, capsys):
    make_site.add_tip("Pic", "2025-07-01", image="data:text/html;base64,PHNjcmlwdD4=")
    checked, built = check_and_build_errors(make_site, capsys, strict=False)
    assert checked == [f"tips/2025/2025-07-01-pic.md:4: error: 'image' is a data: {MESSAGE}"]
    assert checked[0] in built


@pytest.mark.parametrize(
    "options",
    [
        {"call_to_action": [{"title": "Click", "url": "javascript:alert(1)"}]},
        {"share_image": "vbscript:msgbox(1)"},
    ],
)
def test_a_script_url_among_the_sites_links_is_an_error(make_site, capsys, options):
    make_site.add_tip("Tip", "2025-07-01")
    with pytest.raises(Abort):
        make_site.build(options, strict=False)
    assert any(MESSAGE in m for m in make_site.messages()), make_site.messages()


def test_tag_feed_channel_text_is_escaped_for_html(make_site):
    """A tag's description is plain text: in the channel's `description`, which readers
    take as HTML, `<script>` must arrive as text, not as an element."""
    description = "<script>alert(1)</script> Tips & <b>tricks</b>"
    make_site.write("tips/tags.yml", f"email:\n  title: Email\n  description: '{description}'\n")
    make_site.add_tip("A", "2025-07-01", tags=["email"])
    site = make_site.build()
    raw = site.path("tags/email/feed.xml").read_bytes()
    channel = etree.fromstring(raw).find("channel")
    # Escaped for HTML, then for XML: the XML text is the HTML source of the text.
    assert channel.findtext("description") == html.escape(description, quote=False)
    parsed = site.feed("tags/email/feed.xml")
    assert parsed.bozo == 0
    as_html = BeautifulSoup(parsed.feed.subtitle, "lxml")
    assert as_html.find("script") is None and as_html.find("b") is None
    assert as_html.get_text() == description
    # The tag page shows the same text.
    shown = site.html("/tags/email/").select_one(".tw-description")
    assert shown.get_text() == description and shown.find("script") is None
