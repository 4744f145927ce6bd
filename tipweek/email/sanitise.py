"""A tip's HTML made safe and sized for an inbox.

Mail clients strip scripts themselves, but not all of them, and a forwarded
email is opened in browsers too: the body goes through nh3 (a real sanitiser,
as imported posts do) keeping only formatting, links to web, mail and phone
addresses, and images.  Every image then gets the `alt` and `width` email
clients need (Outlook ignores CSS sizes and shows an image at its full width).
"""

from __future__ import annotations

import html

import nh3

from tipweek.core.lenient_html import LenientHTMLParser

#: The column's width less its padding: no image may be wider.
CONTENT_WIDTH = 552
_TAGS = nh3.ALLOWED_TAGS - {"map", "area", "details", "summary", "nav", "wbr"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_body(markup: str) -> str:
    """`markup` (a tip's HTML with absolute URLs) with nothing scriptable, images sized."""
    if "headerlink" in markup:
        markup = without_heading_anchors(markup)
    cleaned = nh3.clean(markup, tags=_TAGS, url_schemes=_URL_SCHEMES, strip_comments=True)
    return size_images(cleaned) if "<img" in cleaned else cleaned


class _ImageSizer(LenientHTMLParser):
    """Re-emits HTML, giving every `<img>` an `alt` and a `width` of at most the column."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img":
            self.out.append(self.get_starttag_text() or "")
            return
        values = {name: value or "" for name, value in attrs}
        width = values.get("width", "")
        if not (width.isdigit() and 0 < int(width) <= CONTENT_WIDTH):
            values["width"] = str(CONTENT_WIDTH)
            values.pop("height", None)  # kept, it would stretch the resized image
        values.setdefault("alt", "")
        attributes = " ".join(f'{name}="{html.escape(value)}"' for name, value in values.items())
        self.out.append(f"<img {attributes}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


class _AnchorDropper(LenientHTMLParser):
    """Re-emits HTML without the `¶` permalinks the `toc` extension puts in headings:
    a link to a heading of the web page means nothing in an inbox."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skipping = 0  # depth inside a dropped anchor

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or (tag == "a" and "headerlink" in classes):
            self.skipping += tag == "a"
            return
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == "a"
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skipping:
            self.out.append(f"&#{name};")


def without_heading_anchors(markup: str) -> str:
    """`markup` without the toc extension's heading permalinks (nh3 runs after this)."""
    dropper = _AnchorDropper()
    dropper.feed(markup)
    dropper.close()
    return "".join(dropper.out)


def size_images(markup: str) -> str:
    sizer = _ImageSizer()
    sizer.feed(markup)
    sizer.close()
    return "".join(sizer.out)
