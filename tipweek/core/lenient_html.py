"""HTML parsing that survives what editors type: `<![`, `<!`, a stray `<`.

Python's `html.parser` (up to 3.12) raises `AssertionError: expected name
token` on a `<![` that opens no CDATA or marked section, as in
`<![](https://example.org/x.png)` (an image after a literal `<`, pasted from a
Medium feed).  Browsers read such text as a bogus comment; a parser used on a
tip's text or HTML must not crash on it.  `LenientDeclarations` is a mixin for
any `HTMLParser` subclass: a declaration it cannot read is passed on as text,
unchanged.  `escape_bogus_sections` turns that text into `&lt;![` in rendered
HTML, so every later reader of the page (search plugins, feeds, browsers) sees
the editor's characters instead of a comment that swallows the text after it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# `<![` not followed by `CDATA[` (the one section HTML knows, inside SVG/MathML).
_BOGUS_SECTION = re.compile(r"<!\[(?!CDATA\[)")


class LenientDeclarations:
    """Mixin for `HTMLParser` subclasses: unreadable `<!…` and `<…` are data, not errors."""

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)  # type: ignore[misc]
        except AssertionError:
            return self._as_data(i, 3 if self.rawdata.startswith("<![", i) else 2)  # type: ignore[attr-defined]

    def parse_starttag(self, i: int) -> int:
        try:
            return super().parse_starttag(i)  # type: ignore[misc]
        except AssertionError:  # "we should not get here!" on some malformed tags
            return self._as_data(i, 1)

    def _as_data(self, i: int, length: int) -> int:
        # The characters go on as text exactly as written; parsing resumes after them.
        self.handle_data(self.rawdata[i : i + length])  # type: ignore[attr-defined]
        return i + length


class LenientHTMLParser(LenientDeclarations, HTMLParser):
    """`HTMLParser` that never raises on malformed declarations."""


def escape_bogus_sections(markup: str) -> str:
    """`<![x` → `&lt;![x` (CDATA sections stay): the text shows as typed."""
    if "<![" not in markup:
        return markup
    return _BOGUS_SECTION.sub("&lt;![", markup)
