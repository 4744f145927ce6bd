"""What listings, share tags and feeds take from a tip's rendered HTML, worked out once.

A tip's excerpt (listings; and whether it reads the same on every listing
page), the excerpt's plain text (the description in its share tags) and, for
a tip in a feed, the feed's copies of the excerpt and of the whole tip with
absolute links are all functions of three inputs: the tip's HTML, its
`summary:` and its address.  Each takes an HTML parse, and views and feeds
ask for them on every build; so they are worked out where the HTML is made
(in the Markdown workers on a cold build) and kept with it in the render
cache, and a warm build parses no tip's HTML again.

The Markdown cache's key covers the HTML (the Markdown body, the extensions)
and `excerpt_words`, but not the summary (front matter) nor the site's
address: both are kept alongside and compared on use (`TipText.applies`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tipweek.core.markup import absolutize, make_excerpt, plain_text, relocation_is_identity

#: In the kept form, where a feed's copy is the text it was made from (no relative links).
_SAME = True


@dataclass(frozen=True)
class TipText:
    """Text derived from one tip's HTML."""

    summary: str | None  # the tip's `summary:`, an input
    url: str  # the tip's absolute address, an input
    excerpt: str  # HTML, links relative to the tip's page
    excerpt_portable: bool  # the excerpt needs no change to work on other pages
    excerpt_text: str  # the excerpt without tags
    feed_excerpt: str | None = None  # the excerpt, links absolute (None: not worked out)
    feed_content: str | None = None  # the whole tip, links absolute (None: not worked out)

    def applies(self, summary: str | None, url: str) -> bool:
        return self.summary == summary and self.url == url

    def with_feed_text(self, html: str) -> TipText:
        """This text with the feed's copies worked out (`html` is the tip's HTML)."""
        if self.feed_excerpt is not None and self.feed_content is not None:
            return self
        return replace(
            self,
            feed_excerpt=absolutize(self.excerpt, self.url),
            feed_content=absolutize(html, self.url),
        )

    def to_json(self, html: str) -> list[object]:
        """A JSON-able form to keep beside `html`, the tip's HTML, which it does not repeat."""

        def kept(copy: str | None, source: str) -> object:
            return _SAME if copy == source else copy

        return [
            self.summary,
            self.url,
            self.excerpt,
            self.excerpt_portable,
            self.excerpt_text,
            kept(self.feed_excerpt, self.excerpt),
            kept(self.feed_content, html),
        ]

    @classmethod
    def from_json(cls, data: object, html: str) -> TipText | None:
        """The `TipText` `to_json` kept beside `html`, or None if `data` is not one (an
        older, damaged or foreign cache file)."""
        if not isinstance(data, list) or len(data) != 7:
            return None
        summary, url, excerpt, portable, text, feed_excerpt, feed_content = data
        if not (summary is None or isinstance(summary, str)) or not isinstance(portable, bool):
            return None
        if not (isinstance(url, str) and isinstance(excerpt, str) and isinstance(text, str)):
            return None

        def copy(kept: object, source: str) -> str | None:
            if kept is _SAME:
                return source
            return kept if isinstance(kept, str) else None

        return cls(
            summary,
            url,
            excerpt,
            portable,
            text,
            copy(feed_excerpt, excerpt),
            copy(feed_content, html),
        )


def tip_text(html: str, summary: str | None, max_words: int, url: str, *, in_feed: bool) -> TipText:
    """The text of a tip whose HTML is `html`; with the feed's copies if `in_feed`."""
    excerpt = make_excerpt(html, summary, max_words)
    text = TipText(
        summary=summary,
        url=url,
        excerpt=excerpt,
        excerpt_portable=relocation_is_identity(excerpt),
        excerpt_text=plain_text(excerpt),
    )
    return text.with_feed_text(html) if in_feed else text
