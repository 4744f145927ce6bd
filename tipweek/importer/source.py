"""Read an import source (a path or URL) into `SourcePost`s, with feedparser.

One reader for RSS 2.0, Atom and WordPress exports (WXR, which is RSS 2.0
plus `wp:` elements that feedparser exposes as `wp_post_type`, `wp_status`,
... whatever the namespace's version).  `sniff` checks the bytes first, so a
truncated file, an HTML page or something that is no feed at all is a
`SourceError`, and nothing gets imported from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape, unescape
from typing import Any

import feedparser

from tipweek.importer.charsets import to_utf8
from tipweek.importer.limits import ReadLimits, read_limited
from tipweek.importer.shortcodes import Attachment
from tipweek.importer.sniff import (
    WXR_NAMESPACE,
    SourceError,
    StrictScan,
    html_message,
    looks_like_html,
    root_description,
)

USER_AGENT = "tipweek-import (+https://pypi.org/project/tipweek/)"
FEED_KINDS = {
    "rss20": "RSS 2.0 feed",
    "rss10": "RSS 1.0 feed",
    "rss090": "RSS 0.90 feed",
    "rss091u": "RSS 0.91 feed",
    "rss091n": "RSS 0.91 feed",
    "rss092": "RSS 0.92 feed",
    "rss093": "RSS 0.93 feed",
    "rss094": "RSS 0.94 feed",
    "atom10": "Atom feed",
    "atom03": "Atom 0.3 feed",
}
_ZERO_DATE = re.compile(r"^0000-00-00")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Categories and tags of a post in WXR ("tag" and no domain at all in WXR 1.0);
# other domains are post formats and plugins' taxonomies.
TERM_DOMAINS = ("category", "post_tag", "tag")
# WordPress's own default category: every uncategorised post has it, so it says nothing.
_NO_CATEGORY = {"uncategorized", "uncategorised"}


@dataclass(frozen=True)
class SourcePost:
    """One entry of the source, as the source says it; nothing is cleaned yet."""

    position: int
    title_html: str
    content_html: str = ""
    excerpt_html: str = ""
    # WordPress's excerpt field is written by hand; a feed's description is often
    # just the post's first words.
    excerpt_is_written: bool = False
    published: datetime | None = None
    # WXR's `wp:post_date`: the old site's wall-clock time, used only for drafts,
    # which have no GMT date yet.
    local_time: datetime | None = None
    post_type: str = "post"
    status: str = "publish"
    slug: str = ""
    post_id: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    terms: tuple[str, ...] = ()
    password_protected: bool = False
    # WXR holds the raw post_content: WordPress adds <p> tags only when it shows a post.
    needs_paragraphs: bool = False
    # Which field the date came from when it is not the usual one ("dc:date", ...).
    date_fallback: str = ""
    # Attachments only: the media file, its post, its place in a gallery.
    attachment_url: str = ""
    parent_id: str = ""
    menu_order: int = 0

    @property
    def label(self) -> str:
        """How messages name the entry: `post 123` in an export, `entry 4` in a feed."""
        return f"post {self.post_id}" if self.post_id else f"entry {self.position}"


@dataclass
class Source:
    location: str
    kind: str
    posts: list[SourcePost]
    warnings: list[str] = field(default_factory=list)
    # WXR `wp:author` entries: login → display name.
    author_names: dict[str, str] = field(default_factory=dict)
    # WXR attachments' alt texts (`_wp_attachment_image_alt`) by post id.
    image_alts: dict[str, str] = field(default_factory=dict)
    # How the source was read where it was not its own word (a guessed encoding...).
    notes: list[str] = field(default_factory=list)
    # The feed's own link (the blog's address): the base of an entry without a link.
    link: str = ""

    def attachments(self) -> dict[str, Attachment]:
        """The export's media items by post id, for galleries and playlists."""
        found = {}
        for post in self.posts:
            if post.post_type == "attachment" and post.post_id and post.attachment_url:
                found[post.post_id] = Attachment(
                    post_id=post.post_id,
                    url=post.attachment_url,
                    title=_plain(post.title_html),
                    alt=self.image_alts.get(post.post_id, ""),
                    caption=_plain(post.excerpt_html),
                    parent_id=post.parent_id,
                    order=post.menu_order,
                )
        return found


def _plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", html)).split())


def read_source(location: str, limits: ReadLimits | None = None) -> Source:
    """Read and parse `location` (a file path or an http(s) URL); raise `SourceError`."""
    fetched = read_limited(location, limits or ReadLimits(), USER_AGENT)
    return parse_source(fetched.data, location, charset=fetched.charset)


# A numeric character reference longer than any character needs, also escaped once (as a
# post's HTML is inside a feed's XML): feedparser reads its digits with `int()`, which
# stops with a traceback past 4,300 digits.  Each is U+FFFD to a browser anyway.
_HUGE_REFERENCE = re.compile(
    rb"(&(?:amp;)?#)(?:0*[0-9]{8,}|[xX]0*[0-9a-fA-F]{7,})(?=;|[^0-9a-fA-F])"
)


def parse_source(data: bytes, location: str, *, charset: str | None = None) -> Source:
    """Parse the bytes of a feed or export named `location` in messages; `charset` is
    the one its server named, if any."""
    decoded = to_utf8(data, location, charset=charset)
    data = decoded.data
    if b"#" in data:  # after decoding: the pattern is ASCII, the text now UTF-8
        data = _HUGE_REFERENCE.sub(rb"\g<1>65533", data)
    if not data.strip():
        raise SourceError(f"{location}: the file is empty, not a feed")
    if looks_like_html(data):
        raise SourceError(html_message(data, location))
    scan = StrictScan()
    warnings = scan.scan(data, location)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
    version = parsed.get("version", "")
    if not version:
        raise SourceError(
            f"{location}: not an RSS or Atom feed or a WordPress export ({root_description(data)})"
        )
    if parsed.get("bozo") and not warnings:
        warnings.append(f"{location}: the feed has problems: {parsed.get('bozo_exception')}")
    namespaces = parsed.get("namespaces", {}).values()
    is_wxr = any(WXR_NAMESPACE.match(uri or "") for uri in namespaces)
    if is_wxr:
        wxr_version = parsed.feed.get("wp_wxr_version", "").strip()
        kind = f"WordPress export (WXR {wxr_version})" if wxr_version else "WordPress export"
        posts = [_wxr_post(n, entry) for n, entry in enumerate(parsed.entries, 1)]
        authors, alts = scan.author_names, scan.image_alts
    else:
        kind = FEED_KINDS.get(version, f"{version} feed")
        posts = [_feed_post(n, entry) for n, entry in enumerate(parsed.entries, 1)]
        authors, alts = {}, {}
    link = parsed.feed.get("link", "") if isinstance(parsed.feed.get("link"), str) else ""
    return Source(location, kind, posts, warnings, authors, alts, decoded.notes, link.strip())


def _text(entry: Any, key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def _struct_time(value: Any) -> datetime | None:
    """feedparser's UTC `time.struct_time` as an aware datetime; None if absent or absurd."""
    if not value or value[0] < 1000:  # WordPress drafts carry 'Nov 30 -0001'
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _wordpress_time(text: str) -> datetime | None:
    """`2014-07-22 08:00:00` as a naive datetime; None for WordPress's '0000-00-00 ...'."""
    if not text or _ZERO_DATE.match(text):
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _title_html(entry: Any) -> str:
    detail = entry.get("title_detail") or {}
    value = detail.get("value", entry.get("title", "")) or ""
    if detail.get("type") == "text/plain":
        return escape(value, quote=False)
    return value


def _content_html(entry: Any) -> str:
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if content.get("type") == "text/plain":
            return "".join(f"<p>{escape(part)}</p>" for part in value.split("\n\n"))
        return value
    return ""


def _creator(entry: Any) -> str:
    """The author's name (Atom's `<name>` alone, not feedparser's `name (email)`)."""
    detail = entry.get("author_detail") or {}
    return (detail.get("name") or _text(entry, "author")).strip()


def _wxr_post(position: int, entry: Any) -> SourcePost:
    gmt = _wordpress_time(_text(entry, "wp_post_date_gmt"))
    published = gmt.replace(tzinfo=timezone.utc) if gmt else None
    local_time = _wordpress_time(_text(entry, "wp_post_date"))
    fallback = ""
    if published is None and local_time is None:
        # An export without WordPress's own dates: the RSS ones, in WordPress's order.
        published, fallback = _struct_time(entry.get("published_parsed")), "pubDate"
        if published is None:
            published, fallback = _struct_time(entry.get("updated_parsed")), "dc:date"
    order = _text(entry, "wp_menu_order")
    terms = tuple(
        tag.get("term", "").strip()
        for tag in entry.get("tags") or []
        if (tag.get("scheme") or "category") in TERM_DOMAINS
        and tag.get("term", "").strip().casefold() not in _NO_CATEGORY
    )
    content = _content_html(entry)
    return SourcePost(
        position=position,
        title_html=_title_html(entry),
        content_html=content,
        excerpt_html=_text(entry, "excerpt_encoded"),
        excerpt_is_written=True,
        published=published,
        local_time=local_time,
        post_type=_text(entry, "wp_post_type") or "post",
        status=_text(entry, "wp_status") or "publish",
        slug=_text(entry, "wp_post_name"),
        post_id=_text(entry, "wp_post_id"),
        link=_text(entry, "link"),
        guid=_text(entry, "id"),
        creator=_text(entry, "author"),
        terms=tuple(t for t in terms if t),
        password_protected=bool(_text(entry, "wp_post_password")),
        # Block-editor posts are already HTML; only classic posts need <p> tags.
        needs_paragraphs="<!-- wp:" not in content,
        date_fallback=fallback if published is not None else "",
        attachment_url=_text(entry, "wp_attachment_url"),
        parent_id=_text(entry, "wp_post_parent"),
        menu_order=int(order) if order.isdigit() else 0,
    )


def _feed_post(position: int, entry: Any) -> SourcePost:
    published = _struct_time(entry.get("published_parsed"))
    fallback = ""
    if published is None:  # RSS dc:date and Atom <updated> both land in `updated`
        published = _struct_time(entry.get("updated_parsed"))
        fallback = "dc:date/updated"
    content = _content_html(entry)
    summary = _text(entry, "summary")
    if not content:  # an RSS item whose description is the whole post
        content, summary = summary, ""
    terms = []
    for tag in entry.get("tags") or []:
        term = (tag.get("label") or tag.get("term") or "").strip()
        if term and term.casefold() not in _NO_CATEGORY:
            terms.append(term)
    return SourcePost(
        position=position,
        title_html=_title_html(entry),
        content_html=content,
        excerpt_html=summary,
        published=published,
        link=_text(entry, "link"),
        guid=_text(entry, "id"),
        creator=_creator(entry),
        terms=tuple(terms),
        date_fallback=fallback if published is not None else "",
    )
