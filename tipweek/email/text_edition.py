"""The plain-text twin of an edition: the same words and links, for text-only readers.

Made from the same `EditionView` and the same sanitised body as the HTML, so
the two parts of the message can never tell different stories.  Links become
`text <url>`, list items `- item`, headings stand on their own lines, images
their `[alt]`.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from tipweek.core.lenient_html import LenientHTMLParser
from tipweek.email.edition import EditionView
from tipweek.email.sanitise import clean_body

WIDTH = 72


class _Text(LenientHTMLParser):
    _BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "ul", "ol", "blockquote", "pre", "table", "tr", "figure", "hr",
         "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "figcaption"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.links: list[tuple[str, int]] = []  # an open link's URL, where its text starts
        self.pre = 0
        self.quote = 0

    def _flush(self) -> None:
        text = "".join(self.current)
        self.current = []
        text = text.strip("\n") if self.pre else " ".join(text.split())
        if not text:
            return
        if not self.pre:
            text = textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)
        if self.quote:
            text = "\n".join("> " + line for line in text.splitlines())
        self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self._BLOCKS or tag == "li":
            self._flush()
        if tag == "li":
            self.current.append("- ")
        elif tag == "br":
            self.current.append("\n" if self.pre else " ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "a":
            self.links.append((values.get("href") or "", len(self.current)))
        elif tag == "img":
            alt = (values.get("alt") or "").strip()
            if alt:
                self.current.append(f"[{alt}]")
        elif tag in ("td", "th"):
            self.current.append(" ")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            url, start = self.links.pop()
            text = "".join(self.current[min(start, len(self.current)) :])
            # A bare link (`<https://x>`) is its own text: once is enough.
            if url and text.strip() != url and not url.startswith("mailto:" + text.strip()):
                self.current.append(f" <{url}>")
        if tag in self._BLOCKS or tag == "li":
            self._flush()
        if tag == "pre" and self.pre:
            self.pre -= 1
        elif tag == "blockquote" and self.quote:
            self.quote -= 1

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def body_text(markup: str) -> str:
    """The text of a sanitised body, block by block."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = ""
    for block in parser.blocks:
        # A list's items one to a line; blocks apart by an empty line.
        tight = text.rsplit("\n", 1)[-1].startswith("- ") and block.startswith("- ")
        text += ("\n" if tight else "\n\n") + block if text else block
    return text


def edition_text(view: EditionView) -> str:
    """The plain-text twin of the edition of `view`."""
    site = view.site
    parts = [
        site.site_name,
        "",
        view.title,
        view.date_text,
        "",
        body_text(clean_body(view.body_html, view.url)),
    ]
    if view.tags:
        parts += ["", "Tags: " + ", ".join(tag.title for tag in view.tags)]
    if view.buttons:
        parts += ["", *(f"{button.title}: {button.url}" for button in view.buttons)]
    parts += ["", f"Read this tip on the web: {view.url}", "", "--"]
    parts.append(f"You are receiving {site.site_name} because you subscribed to it.")
    if site.postal_address:
        parts += [line.strip() for line in site.postal_address.splitlines()]
    if site.unsubscribe:
        parts.append(f"Unsubscribe: {site.unsubscribe}")
    return "\n".join(parts).strip() + "\n"
