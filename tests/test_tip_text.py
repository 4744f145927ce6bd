"""The text taken from a tip's HTML and kept in the Markdown cache (`core/tip_text.py`)."""

from __future__ import annotations

import pytest

from tipweek.core.tip_text import TipText, tip_text

URL = "https://example.org/2025/01/07/tip/"
PLAIN = "<p>Greet every caller by name.</p>\n<p>Then listen.</p>"
RELATIVE = (
    '<p>See <a href="../../../../about/">the team</a> and <a href="#x">below</a>.</p>\n'
    "<!-- more -->\n<p>The rest.</p>"
)


def test_a_tip_in_no_feed_keeps_no_feed_copy_until_asked():
    text = tip_text(PLAIN, None, 5, URL, in_feed=False)
    assert (text.feed_excerpt, text.feed_content) == (None, None)
    assert text.excerpt_text == "Greet every caller by name. …"  # five words, cut
    with_feed = text.with_feed_text(PLAIN)
    assert with_feed.feed_content == PLAIN and with_feed.excerpt == text.excerpt


def test_relative_links_are_absolute_in_the_feed_copy_only():
    text = tip_text(RELATIVE, "", 55, URL, in_feed=True)
    assert 'href="../../../../about/"' in text.excerpt
    assert not text.excerpt_portable
    assert 'href="https://example.org/about/"' in text.feed_content
    assert f'href="{URL}#x"' in text.feed_excerpt


@pytest.mark.parametrize("html", [PLAIN, RELATIVE])
@pytest.mark.parametrize("in_feed", [False, True])
def test_the_kept_form_gives_the_same_text_back(html, in_feed):
    text = tip_text(html, "A summary." if in_feed else None, 55, URL, in_feed=in_feed)
    kept = text.to_json(html)
    assert TipText.from_json(kept, html) == text
    if in_feed and html == PLAIN:
        # A copy that equals its source is not stored twice.
        assert kept[-1] is True and kept[-2] is True


def test_the_text_applies_only_to_the_summary_and_address_it_was_made_for():
    text = tip_text(PLAIN, "Short.", 55, URL, in_feed=False)
    assert text.applies("Short.", URL)
    assert not text.applies("Longer.", URL)
    assert not text.applies("Short.", "https://tips.example.com/2025/01/07/tip/")


@pytest.mark.parametrize(
    "damaged",
    [
        None,
        "text",
        [],
        ["s", URL, "<p>x</p>", True, "x", True],  # one short
        [1, URL, "<p>x</p>", True, "x", True, True],  # a summary that is not text
        ["s", URL, "<p>x</p>", "yes", "x", True, True],  # portable not a boolean
        ["s", None, "<p>x</p>", True, "x", True, True],
        ["s", URL, ["<p>x</p>"], True, "x", True, True],
    ],
)
def test_a_damaged_or_foreign_kept_form_is_not_used(damaged):
    assert TipText.from_json(damaged, PLAIN) is None


def test_a_feed_copy_of_the_wrong_type_is_worked_out_again():
    kept = tip_text(PLAIN, None, 55, URL, in_feed=True).to_json(PLAIN)
    kept[-1] = 12
    text = TipText.from_json(kept, PLAIN)
    assert text is not None and text.feed_content is None
    assert text.with_feed_text(PLAIN).feed_content == PLAIN
