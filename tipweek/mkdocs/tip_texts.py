"""What listings, feeds, share tags and emails take from each tip's HTML, once a build.

The excerpt, its plain text and, for a tip a feed shows, the feed's copies with
absolute links (`tipweek.core.tip_text`).  They are worked out where the HTML
is made and kept with it in the Markdown cache (`kept_extra`); a kept text is used
only while the tip's `summary:` and address are those it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping

from tipweek.core.tip_text import TipText, tip_text
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme
from tipweek.mkdocs.generated_pages import TipPage
from tipweek.mkdocs.markdown_conversion import kept_extra


class TipTexts:
    """The texts of one build's tips, by source."""

    def __init__(
        self,
        tip_pages: Mapping[str, TipPage],
        scheme: UrlScheme,
        site_url: str,
        excerpt_words: int,
        in_feeds: frozenset[str],
    ) -> None:
        self.tip_pages = tip_pages
        self.scheme = scheme
        self.site_url = site_url
        self.excerpt_words = excerpt_words
        self.in_feeds = in_feeds  # the sources of the tips the feeds show
        self._texts: dict[str, TipText] = {}

    def text(self, tip: Tip) -> TipText:
        """The tip's text, worked out once a build, or kept with its HTML."""
        text = self._texts.get(tip.source)
        if text is None:
            page = self.tip_pages[tip.source]
            text = TipText.from_json(kept_extra(page), page.content or "")
            if text is None or not text.applies(tip.summary, self.address(tip)):
                text = self.work_out(page)
            self._texts[tip.source] = text
        return text

    def feed_text(self, tip: Tip) -> TipText:
        """`text`, with the feed's copies (a tip that was in no feed when it rendered)."""
        text = self.text(tip)
        if text.feed_content is None:
            text = text.with_feed_text(self.tip_pages[tip.source].content or "")
            self._texts[tip.source] = text
        return text

    def work_out(self, page: TipPage) -> TipText:
        """The text of a freshly rendered tip page (kept with its HTML)."""
        tip = page.tip
        return tip_text(
            page.content or "",
            tip.summary,
            self.excerpt_words,
            self.address(tip),
            in_feed=tip.source in self.in_feeds,
        )

    def address(self, tip: Tip) -> str:
        return self.site_url + self.scheme.tip_url(tip)
