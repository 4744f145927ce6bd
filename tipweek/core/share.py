"""What search engines and chat apps read from a page's head: description, Open Graph,
Twitter card and JSON-LD `BlogPosting`.

Plain data, decided here without MkDocs: the templates only loop over `ShareView`'s
pairs, so every value is text that Jinja escapes, and the JSON-LD is already safe to
put between `<script>` tags.  Every URL here is absolute (share cards are read far
from the site), made from `site_url`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from tipweek.core.project import Author


@dataclass(frozen=True)
class ShareSite:
    """The site-wide facts every card repeats."""

    site_name: str
    site_url: str  # absolute, ends with "/"
    # Who publishes the tips: `organisation`, else `site_author`, else the site's name.
    publisher: str
    # A picture for cards of pages and tips that have none of their own (site option).
    image: str = ""


@dataclass(frozen=True)
class ShareView:
    description: str
    # `<meta property=…>` (Open Graph) and `<meta name=…>` (Twitter) pairs, in order.
    properties: Sequence[tuple[str, str]]
    names: Sequence[tuple[str, str]]
    # JSON-LD for `<script type="application/ld+json">`, or "" for none.
    json_ld: str = ""


def absolute(site_url: str, url: str) -> str:
    """A site path (`/assets/x.png`, `assets/x.png`) or URL as an absolute URL."""
    if "://" in url:
        return url
    path = url.lstrip("/")
    if _joins_plainly(site_url, path):
        return site_url + path  # what urljoin gives, at a tenth of its cost (every page asks)
    return urljoin(site_url, path)


def _joins_plainly(base: str, path: str) -> bool:
    """Whether `urljoin(base, path)` is `base + path`: a base ending its path with `/`
    and nothing after, and a plain path (no scheme, query, fragment or parameters, no
    dot segment, no `//`), as page URLs are."""
    if not base.endswith("/") or "?" in base or "#" in base:
        return False
    if not _PLAIN_PATH.fullmatch(path) or "//" in path:
        return False
    return not any(segment in (".", "..") for segment in path.split("/"))


#: RFC 3986 path characters but `:` and `;` (urljoin reads a scheme and parameters there).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~%!$&'()*+,=@/-]+")


#: The longest description given to search engines and cards, ellipsis included: Google
#: shows about 155-160 characters, and a cut mid-word reads as a mistake.
MAX_DESCRIPTION = 155
_ELLIPSIS = "…"


def short_description(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (with "…")."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    room = flat[: limit - len(_ELLIPSIS) + 1]
    cut = room.rsplit(" ", 1)[0] if " " in room else room[: limit - len(_ELLIPSIS)]
    # No dangling punctuation before the ellipsis ("word, …", "word: …").
    return cut.rstrip(" ,;:.-\u2013\u2014") + _ELLIPSIS


def script_json(data: object) -> str:
    """JSON that cannot end its `<script>` element early, whatever the tips say."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _w3c(moment: datetime) -> str:
    return moment.isoformat()


def tip_share(
    site: ShareSite,
    *,
    title: str,
    url: str,
    description: str,
    published: datetime,
    updated: datetime | None = None,
    tags: Sequence[str] = (),
    author: Author | None = None,
    image: str | None = None,
) -> ShareView:
    """The card and structured data of a tip page; `url` is site-relative."""
    description = short_description(description)
    page_url = absolute(site.site_url, url)
    picture = absolute(site.site_url, image or site.image) if (image or site.image) else ""
    properties: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:site_name", site.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", page_url),
    ]
    if picture:
        properties.append(("og:image", picture))
    properties.append(("article:published_time", _w3c(published)))
    if updated is not None:
        properties.append(("article:modified_time", _w3c(updated)))
    properties += [("article:tag", tag) for tag in tags]
    publisher = {"@type": "Organization", "name": site.publisher, "url": site.site_url}
    if author is not None:
        by: dict[str, str] = {"@type": "Person", "name": author.name}
        if author.url:
            by["url"] = absolute(site.site_url, author.url)
    else:
        by = publisher  # Google wants an author; the organisation wrote it
    posting: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "description": description,
        "url": page_url,
        "mainEntityOfPage": page_url,
        "datePublished": _w3c(published),
        "dateModified": _w3c(updated or published),
        "author": by,
        "publisher": publisher,
    }
    if tags:
        posting["keywords"] = list(tags)
    if picture:
        posting["image"] = picture
    return ShareView(
        description=description,
        properties=properties,
        names=_twitter(title, description, picture),
        json_ld=script_json(posting),
    )


def listing_share(site: ShareSite, *, title: str, url: str, description: str) -> ShareView:
    """The card of a listing (archive, tag, year, tag index): a website, no JSON-LD."""
    description = short_description(description)
    picture = absolute(site.site_url, site.image) if site.image else ""
    properties = [
        ("og:type", "website"),
        ("og:site_name", site.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", absolute(site.site_url, url)),
    ]
    if picture:
        properties.append(("og:image", picture))
    return ShareView(description, properties, _twitter(title, description, picture))


def _twitter(title: str, description: str, picture: str) -> list[tuple[str, str]]:
    names = [
        ("twitter:card", "summary_large_image" if picture else "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    if picture:
        names.append(("twitter:image", picture))
    return names


def listing_description(
    kind: str,
    *,
    site_description: str,
    site_name: str,
    name: str = "",
    description: str = "",
    number: int = 1,
    total: int = 1,
) -> str:
    """A listing's own description: what it lists, and which page of how many it is.

    `name` is the tag's title or the year; `description` the tag's (tags.yml).
    """
    if kind == "tag":
        text = description or f"Every tip of {site_name} tagged “{name}”, newest first."
    elif kind == "year":
        text = f"Every tip {site_name} published in {name}, newest first."
    elif kind == "tags":
        text = f"Every tag of {site_name}, with its number of tips, and the archive by year."
    else:
        text = site_description or f"Every tip of {site_name}, newest first."
    if total > 1:
        text = f"{text} Page {number} of {total}."
    return text
