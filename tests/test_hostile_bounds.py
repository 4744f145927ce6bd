"""Every tip's cost is bounded (issue #29): the Markdown shapes that make Python-Markdown
super-linear are refused by `tipweek check` and the build alike, on their line; a numeric
reference too long for Python's `int` is just text."""

from __future__ import annotations

import pytest
from conftest import errors_of_check_and_build

from tipweek.core.markdown_cost import (
    MAX_BRACKET_SCAN,
    MAX_COMMENT_SCAN,
    MAX_MARKED_SECTION_SCAN,
    MAX_TAG_SCAN,
    markdown_cost_problems,
)

TIP = "tips/2025/2025-07-08-case.md"


def tip(body: str) -> str:
    return f"---\ntitle: Case\ndate: 2025-07-08\n---\nA first line.\n\n{body}\n"


# (id, body, words of the message): each body below took minutes to hours to build.
SHAPES = [
    ("50k-marked-sections", "<![" * 50_000, "'<![' that no '>' closes"),
    ("100k-brackets-50k-addresses", "[" * 100_000 + "](" * 50_000, "brackets '['"),
    ("20k-brackets", "[" * 20_000, "brackets '['"),
    ("20k-images", "![" * 20_000, "brackets '['"),
    ("nested-brackets", "[" * 10_000 + "]" * 10_000, "brackets '['"),
    ("10k-open-addresses", "[x](" * 10_000, "link addresses"),
    ("unclosed-tags-in-paragraphs", "<a \n\n" * 10_000, "'<' starting tags"),
    ("unclosed-autolinks", "<http://a " * 10_000, "'<' starting tags"),
    ("unclosed-comments", "<!--" * 20_000, "'<!--' comments that no '-->' closes"),
    ("processing-instructions", "<?" * 10_000, "'<' starting tags"),
    # Not slow but deep: Python's recursion limit stopped the build.
    ("nested-lists", "- " * 1_000 + "x", "nested 1,000 deep (at most 100)"),
    ("nested-numbered-lists", "1. " * 500 + "x", "nested 500 deep"),
    ("nested-quotes", "> " * 500 + "x", "nested 500 deep"),
    ("nested-markdown-divs", "<div markdown>\n" * 500 + "x\n" + "</div>\n" * 500, "nested 500"),
]


@pytest.mark.parametrize(("body", "words"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_a_super_linear_shape_is_one_error_on_its_line_from_check_and_build(
    make_site, capsys, body, words
):
    make_site.add_tip("Neighbour", "2025-07-01")
    make_site.write(TIP, tip(body))
    code, checked, built = errors_of_check_and_build(make_site, capsys)
    assert code == 1
    # The body starts on line 5; the shape on line 7.
    assert [m for m in checked if m.startswith(f"{TIP}:7: error: ") and words in m], checked
    assert sorted(checked) == sorted(built)
    assert not any("Traceback" in m for m in checked + built)


def test_real_markup_is_far_inside_the_bounds():
    """A long tip with many links, images, raw HTML and brackets in prose scans little."""
    paragraph = (
        "Say [thanks](https://example.org/a) and ![a smile](/img/s.png) [^1] "
        '<a href="/x">a link</a> <b>bold</b> a < b and [a note] (in brackets) `x[0]`.\n\n'
    )
    body = paragraph * 400 + "<table>" + "<tr><td>1</td><td>2</td></tr>" * 500 + "</table>\n"
    assert list(markdown_cost_problems(body, 5)) == []
    # A handful of stray openers in a big tip pass too.
    assert list(markdown_cost_problems("[ <b <![ " * 5 + "word " * 50_000, 5)) == []


@pytest.mark.parametrize(
    ("unit", "limit"),
    [
        ("[", MAX_BRACKET_SCAN),
        ("<a ", MAX_TAG_SCAN),
        ("<![", MAX_MARKED_SECTION_SCAN),
        ("<!--", MAX_COMMENT_SCAN),
    ],
)
def test_the_limit_is_where_the_estimate_says(unit, limit):
    """Just under the limit passes, just over it is refused: the estimate is the sum of
    each opener's scan to the end, n(n+1)/2 units for n unclosed openers."""
    n = 1
    while (n + 1) * (n + 2) // 2 * len(unit) <= limit:
        n += 1
    assert list(markdown_cost_problems(unit * n, 1)) == []
    assert list(markdown_cost_problems(unit * (n + 200), 1))


def test_a_numeric_reference_of_4301_digits_is_one_error_not_a_traceback(make_site, capsys):
    """Python's HTML parser reads `&#…;` with int(), which stops at 4,300 digits: the
    build crashed on it, and `tipweek check` with it, hiding every other problem."""
    make_site.add_tip("Neighbour", "2025-07-01")
    make_site.write(TIP, tip("&#" + "1" * 4301 + "; and &#x" + "f" * 5000 + ";\n\n&#0000065;"))
    make_site.write("tips/2025/2025-07-15-other.md", tip("[x](javascript:alert(1))"))
    code, checked, built = errors_of_check_and_build(make_site, capsys)
    assert code == 1
    assert [m for m in checked if m.startswith(TIP)] == [
        f"{TIP}:7: error: a character reference '&#…' of 4,301 digits names no character "
        "(at most 32); write the character itself",
        f"{TIP}:7: error: a character reference '&#…' of 5,000 digits names no character "
        "(at most 32); write the character itself",
    ]
    # The other tip's problem is reported too: nothing stopped the check early.
    assert [m for m in checked if m.startswith("tips/2025/2025-07-15-other.md:7: error: ")]
    assert sorted(built) == sorted(checked)
