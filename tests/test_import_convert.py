"""Old post HTML → safe Markdown, titles and excerpts: the converter on its own.

The Markdown is also rendered with Python-Markdown and parsed, to prove what a
reader of the new site gets: no script, no handler, no `javascript:` link.
"""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup

from tipweek.importer import DEFAULT_TITLE_DATE_SUFFIX
from tipweek.importer.convert import (
    add_paragraphs,
    clean_title,
    post_markdown,
    summary_text,
)
from tipweek.importer.plan import old_url_alias
from tipweek.importer.shortcodes import MediaContext, expand_shortcodes

ATTACKS = """
<p>Hello<script>alert(1)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT></p>
<p><img src="a.png" onerror="alert(2)" onload="alert(3)" alt="a"></p>
<p><a href="javascript:alert(4)">one</a> <a href=" JaVaScRiPt:alert(5)">two</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==">three</a>
<a href="vbscript:msgbox(7)">four</a></p>
<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>
<svg onload="alert(8)"><circle r="1"/></svg><form action="https://evil.example/"><input></form>
<p style="background:url(javascript:alert(9))" onclick="alert(10)">styled</p>
<p>&lt;img src=x onerror=alert(11)&gt; is only text</p>
"""


def rendered(markdown_text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(markdown_text), "lxml")


def test_scripts_handlers_and_dangerous_urls_are_gone_after_rendering():
    result = post_markdown(ATTACKS, base_url="https://old.example/2014/07/22/x/")
    page = rendered(result)
    assert page.find_all(["script", "iframe", "style", "svg", "form", "input"]) == []
    for element in page.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on") or name == "style"]
    assert [a.get("href") for a in page.find_all("a")] == []  # their text stays, unlinked
    assert [img["src"] for img in page.find_all("img")] == [
        "https://old.example/2014/07/22/x/a.png"
    ]
    assert "<img src=x onerror=alert(11)> is only text" in page.get_text()
    assert "alert" not in re.sub(r"<img src=x onerror=alert\(11\)>", "", page.get_text())


def test_more_marker_caption_and_paragraphs_of_a_classic_wordpress_post():
    raw = (
        "First paragraph\nwith a line break.\n\n<!--more Keep reading-->\n\n"
        '[caption id="attachment_1" align="alignnone" width="300"]'
        '<img src="https://old.example/a.jpg" alt="A" /> The caption[/caption]\n\n'
        "<pre>code\n\nstays</pre>\n\nLast."
    )
    assert post_markdown(raw, needs_paragraphs=True) == (
        "First paragraph  \nwith a line break.\n\n<!-- more -->\n\n"
        '<figure><img src="https://old.example/a.jpg" alt="A"><figcaption>The caption'
        "</figcaption></figure>\n\n"
        "```\ncode\n\nstays\n```\n\nLast."
    )


def test_only_the_first_more_marker_counts_and_rendered_feed_markers_are_found():
    html = '<p>One.</p><p><span id="more-42"></span></p><p>Two.</p><!--more--><p>Three.</p>'
    assert post_markdown(html) == "One.\n\n<!-- more -->\n\nTwo.\n\nThree."


def test_block_editor_posts_keep_their_own_paragraphs():
    html = (
        "<!-- wp:paragraph -->\n<p>Block one.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        "<!-- wp:list -->\n<ul><li>a</li><li>b</li></ul>\n<!-- /wp:list -->"
    )
    assert post_markdown(html, needs_paragraphs=False) == (
        "Block one.\n\n<!-- more -->\n\n- a\n- b"
    )


@pytest.mark.parametrize(
    ("text", "expected", "notes"),
    [
        ("[column][b]Inner[/b][/column]", "Inner", ["[column]", "[b]"]),
        ('Before [contact-form-7 id="3"] after', "Before  after", ["[contact-form-7] removed"]),
        ("A footnote [1] and [sic] stay.", "A footnote [1] and [sic] stay.", []),
        ("Type [[gallery]] to show a gallery.", "Type [gallery] to show a gallery.", []),
        ('[gallery ids="1"]', "", ["[gallery]: attachment 1 not in the source"]),
        (
            "[youtube https://www.youtube.com/watch?v=x2]",
            '<p><a href="https://www.youtube.com/watch?v=x2">Video on YouTube</a></p>',
            ["[youtube] of https://www.youtube.com/watch?v=x2 became a link"],
        ),
        (
            "[wpvideo]https://videos.example/v/1[/wpvideo]",
            '<p><a href="https://videos.example/v/1">Embedded content on videos.example</a></p>',
            ["[wpvideo] of https://videos.example/v/1 became a link"],
        ),
        ("[see https://example.org/]", "[see https://example.org/]", []),
        (
            '[video src="https://youtu.be/x1"]',
            '<p><a href="https://youtu.be/x1">Video on YouTube</a></p>',
            ["[video] of https://youtu.be/x1 became a link"],
        ),
    ],
)
def test_shortcodes_expand_or_keep_their_text_and_are_reported(text, expected, notes):
    context = MediaContext()
    assert expand_shortcodes(text, context).strip() == expected
    assert len(context.notes) >= len(notes)
    for wanted in notes:
        assert any(wanted in note for note in context.notes), context.notes


def test_paragraphs_are_added_around_but_not_inside_blocks():
    assert add_paragraphs("Intro:\n<ul>\n<li>one</li>\n</ul>\nOutro\nnext line") == (
        "<p>Intro:</p>\n<ul>\n<li>one</li>\n</ul>\n<p>Outro<br />\nnext line</p>"
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Review the Failures of Others &#8211; 7/22/14 TOW", "Review the Failures of Others"),
        ("Listen First - 8/5/14", "Listen First"),
        ("Smile (7/1/2025)", "Smile"),
        ("Be Brief \u2014 2014-07-22", "Be Brief"),
        ("7/22/14", "7/22/14"),  # nothing would be left: keep it
        ("Top 10 Tips for 2014", "Top 10 Tips for 2014"),
        ("Fix 2/3 of Complaints Today", "Fix 2/3 of Complaints Today"),
        ("Q&amp;A: &lt;Tags&gt; in <em>Titles</em>", "Q&A: <Tags> in Titles"),
    ],
)
def test_titles_lose_markup_entities_and_a_date_suffix(title, expected):
    assert clean_title(title, re.compile(DEFAULT_TITLE_DATE_SUFFIX)) == expected


def test_summaries_keep_written_excerpts_and_drop_automatic_ones():
    content = "<p>Let the customer finish. Then answer. More words follow.</p>"
    automatic = "Let the customer finish. Then answer. [&#8230;]"
    assert summary_text(automatic, content, written=False) is None
    assert summary_text("Listen &amp; learn.", content, written=False) == "Listen & learn."
    assert summary_text("Let the customer finish.", content, written=True) == (
        "Let the customer finish."
    )
    assert summary_text("", content, written=True) is None


@pytest.mark.parametrize(
    ("url", "alias"),
    [
        ("https://old.example/2014/07/22/old-title/", "/2014/07/22/old-title/"),
        ("https://old.example/?p=123", "/?p=123"),
        ("https://old.example/?page_id=7", "/?page_id=7"),
        ("https://old.example/blog/?p=123", None),  # tipweek serves queries on / only
        ("https://old.example/2014/07/caf%C3%A9/", "/2014/07/caf%C3%A9/"),
        ("https://old.example/2014/07/café it's/", "/2014/07/caf%C3%A9%20it%27s/"),
        ("https://old.example/", None),
        ("urn:uuid:0f4c5e2a-1111-4c1a-9a71-000000000402", None),
        ("https://old.example/archives/../etc/", None),
    ],
)
def test_old_urls_become_aliases_tipweek_accepts(url, alias):
    assert old_url_alias(url) == alias


def test_a_block_editor_embed_becomes_a_named_link():
    html = (
        '<!-- wp:embed {"url":"https://vimeo.com/1","type":"video"} -->\n'
        '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/1\n</div></figure>\n<!-- /wp:embed -->"
    )
    assert (
        post_markdown(html)
        == '<figure><p><a href="https://vimeo.com/1">Video on Vimeo</a></p></figure>'
    )
