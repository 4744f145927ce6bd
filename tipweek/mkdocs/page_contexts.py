"""What tipweek adds to a generated page's template context: its view, feeds, meta.

Tip pages get their `TipView` (and, with Pagefind, their search record),
listings their `ListingView`, the tags index its view; each also gets the
"Read more" wording and its feed autodiscovery links.  Worked out once a build
per page, by `src_uri` (a page printed from the page cache may never need it).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from tipweek.core import documents
from tipweek.core.archive import Archive
from tipweek.core.search_records import SearchRecord
from tipweek.core.urls import UrlScheme
from tipweek.core.views import Views
from tipweek.mkdocs.generated_pages import ListingPage, TagsIndexPage, TipPage


class PageContexts:
    """The template contexts tipweek adds, for one build's generated pages."""

    def __init__(
        self,
        views: Views,
        archive: Archive,
        scheme: UrlScheme,
        *,
        site_name: str,
        read_more: str,
        tag_description: Callable[[str], str],
        search_records: Mapping[str, SearchRecord] | None = None,
    ) -> None:
        self.views = views
        self.archive = archive
        self.scheme = scheme
        self.site_name = site_name
        self.read_more = read_more
        self.tag_description = tag_description
        self.search_records = search_records
        self._contexts: dict[str, dict[str, Any]] = {}

    def of(self, page: Page) -> dict[str, Any]:
        """`page`'s additions, worked out once a build."""
        src = page.file.src_uri
        context = self._contexts.get(src)
        if context is None:
            context = self._contexts[src] = self._work_out(page)
        return context

    def _work_out(self, page: Page) -> dict[str, Any]:
        context: dict[str, Any] = {}
        if isinstance(page, TipPage):
            context["tipweek"] = self.views.tip(page.tip)
            if self.search_records is not None:
                context["tipweek_search"] = self.search_records.get(page.tip.source)
        elif isinstance(page, ListingPage):
            description = self.tag_description(page.tag.slug) if page.tag is not None else ""
            context["tipweek"] = self.views.listing(
                page.kind, page.base, page.page_of_tips, page.tag, description
            )
            if page.kind == "archive" and page.page_of_tips.number == 1:
                context["tipweek_redirects"] = documents.query_redirects(self.archive, self.scheme)
        elif isinstance(page, TagsIndexPage):
            context["tipweek"] = self.views.tags_index()
        if "tipweek" in context:
            context["tipweek_read_more"] = self.read_more
            # Printed by the page's template (tipweek/page.html), so a page from the page
            # cache has them already; other pages get them in the plugin's on_post_page.
            context["tipweek_feed_links"] = documents.feed_links(self.feeds_of(page))
            describe_page(page, context["tipweek"])
        return context

    def feeds_of(self, page: Page) -> list[tuple[str, str]]:
        """The feeds a page links for autodiscovery, (title, URL relative to the page):
        the site's, and on a tag's listing that tag's."""
        feeds = [(self.site_name, self.scheme.feed_url())]
        if isinstance(page, ListingPage) and page.tag is not None:
            tag_feed = self.scheme.feed_url(self.scheme.tag_url(page.tag.slug))
            feeds.append((f"{self.site_name}: {page.tag.name}", tag_feed))
        return [(title, get_relative_url(url, page.url)) for title, url in feeds]


def describe_page(page: Page, view: Any) -> None:
    """The page's own description and author for Material's `<meta>` tags.

    Material writes `page.meta.description` and `.author` into the head unescaped,
    so they are given escaped here.
    """
    share = getattr(view, "share", None)
    # docs/index.md, the home page's introduction, may give its own.
    if share is not None and share.description and "description" not in page.meta:
        page.meta["description"] = html.escape(share.description, quote=True)
    author = getattr(view, "author", None)
    if author is not None and "author" not in page.meta:
        page.meta["author"] = html.escape(author.name, quote=True)
