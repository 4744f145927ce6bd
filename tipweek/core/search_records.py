"""Which tips the archive's search may find, and what it knows about each.

The search index (Pagefind, `pagefind_index.py`) holds one record per
*published* tip: never a draft, never a tip dated after the build's "now"
(even when `mkdocs serve` previews them), never a listing, tag page or alias
redirect.  Each record carries what a result shows and what a reader narrows
by: the title, the date (ISO for sorting, as configured for reading), the
tags by their display names and the year.

Pure: no MkDocs, no Jinja.  The tip template turns a record into Pagefind's
`data-pagefind-*` attributes; the MkDocs side only looks records up by source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from tipweek.core.archive import Archive
from tipweek.core.dates import format_date
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme

# The choices of the plugin's `search` option.

# Where the index goes, under site_dir; the search script finds it from its own URL.
BUNDLE_DIR = "pagefind"


@dataclass(frozen=True)
class SearchRecord:
    """One searchable tip, as its page's markup declares it to the indexer."""

    source: str  # the tip's file, relative to tips_dir: the key of every lookup
    url: str  # site-relative, as links spell it (`2025/07/01/x/` or `.../x.html`)
    title: str
    date_iso: str  # the sort key: ISO dates sort as text
    date_text: str  # as the site shows dates (`7/1/25`)
    year: str
    tags: tuple[str, ...]  # display names, as the tag filter lists them


def is_searchable(tip: Tip, now: datetime) -> bool:
    """A tip readers can find: published, and so also in listings and feeds."""
    return tip.is_published(now)


def search_records(
    archive: Archive,
    scheme: UrlScheme,
    now: datetime,
    *,
    date_format: str,
    link: Callable[[str], str] = lambda url: url,
) -> dict[str, SearchRecord]:
    """Every searchable tip of the archive, by source, newest first.

    `archive` may hold drafts and scheduled tips (a `mkdocs serve` preview);
    they are left out here.  `link` spells a page URL as links do (directory
    URLs or not), so a record's URL is the URL of the page that holds it.
    """
    records: dict[str, SearchRecord] = {}
    for tip in _searchable(archive.tips, now):
        records[tip.source] = SearchRecord(
            source=tip.source,
            url=link(scheme.tip_url(tip)),
            title=tip.title,
            date_iso=tip.date.date().isoformat(),
            date_text=format_date(tip.date, date_format),
            year=str(tip.date.year),
            tags=tuple(tag.name for tag in archive.tags_of(tip)),
        )
    return records


def _searchable(tips: Iterable[Tip], now: datetime) -> Iterable[Tip]:
    return (tip for tip in tips if is_searchable(tip, now))

