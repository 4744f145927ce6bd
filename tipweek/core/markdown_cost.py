"""Refuse the Markdown shapes that make Python-Markdown's time grow with the square of a tip.

Python-Markdown looks for the end of some constructs by scanning forward from
each start, and starts again one character later when it finds none.  A tip of
100,000 `[` or 50,000 `<![` therefore costs minutes, a handful of them an
hour.  Measured (one core, the site's extensions), the shapes that grow that
way are all "an opener whose closer is far away or missing":

- `[` (and `![`): the link pattern scans to the matching `]` of the block;
  4,000 unmatched `[` on a line take 1.7 s, 8,000 about 7 s.
- `(` right after `](`: the link's address is scanned to its matching `)`.
- `<` starting a tag or an autolink (`<a `, `<http:`), never closed by `>`:
  the raw-HTML parser scans to the next `>`, over the whole tip.
- `<![`: the same parser's "marked section", slower still per character.
- `<!--` never closed by `-->`: the raw-HTML parser MkDocs runs over every page
  (to collect anchors) scans to the end for each.

Runs of `*`, `_`, `` ` ``, `<!`, `&`, `\\`, `|`, `{:` and plain `<div>` nesting stay
linear.  Nesting is bounded for another reason: Python-Markdown parses nested
lists, quotes, admonitions and `<div markdown>` recursively, and 500 levels
(`- - - … x`, 1 KB) exceed Python's recursion limit, which stops the build.

Each shape's work is estimated here in linear time, as the number of
characters the scans would pass over, and a tip past a limit is an error on
the line of its costliest opener.  The limits allow about a second of
Markdown per shape, orders of magnitude above real tips: a 10 KB tip full of
links and raw HTML scans some ten thousand characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

#: Characters the `[`/`](`-scans may pass over in one tip (about 1 s of Markdown).
MAX_BRACKET_SCAN = 5_000_000
#: Characters the raw-HTML parser may pass over from unclosed `<tag` openers (about 0.7 s).
MAX_TAG_SCAN = 20_000_000
#: Characters it may pass over from `<![` openers (about 1 s).
MAX_MARKED_SECTION_SCAN = 5_000_000
#: Characters it may pass over from `<!--` openers to the next `-->` (about 0.5 s: this
#: scan is one regex search, far cheaper per character).
MAX_COMMENT_SCAN = 200_000_000

#: How deep lists, quotes, indented blocks and `markdown` HTML elements may nest.
MAX_NESTING = 100

# A backslash escape is text to Markdown; a blank line ends the block inline scans stay in.
_BRACKET_TOKENS = re.compile(r"\\.|\]\(|[\[\]()]|\n[ \t]*\n", re.DOTALL)
_TAG_OPENER = re.compile(r"<(?:!\[|[A-Za-z/?])")


def markdown_cost_problems(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line, message) for each shape of `body` whose Markdown would take super-linear time."""
    depth, at = _deepest_nesting(body)
    if depth > MAX_NESTING:
        yield (
            _line(body, at, first_line),
            f"lists, quotes or indented blocks nested {depth:,} deep (at most {MAX_NESTING}): "
            "Markdown reads each level by recursion, and so deep it stops the build",
        )
    # No scan passes the end of the tip: few openers are within the limits without looking
    # further, which spares `tipweek check` the work on almost every tip.
    size = len(body)
    if (body.count("[") + body.count("](")) * size > MAX_BRACKET_SCAN:
        scan, at = _bracket_scan(body)
        if scan > MAX_BRACKET_SCAN:
            yield (
                _line(body, at, first_line),
                f"brackets '[' or link addresses '](' that are never closed: Markdown would "
                f"scan {scan:,} characters to match them (at most {MAX_BRACKET_SCAN:,}); "
                r"close them, or write a literal bracket as \[",
            )
    if body.count("<") * size > min(MAX_TAG_SCAN, MAX_MARKED_SECTION_SCAN):
        tags, tag_at, sections, section_at = _tag_scans(body)
        if tags > MAX_TAG_SCAN:
            yield (
                _line(body, tag_at, first_line),
                f"'<' starting tags that no '>' closes: the HTML parser would scan "
                f"{tags:,} characters (at most {MAX_TAG_SCAN:,}); close them, or write '&lt;'",
            )
        if "<!--" in body:
            comments, comment_at = _comment_scan(body)
            if comments > MAX_COMMENT_SCAN:
                yield (
                    _line(body, comment_at, first_line),
                    f"'<!--' comments that no '-->' closes: the HTML parser would scan "
                    f"{comments:,} characters (at most {MAX_COMMENT_SCAN:,}); close them",
                )
        if sections > MAX_MARKED_SECTION_SCAN:
            yield (
                _line(body, section_at, first_line),
                f"'<![' that no '>' closes: the HTML parser would scan {sections:,} "
                f"characters (at most {MAX_MARKED_SECTION_SCAN:,}); write it as '&lt;!['",
            )


# Only a line starting with this many container characters can nest MAX_NESTING deep
# (a level is at least one character: `>`, or a list marker and its space, or 4 spaces).
_LONG_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING},}}", re.MULTILINE)
_PREFIX_TOKEN = re.compile(r">|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t])|[ \t]+")
_MARKDOWN_ELEMENT = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)\b[^<>]*?\bmarkdown\b[^<>]*>|</([A-Za-z][A-Za-z0-9]*)\s*>"
)


def _deepest_nesting(body: str) -> tuple[int, int]:
    """How deep Markdown's recursive block parsing would go, and where the first structure
    nested past MAX_NESTING starts (its line, or its outermost `markdown` element)."""
    deepest, where = 0, len(body)
    for prefix in _LONG_PREFIX.finditer(body):
        containers = columns = 0
        after_marker = False
        for token in _PREFIX_TOKEN.finditer(prefix.group()):
            text = token.group()
            if text[0] in " \t":
                # The space after `-` or `>` only separates; more is indentation.
                columns += len(text.expandtabs(4)) - (1 if after_marker else 0)
                after_marker = False
            else:
                containers += 1
                after_marker = True
        depth = containers + columns // 4
        deepest = max(deepest, depth)
        if depth > MAX_NESTING:
            where = min(where, prefix.start())
    if "markdown" in body:
        # `<div markdown>` inside `<div markdown>`: each level parsed recursively.
        open_elements: list[tuple[str, int]] = []
        for element in _MARKDOWN_ELEMENT.finditer(body):
            opening, closing = element.group(1), element.group(2)
            if opening:
                open_elements.append((opening.lower(), element.start()))
                deepest = max(deepest, len(open_elements))
                if len(open_elements) > MAX_NESTING:
                    where = min(where, open_elements[0][1])
            elif open_elements and open_elements[-1][0] == closing.lower():
                open_elements.pop()
    return deepest, where


def _bracket_scan(body: str) -> tuple[int, int]:
    """Characters the link scans pass over, and where the longest scan starts."""
    total, longest, longest_at = 0, -1, 0
    brackets: list[int] = []
    # Every `(` of the block, and whether it opens a link's address (after `]`).
    parens: list[tuple[int, bool]] = []

    def count(start: int, end: int) -> None:
        nonlocal total, longest, longest_at
        total += end - start
        if end - start > longest:
            longest, longest_at = end - start, start

    def end_block(end: int) -> None:
        for start in brackets:
            count(start, end)
        for start, is_address in parens:
            if is_address:
                count(start, end)
        brackets.clear()
        parens.clear()

    for token in _BRACKET_TOKENS.finditer(body):
        text, at = token.group(), token.start()
        if text == "[":
            brackets.append(at)
        elif text[0] == "]":
            if brackets:
                count(brackets.pop(), at)
            if text == "](":
                parens.append((at + 1, True))
        elif text == "(":
            parens.append((at, False))
        elif text == ")":
            if parens:
                start, is_address = parens.pop()
                if is_address:
                    count(start, at)
        elif text[0] == "\n":
            end_block(at)
    end_block(len(body))
    return total, longest_at


def _tag_scans(body: str) -> tuple[int, int, int, int]:
    """Characters scanned from `<tag` and from `<![` openers to the next `>`, with where the
    longest of each starts."""
    closers = [m.start() for m in re.finditer(">", body)]
    tags = sections = 0
    tag_longest = section_longest = -1
    tag_at = section_at = 0
    for opener in _TAG_OPENER.finditer(body):
        at = opener.start()
        following = bisect_left(closers, at)
        span = (closers[following] if following < len(closers) else len(body)) - at
        if opener.group() == "<![":
            sections += span
            if span > section_longest:
                section_longest, section_at = span, at
        else:
            tags += span
            if span > tag_longest:
                tag_longest, tag_at = span, at
    return tags, tag_at, sections, section_at


def _comment_scan(body: str) -> tuple[int, int]:
    """Characters scanned from each `<!--` to the next `-->`, and where the longest starts."""
    closers = [m.start() for m in re.finditer("-->", body)]
    total, longest, longest_at = 0, -1, 0
    for opener in re.finditer("<!--", body):
        at = opener.start()
        following = bisect_left(closers, at + 2)  # `<!-->` closes itself
        span = (closers[following] if following < len(closers) else len(body)) - at
        total += span
        if span > longest:
            longest, longest_at = span, at
    return total, longest_at


def _line(body: str, offset: int, first_line: int) -> int:
    return first_line + body.count("\n", 0, offset)
