"""What each generated page shows, as plain data for the templates.

Templates stay dumb: every title, date string, excerpt, pager link and badge is
decided here, in code that tests can call without MkDocs.  URLs are
site-relative (`tags/training/page/2/`); templates pass them through MkDocs'
`url` filter, which makes them relative to the page being rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tipweek.core.archive import Archive, Tag
from tipweek.core.comments import CommentSettings, CommentsView, comments_view
from tipweek.core.dates import format_date
from tipweek.core.markup import relocate
from tipweek.core.paging import PageOfTips, pager_window
from tipweek.core.project import Author
from tipweek.core.related import related_tips
from tipweek.core.share import ShareSite, ShareView, listing_description, listing_share, tip_share
from tipweek.core.tip_text import TipText
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A tip as a listing or a neighbour link shows it."""

    title: str
    url: str
    date_iso: str
    date_text: str
    excerpt_html: str = ""
    badge: str = ""


@dataclass(frozen=True)
class PagerItem:
    number: int | None  # None is a gap, shown as …
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    items: Sequence[PagerItem]
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class ListingView:
    kind: str  # "archive", "tag" or "year"
    html_title: str
    heading: str
    entries: Sequence[Entry]
    pager: Pager | None
    number: int
    total: int
    description: str = ""
    feed: Link | None = None
    empty_message: str = "No tips have been published yet."
    share: ShareView | None = None


@dataclass(frozen=True)
class TagCount:
    title: str
    url: str
    count: int


@dataclass(frozen=True)
class TagsView:
    html_title: str
    heading: str
    tags: Sequence[TagCount]
    years: Sequence[TagCount]
    share: ShareView | None = None


@dataclass(frozen=True)
class TipView:
    html_title: str
    entry: Entry
    tags: Sequence[Link]
    author: Author | None
    author_url: str
    older: Entry | None
    newer: Entry | None
    call_to_action: Sequence[Link] = field(default_factory=tuple)
    # `updated:` as the page shows it (empty when the tip has none).
    updated_iso: str = ""
    updated_text: str = ""
    share: ShareView | None = None
    related: Sequence[Entry] = ()
    comments: CommentsView | None = None


@dataclass
class ViewSettings:
    """The parts of the plugin's config that views need, in plain types."""

    site_name: str
    scheme: UrlScheme
    date_format: str
    now: datetime
    pager_edge: int = 2
    pager_around: int = 2
    call_to_action: Sequence[Link] = ()
    authors: dict[str, Author] = field(default_factory=dict)
    # MkDocs' `use_directory_urls: false` serves `x/index.html`, to be browsable from disk.
    directory_urls: bool = True
    # Titles as the old WordPress site had them: `<publication> | <organisation> - Page N`
    # on the archive, `<tag> | <organisation>`, `<tip> | <organisation>`. Empty: the site name
    # after the bar, and the archive titled by it alone (`Site - Page N`).
    publication: str = ""
    organisation: str = ""
    # Share cards and structured data (tipweek/share.py); None: none in the head.
    share: ShareSite | None = None
    site_description: str = ""
    # How many related tips a tip page lists (tipweek/related.py); 0: none.
    related: int = 3
    comments: CommentSettings | None = None

    @property
    def title_suffix(self) -> str:
        return self.organisation or self.site_name


def _site_relative(url: str) -> str:
    """Author and call-to-action URLs may be written `/about/`; links must survive a subpath."""
    if "://" in url or url.startswith(("mailto:", "tel:", "#")):
        return url
    return url.lstrip("/")


class Views:
    """Builds the view of any generated page from the archive and rendered excerpts."""

    def __init__(
        self,
        archive: Archive,
        settings: ViewSettings,
        text_of: Callable[[Tip], TipText],
    ) -> None:
        self.archive = archive
        self.settings = settings
        self.text_of = text_of
        # A tip shows up in up to a dozen views (its listings, its neighbours'
        # pages): what does not depend on the page is worked out once.
        self._facts: dict[str, tuple[str, str, str]] = {}
        self._related: dict[str, tuple[Tip, ...]] | None = None

    def related(self, tip: Tip) -> tuple[Tip, ...]:
        """The tips listed as related under `tip`, computed for the whole archive at once."""
        if self._related is None:
            self._related = related_tips(
                self.archive.tips,
                now=self.settings.now,
                url_of=self.settings.scheme.tip_url,
                limit=self.settings.related,
            )
        return self._related.get(tip.source, ())

    def link(self, url: str) -> str:
        """A page's URL as links must spell it: `x/`, or `x/index.html` without directory URLs."""
        if self.settings.directory_urls or not (url == "" or url.endswith("/")):
            return url
        return url + "index.html"

    def badge(self, tip: Tip) -> str:
        if tip.draft:
            return "Draft"
        if tip.date > self.settings.now:
            return f"Scheduled for {format_date(tip.date, self.settings.date_format)}"
        return ""

    def entry(self, tip: Tip, *, on_page: str | None = None) -> Entry:
        """`on_page`: the URL of the listing showing the excerpt (None: no excerpt)."""
        url, date_iso, date_text = self._facts_of(tip)
        return Entry(
            title=tip.title,
            url=self.link(url),
            date_iso=date_iso,
            date_text=date_text,
            excerpt_html="" if on_page is None else self._excerpt_on(tip, url, on_page),
            badge=self.badge(tip),
        )

    def _facts_of(self, tip: Tip) -> tuple[str, str, str]:
        """The tip's URL, and its date as ISO and as shown."""
        facts = self._facts.get(tip.source)
        if facts is None:
            facts = (
                self.settings.scheme.tip_url(tip),
                tip.date.date().isoformat(),
                format_date(tip.date, self.settings.date_format),
            )
            self._facts[tip.source] = facts
        return facts

    def _excerpt_on(self, tip: Tip, url: str, on_page: str) -> str:
        """The tip's excerpt with its relative links made to work from `on_page`."""
        text = self.text_of(tip)
        return text.excerpt if text.excerpt_portable else relocate(text.excerpt, url, on_page)

    def pager(self, base: str, page: PageOfTips[Tip]) -> Pager | None:
        if page.total == 1:
            return None
        scheme = self.settings.scheme
        items = [
            PagerItem(None)
            if number is None
            else PagerItem(number, self.link(scheme.paged(base, number)), number == page.number)
            for number in pager_window(
                page.number, page.total, self.settings.pager_edge, self.settings.pager_around
            )
        ]
        return Pager(
            items,
            self.link(scheme.paged(base, page.number - 1)) if page.has_previous else None,
            self.link(scheme.paged(base, page.number + 1)) if page.has_next else None,
        )

    def _title(self, prefix: str, number: int) -> str:
        suffix = self.settings.title_suffix
        title = f"{prefix} | {suffix}" if prefix else suffix
        return f"{title} - Page {number}" if number > 1 else title

    def listing(
        self,
        kind: str,
        base: str,
        page: PageOfTips[Tip],
        tag: Tag | None = None,
        description: str = "",
    ) -> ListingView:
        here = self.settings.scheme.paged(base, page.number)
        entries = [self.entry(tip, on_page=here) for tip in page.items]
        if kind == "tag" and tag is not None:
            prefix, heading = tag.name, f"Tips tagged “{tag.name}”"
            feed = Link(
                f"{self.settings.site_name}: {tag.name}", self.settings.scheme.feed_url(base)
            )
        elif kind == "year":
            year = base.strip("/").rsplit("/", 1)[-1]
            prefix, heading, feed = year, f"Tips from {year}", None
        else:
            prefix, heading, feed = self.settings.publication, self.settings.site_name, None
        if page.number > 1:
            heading = f"{heading} - Page {page.number}"
        html_title = self._title(prefix, page.number)
        return ListingView(
            kind=kind,
            html_title=html_title,
            heading=heading,
            entries=entries,
            pager=self.pager(base, page),
            number=page.number,
            total=page.total,
            description=description,
            feed=feed,
            share=self._listing_share(
                html_title,
                self.link(here),
                listing_description(
                    kind,
                    site_description=self.settings.site_description,
                    site_name=self.settings.site_name,
                    name=tag.name if tag is not None else prefix,
                    description=description,
                    number=page.number,
                    total=page.total,
                ),
            ),
        )

    def _listing_share(self, title: str, url: str, description: str) -> ShareView | None:
        site = self.settings.share
        if site is None:
            return None
        return listing_share(site, title=title, url=url, description=description)

    def tags_index(self) -> TagsView:
        scheme = self.settings.scheme
        html_title = self._title("Tags", 1)
        description = listing_description(
            "tags",
            site_description=self.settings.site_description,
            site_name=self.settings.site_name,
        )
        return TagsView(
            share=self._listing_share(html_title, self.link(scheme.tags), description),
            html_title=html_title,
            heading="Tags",
            tags=[
                TagCount(tag.name, self.link(scheme.tag_url(slug)), len(tag.tips))
                for slug, tag in self.archive.tags.items()
            ],
            years=[
                TagCount(str(year), self.link(scheme.year_url(year)), len(tips))
                for year, tips in self.archive.years.items()
            ],
        )

    def tip(self, tip: Tip) -> TipView:
        older, newer = self.archive.older(tip), self.archive.newer(tip)
        author = self.settings.authors.get(tip.author) if tip.author else None
        if tip.author and author is None:
            author = Author(key=tip.author, name=tip.author)
        tags = self.archive.tags_of(tip)
        entry = self.entry(tip)
        return TipView(
            updated_iso=tip.updated.date().isoformat() if tip.updated else "",
            updated_text=format_date(tip.updated, self.settings.date_format) if tip.updated else "",
            share=self._tip_share(tip, author, [tag.name for tag in tags]),
            related=[self.entry(other) for other in self.related(tip)],
            comments=comments_view(self.settings.comments, tip.title),
            html_title=f"{tip.title} | {self.settings.title_suffix}",
            entry=entry,
            tags=[
                Link(tag.name, self.link(self.settings.scheme.tag_url(tag.slug))) for tag in tags
            ],
            author=author,
            author_url=_site_relative(author.url) if author and author.url else "",
            older=self.entry(older) if older else None,
            newer=self.entry(newer) if newer else None,
            call_to_action=[
                Link(link.title, _site_relative(link.url)) for link in self.settings.call_to_action
            ],
        )

    def _tip_share(self, tip: Tip, author: Author | None, tags: list[str]) -> ShareView | None:
        site = self.settings.share
        if site is None:
            return None
        return tip_share(
            site,
            title=tip.title,
            url=self.link(self.settings.scheme.tip_url(tip)),
            description=self.text_of(tip).excerpt_text,
            published=tip.date,
            updated=tip.updated,
            tags=tags,
            author=author,
            image=tip.image,
        )
