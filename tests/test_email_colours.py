"""The edition's colours: WCAG contrast, and accents made readable on light and dark."""

from __future__ import annotations

import pytest

from tipweek.email.colours import DARK_TEXT, LIGHT_TEXT, contrast, readable, text_on
from tipweek.email.html_edition import COLUMN_DARK, COLUMN_LIGHT, stylesheet


def test_contrast_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#fff", "#ffffff") == pytest.approx(1)
    assert contrast("#1a5fb4", "#161b22") == pytest.approx(2.75, abs=0.01)  # the default, dark


@pytest.mark.parametrize("accent", ["#1a5fb4", "#3949ab", "#f4c430", "#202020", "#ff0000", "#777"])
@pytest.mark.parametrize("background", [COLUMN_LIGHT, COLUMN_DARK])
def test_readable_reaches_aa_and_keeps_a_colour_that_already_does(accent, background):
    shade = readable(accent, background)
    assert contrast(shade, background) >= 4.5
    if contrast(accent, background) >= 4.5:
        assert shade == readable(accent, background) and contrast(shade, accent) == 1


def test_button_text_is_white_on_dark_accents_and_dark_on_light_ones():
    assert text_on("#1a5fb4") == LIGHT_TEXT
    assert text_on("#f4c430") == DARK_TEXT


def test_the_stylesheet_uses_the_shades():
    css = stylesheet("#1a5fb4")
    assert ".body a { color: #1a5fb4;" in css  # readable on white as it is
    dark = readable("#1a5fb4", COLUMN_DARK)
    assert dark != "#1a5fb4" and f".body a, .tags a {{ color: {dark} !important; }}" in css
    assert "{" + "link}" not in css and "{" + "accent}" not in css
