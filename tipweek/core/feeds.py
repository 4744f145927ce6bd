"""RSS 2.0 feeds, written with an XML library so escaping is never our job.

The feed follows what strict validators and feed readers expect: RFC 822
dates, a permalink `guid`, `atom:link rel="self"`, `dc:creator`, one
`category` per tag, the excerpt in `description` and the full HTML (with
absolute URLs) in `content:encoded`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

# Characters XML 1.0 forbids even when escaped; a stray one makes the whole feed unreadable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str
    published: datetime
    description_html: str
    content_html: str
    author: str | None = None
    categories: Sequence[str] = ()


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    self_url: str
    description: str  # plain text
    items: Sequence[FeedItem]
    language: str | None = None
    generator: str = "tipweek"


def _q(prefix: str, name: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{name}"


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def rss_date(moment: datetime) -> str:
    """RFC 822 date as RSS 2.0 requires, e.g. `Tue, 01 Jul 2025 00:00:00 -0400`."""
    return format_datetime(moment)


def render_rss(feed: Feed) -> bytes:
    """The feed as UTF-8 XML bytes; `lastBuildDate` is the newest item's date, not the clock."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.link)
    # Readers take a channel's description as HTML (as an item's); ours is plain text (a
    # tag's `description:`, the site's), so it is escaped for HTML before XML escapes it.
    _sub(channel, "description", html.escape(feed.description or feed.title, quote=False))
    _sub(channel, _q("atom", "link"), href=feed.self_url, rel="self", type="application/rss+xml")
    if feed.language:
        _sub(channel, "language", feed.language)
    _sub(channel, "generator", feed.generator)
    if feed.items:
        _sub(channel, "lastBuildDate", rss_date(max(item.published for item in feed.items)))
    for item in feed.items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.url)
        _sub(entry, "guid", item.url, isPermaLink="true")
        _sub(entry, "pubDate", rss_date(item.published))
        if item.author:
            _sub(entry, _q("dc", "creator"), item.author)
        for category in item.categories:
            _sub(entry, "category", category)
        _sub(entry, "description", item.description_html)
        _sub(entry, _q("content", "encoded"), item.content_html)
    ET.indent(rss, space="  ")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
