"""A tip's HTML made safe and sized for an inbox.

Mail clients strip scripts themselves, but not all of them, and a forwarded
email is opened in browsers too: the body goes through nh3 (a real sanitiser,
as imported posts do) keeping only formatting, links to web, mail and phone
addresses, and images.  Every image then gets the `alt` and `width` email
clients need (Outlook ignores CSS sizes and shows an image at its full width).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nh3

#: The column's width less its padding: no image may be wider.
CONTENT_WIDTH = 552
_TAGS = nh3.ALLOWED_TAGS - {"map", "area", "details", "summary", "nav", "wbr"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_body(markup: str, page_url: str) -> str:
    """`markup`, a tip's HTML written for the page at `page_url` (absolute), with
    nothing scriptable, every URL absolute and images sized."""
    if "headerlink" in markup:
        markup = without_heading_anchors(markup)

    def absolute(tag: str, attribute: str, value: str) -> str:
        # nh3 checks the scheme of what this returns: `javascript:` stays refused.
        return urljoin(page_url, value) if attribute in ("href", "src") and value else value

    cleaned = nh3.clean(
        markup,
        tags=_TAGS,
        url_schemes=_URL_SCHEMES,
        strip_comments=True,
        attribute_filter=absolute,
    )
    return size_images(cleaned) if "<img" in cleaned else cleaned


# nh3 writes every element the same way (lowercase names, every value double-quoted,
# a `"` inside one escaped): on its output an `<img>` and its attributes are exactly these.
_IMG = re.compile(r'<img((?:\s+[a-z][a-z0-9-]*="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)="([^"]*)"')
# Python-Markdown's `toc` permalink (`permalink: true`), as it writes it.
_HEADERLINK = re.compile(r'<a class="headerlink" href="[^"<>]*" title="[^"<>]*">[^<]*</a>')


def _sized(match: re.Match[str]) -> str:
    values = dict(_ATTRIBUTE.findall(match.group(1)))
    width = values.get("width", "")
    if not (width.isdigit() and 0 < int(width) <= CONTENT_WIDTH):
        values["width"] = str(CONTENT_WIDTH)
        values.pop("height", None)  # kept, it would stretch the resized image
    values.setdefault("alt", "")
    return "<img " + " ".join(f'{name}="{value}"' for name, value in values.items()) + ">"


def size_images(markup: str) -> str:
    """Every `<img>` of nh3's output with an `alt` and a `width` of at most the column."""
    return _IMG.sub(_sized, markup)


def without_heading_anchors(markup: str) -> str:
    """`markup` without the `¶` permalinks the `toc` extension puts in headings: a link
    to a heading of the web page means nothing in an inbox (nh3 runs after this)."""
    return _HEADERLINK.sub("", markup)
