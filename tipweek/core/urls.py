"""The URL layout of the site, in one place.

Pages, links, feeds and collision checks all ask `UrlScheme`, so a URL pattern
changed in mkdocs.yml changes every one of them together.  URLs here are
site-relative directory URLs without a leading slash (`tags/training/page/2/`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tipweek.core.archive import Archive
from tipweek.core.options import URL_DEFAULTS
from tipweek.core.paging import page_url
from tipweek.core.tips import Tip


@dataclass(frozen=True)
class UrlScheme:
    # Defaults from the options schema, the one place URL patterns are declared.
    tip: str = URL_DEFAULTS["tip"]
    page: str = URL_DEFAULTS["page"]
    tags: str = URL_DEFAULTS["tags"]
    year: str = URL_DEFAULTS["year"]
    feed: str = URL_DEFAULTS["feed"]

    def tip_url(self, tip: Tip) -> str:
        return self.tip.format(
            yyyy=f"{tip.date.year:04d}",
            mm=f"{tip.date.month:02d}",
            dd=f"{tip.date.day:02d}",
            slug=tip.slug,
        )

    def tag_url(self, slug: str) -> str:
        return f"{self.tags}{slug}/"

    def year_url(self, year: int) -> str:
        return self.year.format(yyyy=f"{year:04d}")

    def paged(self, base: str, number: int) -> str:
        return page_url(base, number, self.page)

    def feed_url(self, base: str = "") -> str:
        """The feed of a listing: `feed.xml` for the site, `tags/x/feed.xml` for a tag."""
        return base + self.feed


#: The email edition of a tip, in the tip's folder, and the email feed (tipweek/email/).
EMAIL_EDITION = "email.html"
EMAIL_FEED = "email.xml"


def page_count(items: int, per_page: int) -> int:
    return max(1, -(-items // per_page))


def listing_urls(archive: Archive, scheme: UrlScheme, per_page: int) -> dict[str, str]:
    """Every URL the generated listings occupy, mapped to a description for messages."""
    urls: dict[str, str] = {}
    for number in range(1, page_count(len(archive), per_page) + 1):
        urls[scheme.paged("", number)] = f"page {number} of the archive"
    urls[scheme.feed_url()] = "the site's feed"
    urls[EMAIL_FEED] = "the email feed"
    for tip in archive.tips:
        urls[scheme.tip_url(tip) + EMAIL_EDITION] = f"the email edition of '{tip.title}'"
    urls[scheme.tags] = "the tag index"
    for slug, tag in archive.tags.items():
        base = scheme.tag_url(slug)
        for number in range(1, page_count(len(tag.tips), per_page) + 1):
            urls[scheme.paged(base, number)] = f"page {number} of tag '{tag.name}'"
        urls[scheme.feed_url(base)] = f"the feed of tag '{tag.name}'"
    for year, tips in archive.years.items():
        base = scheme.year_url(year)
        for number in range(1, page_count(len(tips), per_page) + 1):
            urls[scheme.paged(base, number)] = f"page {number} of the {year} archive"
    return urls
