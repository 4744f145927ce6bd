"""HTML helpers for converted tips: excerpts and URL rewriting.

A tip is rendered once, for its own page.  Listings and feeds reuse that HTML,
which is only correct if its relative links are moved to the page that shows
them (`relocate`) or made absolute for feed readers (`absolutize`).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from tipweek.core.lenient_html import LenientHTMLParser  # `<![` is text, not a crash

MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action"}
_VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip


class _Rewriter(LenientHTMLParser):
    """Re-emits HTML unchanged except for URL attributes passed through `transform`."""

    def __init__(self, transform: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=False)
        self.transform = transform
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if not any(name in _URL_ATTRIBUTES or name == "srcset" for name, _ in attrs):
            self.out.append(self.get_starttag_text() or "")
            return
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            if name in _URL_ATTRIBUTES:
                value = self.transform(value)
            elif name == "srcset":
                value = ", ".join(
                    " ".join([self.transform(url), *rest])
                    for url, *rest in (c.split() for c in value.split(",") if c.strip())
                )
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{' '.join(parts)}{close}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " /")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def rewrite_urls(markup: str, transform: Callable[[str], str]) -> str:
    """Apply `transform` to every href/src/srcset URL in `markup`."""
    if "=" not in markup:  # no attributes at all: nothing to rewrite
        return markup
    rewriter = _Rewriter(transform)
    rewriter.feed(markup)
    rewriter.close()
    return "".join(rewriter.out)


def _is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith("/"))


def absolutize(markup: str, page_url: str) -> str:
    """Make every URL absolute against `page_url` (an absolute URL), as feed readers need."""
    return rewrite_urls(markup, lambda url: urljoin(page_url, url) if url else url)


def relocation_is_identity(markup: str) -> bool:
    """True if `relocate` returns `markup` unchanged whatever the two pages are: it has
    no relative URL, and re-emitting its URL attributes gives back the same text.
    (Excerpts appear on several listing pages; most have only absolute links.)"""
    relative: list[str] = []

    def note(url: str) -> str:
        if url and _is_relative(url):
            relative.append(url)
        return url

    return rewrite_urls(markup, note) == markup and not relative


def relocate(markup: str, from_url: str, to_url: str) -> str:
    """Move relative URLs written for page `from_url` so they work on page `to_url`.

    Both are site-relative directory URLs such as `2025/07/01/x/` and `page/2/`.
    """
    if from_url == to_url:
        return markup

    def move(url: str) -> str:
        if not url or not _is_relative(url):
            return url
        if url.startswith("#"):  # an anchor on the tip's own page
            return posixpath.relpath(from_url or ".", to_url or ".") + "/" + url
        path, sep, rest = url.partition("#") if "#" in url else (url, "", "")
        target = posixpath.normpath(posixpath.join(from_url, path))
        moved = posixpath.relpath(target, to_url or ".")
        if path.endswith("/") and not moved.endswith("/"):
            moved += "/"
        return moved + sep + rest

    return rewrite_urls(markup, move)


def root_paths_to_relative(markup: str, page_url: str) -> str:
    """Turn site-root paths (`/about/`) into links relative to `page_url`.

    Editors write `[About](/about/)` in a tip; a relative link keeps working
    when the site is served under a sub-path, such as a GitHub Pages project.
    """

    def move(url: str) -> str:
        if not url.startswith("/") or url.startswith("//"):
            return url
        relative = posixpath.relpath(url.lstrip("/") or ".", page_url or ".")
        if url.endswith("/") and not relative.endswith("/"):
            relative += "/"
        return relative

    return rewrite_urls(markup, move)


class _Balancer(LenientHTMLParser):
    """Tracks which elements are still open, to close them after a cut."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            index = len(self.open) - 1 - self.open[::-1].index(tag)
            del self.open[index:]


def close_open_tags(markup: str) -> str:
    """Append closing tags for elements left open, so a cut never breaks the page."""
    balancer = _Balancer()
    balancer.feed(markup)
    return markup + "".join(f"</{tag}>" for tag in reversed(balancer.open))


class _ParagraphText(LenientHTMLParser):
    """Collects the text of paragraphs and list items, skipping code and headings."""

    _TEXT_BLOCKS: ClassVar[frozenset[str]] = frozenset({"p", "li", "dd", "td"})
    _SKIPPED: ClassVar[frozenset[str]] = frozenset(
        {"pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self._depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._TEXT_BLOCKS:
            self._depth += 1
        elif tag in self._SKIPPED:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._TEXT_BLOCKS and self._depth:
            self._depth -= 1
        elif tag in self._SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self.words.extend(data.split())


def text_excerpt(markup: str, max_words: int) -> str:
    """About `max_words` words of the tip's paragraphs, cut on a word boundary, as `<p>`."""
    parser = _ParagraphText()
    # Only the first words matter: the tip is parsed a piece at a time until there is
    # one word more than the excerpt takes (most of a tip is never read).  A piece
    # ends just before a `<`, so no run of text is split between two pieces (a split
    # would make two words of one); a piece that ends inside a tag or a comment is
    # kept by the parser until the next piece completes it.
    start = 0
    while start < len(markup) and len(parser.words) <= max_words:
        end = markup.find("<", start + _EXCERPT_PIECE)
        end = len(markup) if end == -1 else end
        parser.feed(markup[start:end])
        start = end
    if start >= len(markup):
        parser.close()
    return words_excerpt(parser.words, max_words)


def words_excerpt(words: list[str], max_words: int) -> str:
    """The first `max_words` of `words` as a `<p>`, with " …" if there are more."""
    if not words:
        return ""
    text = " ".join(words[:max_words])
    if len(words) > max_words:
        text = text.rstrip(",;:-\u2013\u2014") + " …"
    return f"<p>{html.escape(text, quote=False)}</p>"


#: Characters of a tip parsed at a time for its text excerpt (about 60 words of HTML).
_EXCERPT_PIECE = 512


def make_excerpt(rendered: str, summary: str | None, max_words: int) -> str:
    """The listing excerpt: `summary:` if given, else HTML before `<!-- more -->`, else words."""
    if summary:
        return f"<p>{html.escape(summary, quote=False)}</p>"
    marker = MORE_MARKER.search(rendered)
    if marker:
        return close_open_tags(rendered[: marker.start()].strip())
    return text_excerpt(rendered, max_words)


def plain_text(markup: str) -> str:
    """Text of a fragment without tags (for feed descriptions and meta tags)."""
    parser = _AllText()
    parser.feed(markup)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


class _AllText(LenientHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
