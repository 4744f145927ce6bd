"""MkDocs' raw-HTML preprocessor, made to survive `<![` in a tip's Markdown.

MkDocs registers `_RawHTMLPreprocessor` on every page to collect the ids of
raw HTML elements (for anchor validation).  It feeds the page's Markdown to
`html.parser`, which raises `AssertionError` on a `<![` that opens no CDATA
section (see `tipweek.lenient_html`).  This subclass runs the same collection
with a parser that reads such text as text.  MkDocs-specific: it subclasses
MkDocs' private classes, which `rendering.py` already depends on.
"""

from __future__ import annotations

from mkdocs.structure.pages import _HTMLHandler, _RawHTMLPreprocessor

from tipweek.lenient_html import LenientDeclarations


class _LenientHandler(LenientDeclarations, _HTMLHandler):
    """MkDocs' anchor collector, minus the crash on malformed declarations."""


class LenientRawHTMLPreprocessor(_RawHTMLPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        parser = _LenientHandler()
        parser.feed("\n".join(lines))
        parser.close()
        self.present_anchor_ids = parser.present_anchor_ids
        return lines
