"""Excerpts and URL rewriting of rendered tip HTML."""

from __future__ import annotations

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tipweek.core.markup as markup_module
from tipweek.core.markup import (
    absolutize,
    close_open_tags,
    make_excerpt,
    relocate,
    relocation_is_identity,
    text_excerpt,
)

LONG = "<p>" + " ".join(f"w{n}" for n in range(1, 101)) + "</p>"


def well_formed(fragment: str) -> bool:
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parseFragment(fragment)
    except html5lib.html5parser.ParseError:
        return False
    return True


def test_summary_wins_and_is_escaped():
    assert (
        make_excerpt(LONG, "Say <b>hi</b> & go", 55) == "<p>Say &lt;b&gt;hi&lt;/b&gt; &amp; go</p>"
    )


def test_more_marker_keeps_the_html_before_it():
    rendered = "<p>First <em>one</em>.</p>\n<!-- more -->\n<p>Second.</p>"
    assert make_excerpt(rendered, None, 55) == "<p>First <em>one</em>.</p>"


def test_more_marker_inside_an_element_still_gives_balanced_html():
    excerpt = make_excerpt("<blockquote><p>Quote <!--more--> rest</p></blockquote>", None, 55)
    assert excerpt == "<blockquote><p>Quote</p></blockquote>"
    assert well_formed(excerpt)


def test_word_excerpt_cuts_on_a_word_boundary():
    excerpt = text_excerpt(LONG, 55)
    assert excerpt == "<p>" + " ".join(f"w{n}" for n in range(1, 56)) + " …</p>"


def test_word_excerpt_takes_text_only_from_paragraphs_and_escapes_it():
    rendered = (
        "<h2>Heading</h2><p>Tom &amp; <a href='x'>Jerry</a> &lt;3</p><pre><code>code</code></pre>"
    )
    assert make_excerpt(rendered, None, 55) == "<p>Tom &amp; Jerry &lt;3</p>"


def test_short_text_has_no_ellipsis():
    assert text_excerpt("<p>Just a few words.</p>", 55) == "<p>Just a few words.</p>"


@pytest.mark.parametrize(
    "fragment",
    ["<p>a <b>b", "<div><p>x</p><ul><li>y", "<p>ok</p>"],
)
def test_close_open_tags_balances_fragments(fragment):
    assert well_formed(close_open_tags(fragment))


def test_relocate_moves_relative_links_to_the_listing_page():
    rendered = '<p><a href="../../../../about/">About</a> <a href="#tip">here</a> <a href="https://x.org/">x</a></p>'
    moved = relocate(rendered, "2025/07/01/tip/", "page/2/")
    assert 'href="../../about/"' in moved
    assert 'href="../../2025/07/01/tip/#tip"' in moved
    assert 'href="https://x.org/"' in moved


def test_absolutize_makes_every_url_absolute():
    rendered = (
        '<p><a href="../../../../about/">A</a><img src="img.png" alt=""><a href="#x">x</a></p>'
    )
    result = absolutize(rendered, "https://example.org/2025/07/01/tip/")
    assert 'href="https://example.org/about/"' in result
    assert 'src="https://example.org/2025/07/01/tip/img.png"' in result
    assert 'href="https://example.org/2025/07/01/tip/#x"' in result


def test_rewriting_keeps_entities_and_comments():
    rendered = '<p title="a &amp; b">x &amp; y &#169;<!-- note --></p>'
    assert absolutize(rendered, "https://e.org/") == rendered


@pytest.mark.parametrize(
    ("markup", "identity"),
    [
        ("<p>No links at all.</p>", True),
        ('<p>See <a href="https://example.org/guide">the guide</a>.</p>', True),
        ('<p>Mail <a href="mailto:help@example.org">us</a>.</p>', True),
        ('<p>See <a href="../../../../about/">about</a>.</p>', False),
        ('<p>Jump <a href="#steps">down</a>.</p>', False),
        ('<p><img src="diagram.png" alt="a diagram"></p>', False),
        # The URL is absolute, but re-emitting the tag would spell the title differently.
        ("<p><a href=\"https://example.org/\" title='it&#39;s'>x</a></p>", False),
    ],
)
def test_relocation_is_identity_only_when_relocating_changes_nothing(markup, identity):
    assert relocation_is_identity(markup) is identity
    moved = relocate(markup, "2025/07/01/tip/", "page/2/")
    assert (moved == markup) is identity


# The text excerpt reads a tip a piece at a time and stops once it has enough words;
# it must give what reading the whole tip gives, wherever the pieces end.
_PIECES = st.sampled_from(
    [
        "word", "two words", "AT&T", "&amp;", "&#39;", "&lt;", "x&y", " ", "\n", "&",
        "<p>", "</p>", "<li>", "</li>", "<h2>", "</h2>", "<pre>", "</pre>", "<em>", "</em>",
        "<script>if (a <b) {}</script>", "<!-- a < b -->", '<a title="x<y" href="z">',
        "</a>", "<![CDATA[ c ]]>", "<br>", "<td>", "</td>",
    ]
)  # fmt: skip


def _whole_text_excerpt(markup: str, max_words: int) -> str:
    """The excerpt as reading the whole tip at once gives it."""
    parser = markup_module._ParagraphText()
    parser.feed(markup)
    parser.close()
    return markup_module.words_excerpt(parser.words, max_words)


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=400),
    max_words=st.integers(1, 60),
    piece_size=st.sampled_from([1, 2, 7, 40, markup_module._EXCERPT_PIECE]),
)
def test_reading_a_tip_in_pieces_gives_the_excerpt_reading_it_whole_gives(
    pieces, max_words, piece_size
):
    markup = "".join(pieces)
    default, markup_module._EXCERPT_PIECE = markup_module._EXCERPT_PIECE, piece_size
    try:
        assert text_excerpt(markup, max_words) == _whole_text_excerpt(markup, max_words)
    finally:
        markup_module._EXCERPT_PIECE = default
