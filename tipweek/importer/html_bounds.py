"""Bounds on a post's HTML, checked before it is converted.

Converting HTML to Markdown walks the parsed tree recursively: 500 nested
`<div>` exceed Python's recursion limit, and 100,000 of them (1.1 MB) kept an
import busy for minutes; the converted text would then meet the build's own
limits.  Flat HTML converts in time proportional to its size (about 1 s a
megabyte), so the size is bounded too.  A post past either bound is reported
and skipped; the other posts are imported.

Real posts stay far inside: page builders nest `<div>` some 20 deep, and the
longest posts of a blog are a few hundred kilobytes.
"""

from __future__ import annotations

import re

#: How deep elements may nest in one post.
MAX_HTML_DEPTH = 100
#: The most characters of HTML one post may have.
MAX_POST_HTML_CHARS = 2_000_000

# `[^<>]`, not `[^>]`: a scan never passes the next `<`, so 100,000 unclosed `<a` cost a
# pass, not 100,000 passes each to the end.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input"}
    | {"link", "meta", "param", "source", "track", "wbr"}
)
# Elements an HTML parser closes when the next one of the same name starts (`<p>a<p>b`).
_CLOSED_BY_A_SIBLING = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option"])


def html_bound_problem(html: str) -> str | None:
    """Why `html` is too large or too deeply nested to convert, or None."""
    if len(html) > MAX_POST_HTML_CHARS:
        return (
            f"its HTML has {len(html):,} characters; a post may have at most "
            f"{MAX_POST_HTML_CHARS:,}; not converted"
        )
    depth = nesting_depth(html, stop_past=MAX_HTML_DEPTH)
    if depth > MAX_HTML_DEPTH:
        return (
            f"its HTML nests elements more than {MAX_HTML_DEPTH} deep; "
            "not converted (real posts nest some 20 deep)"
        )
    return None


def nesting_depth(html: str, *, stop_past: int) -> int:
    """How deep elements nest in `html`, counted as a parser would; stops once past `stop_past`.

    Linear: a closing tag looks for its element only among the open ones, and
    there are never more than `stop_past` of those.
    """
    open_names: list[str] = []
    deepest = 0
    for tag in _TAG.finditer(html):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            if name in open_names:
                while open_names.pop() != name:
                    pass
            continue
        if name in _CLOSED_BY_A_SIBLING and open_names and open_names[-1] == name:
            open_names.pop()
        open_names.append(name)
        deepest = max(deepest, len(open_names))
        if deepest > stop_past:
            break
    return deepest
