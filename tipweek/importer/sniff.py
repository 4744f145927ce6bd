"""Check a source's bytes before feedparser reads them: truncated, HTML, not XML at all.

feedparser's lenient fallback returns the first half of a truncated export as
if it were the whole site, and an HTML page as an empty feed; a strict expat
pass tells these apart, so they can be refused with a clear message.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+(\.\d+)*/$")
HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FEED_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]")
_ITEM_FIELDS = {"post_id", "meta_key", "meta_value"}


class SourceError(Exception):
    """The source cannot be imported at all (missing, not a feed, truncated...)."""


class StrictScan:
    """One strict expat pass: XML flaws, truncation, and WXR's `wp:author` entries.

    feedparser keeps only the last `wp:author` of an export, so the authors'
    display names are collected here, namespace-aware, whatever the WXR version.
    """

    def __init__(self) -> None:
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        # Never read external DTDs or parameter entities.
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.author_names: dict[str, str] = {}
        self._author: dict[str, str] | None = None
        self._field: str | None = None
        # An image's alt text lives in a `wp:postmeta` that feedparser flattens away.
        self.image_alts: dict[str, str] = {}
        self._item: dict[str, str] | None = None

    @staticmethod
    def _wxr_name(name: str) -> str | None:
        uri, _, local = name.rpartition(" ")
        return local if WXR_NAMESPACE.match(uri) else None

    def _start(self, name: str, _attrs: dict[str, str]) -> None:
        local = self._wxr_name(name)
        if name == "item":
            self._item = {}
        elif self._item is not None and local in _ITEM_FIELDS:
            self._field = local
            self._item[local] = ""
        if local == "author":
            self._author = {}
        elif self._author is not None and local:
            self._field = local
            self._author[local] = ""

    def _end(self, name: str) -> None:
        local = self._wxr_name(name)
        if name == "item":
            self._item = None
        elif self._item is not None and local == "meta_value":
            item = self._item
            alt = item.get("meta_value", "").strip()
            is_alt = item.get("meta_key", "").strip() == "_wp_attachment_image_alt"
            if is_alt and alt and item.get("post_id", "").strip():
                self.image_alts[item["post_id"].strip()] = alt
        if local == "author" and self._author is not None:
            login = self._author.get("author_login", "").strip()
            if login:
                display = self._author.get("author_display_name", "").strip()
                self.author_names[login] = unescape(display) or login
            self._author = None
        self._field = None

    def _text(self, data: str) -> None:
        if self._author is not None and self._field:
            self._author[self._field] += data
        elif self._item is not None and self._field in _ITEM_FIELDS:
            self._item[self._field] += data

    def scan(self, data: bytes, location: str) -> list[str]:
        """Raise `SourceError` if the document is truncated or no XML; else return its flaws.

        Expat is fed the whole document as "not the end yet" first: errors then
        are flaws inside the document (feedparser works around those).  An error
        that only appears once expat is told the data is over means the document
        stops before it is closed: the file is truncated.
        """
        try:
            self.parser.Parse(data, False)
        except xml.parsers.expat.ExpatError as error:
            if error.lineno == 1 and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                raise SourceError(f"{location}: not XML, so not a feed or export") from None
            if not _ends_with_closing_root(data):
                raise SourceError(_truncated_message(location, data)) from None
            return [f"{location}:{error.lineno}: the XML is not well-formed ({_expat_text(error)})"]
        try:
            self.parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError:
            raise SourceError(_truncated_message(location, data)) from None
        return []


def _expat_text(error: xml.parsers.expat.ExpatError) -> str:
    return xml.parsers.expat.ErrorString(error.code) if error.code else str(error)


def _ends_with_closing_root(data: bytes) -> bool:
    tail = re.sub(rb"(?:\s|<!--.*?-->)+\Z", b"", data[-4096:], flags=re.DOTALL)
    return bool(re.search(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\Z", tail))


def _truncated_message(location: str, data: bytes) -> str:
    lines = data.count(b"\n") + 1
    return (
        f"{location}: the XML stops before it is complete (line {lines} is the last);"
        " the file looks truncated: download or export it again"
    )


def looks_like_html(data: bytes) -> bool:
    """An HTML page, by its start; a feed that carries an HTML doctype is still a feed."""
    if not HTML_START.match(data[:4096]):
        return False
    head = re.sub(rb"<!--.*?-->", b"", data[:65536], flags=re.DOTALL)
    first = re.search(rb"<[A-Za-z]", head)
    return not (first and _FEED_ROOT.match(head, first.start()))


def root_description(data: bytes) -> str:
    match = re.search(rb"<([A-Za-z_][\w.:-]*)", data[:65536])
    if match is None:
        return "no XML element found"
    return f"its first element is <{match.group(1).decode('ascii', 'replace')}>"


class _FeedLinkFinder(HTMLParser):
    """Finds `<link rel="alternate" type="application/rss+xml" href=...>` in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        kind = values.get("type", "").lower()
        is_alternate = tag == "link" and "alternate" in values.get("rel", "").lower().split()
        is_feed = kind in ("application/rss+xml", "application/atom+xml")
        if is_alternate and is_feed and values.get("href"):
            self.links.append(values["href"])


def html_message(data: bytes, location: str) -> str:
    finder = _FeedLinkFinder()
    finder.feed(data[:262144].decode("utf-8", "replace"))
    message = f"{location}: this is an HTML page, not a feed or a WordPress export"
    if finder.links:
        base = location if _URL.match(location) else ""
        message += f"; the page names its feed: {urljoin(base, finder.links[0])}"
    return message
