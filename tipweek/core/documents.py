"""Documents beside the pages: RSS feeds, alias redirects, feed autodiscovery links.

Feeds are made after MkDocs has rendered every tip, so they reuse that HTML
instead of converting any Markdown again.  Everything here returns bytes keyed
by site path; the plugin hands them to MkDocs as files, so `mkdocs serve`
serves them and link validation knows they exist.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Sequence

from tipweek.core.archive import Archive
from tipweek.core.feeds import Feed, FeedItem, render_rss
from tipweek.core.project import Author, TagInfo
from tipweek.core.site_paths import alias_paths
from tipweek.core.tip_text import TipText
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme


def feed_item(tip: Tip, archive: Archive, text: TipText, authors: dict[str, Author]) -> FeedItem:
    author = authors.get(tip.author) if tip.author else None
    return FeedItem(
        title=tip.title,
        url=text.url,
        published=tip.date,
        description_html=text.feed_excerpt,
        content_html=text.feed_content,
        author=author.name if author else tip.author,
        # The tag's title as pages show it (tags.yml, else the most-used spelling).
        categories=[tag.name for tag in archive.tags_of(tip)],
    )


def feeds(archive: Archive, scheme: UrlScheme, limit: int) -> list[tuple[str, str, Sequence[Tip]]]:
    """Every feed: (the site path of what it follows, the tag's slug or "" for the site's
    feed, the tips it shows, newest first)."""
    found: list[tuple[str, str, Sequence[Tip]]] = [("", "", archive.tips[:limit])]
    for slug, tag in archive.tags.items():
        found.append((scheme.tag_url(slug), slug, tag.tips[:limit]))
    return found


def feed_urls(archive: Archive, scheme: UrlScheme) -> list[str]:
    """The site path of every feed `feed_documents` writes."""
    return [scheme.feed_url(base) for base, _slug, _tips in feeds(archive, scheme, 0)]


def tips_in_feeds(archive: Archive, scheme: UrlScheme, limit: int) -> frozenset[str]:
    """The sources of the tips `feed_documents` puts in the site's feed or a tag's."""
    return frozenset(tip.source for _, _, tips in feeds(archive, scheme, limit) for tip in tips)


def feed_documents(
    archive: Archive,
    scheme: UrlScheme,
    text_of: Callable[[Tip], TipText],
    *,
    site_url: str,
    site_name: str,
    description: str,
    language: str | None,
    authors: dict[str, Author],
    tag_info: dict[str, TagInfo],
    limit: int,
) -> dict[str, bytes]:
    """The site's feed and one per tag, keyed by their site-relative URL."""
    # A tip is in the site's feed and in its tags' feeds, the same item in each.
    made: dict[str, FeedItem] = {}

    def item(tip: Tip) -> FeedItem:
        if tip.source not in made:
            made[tip.source] = feed_item(tip, archive, text_of(tip), authors)
        return made[tip.source]

    documents = {}
    for base, slug, tips in feeds(archive, scheme, limit):
        title, feed_description = site_name, description
        if slug:
            tag = archive.tags[slug]
            info = tag_info.get(slug)
            title = f"{site_name}: {tag.name}"
            feed_description = (info.description if info else "") or f"Tips tagged {tag.name}"
        feed_url = scheme.feed_url(base)
        feed = Feed(
            title=title,
            link=site_url + base,
            self_url=site_url + feed_url,
            description=feed_description or title,
            language=language,
            items=[item(tip) for tip in tips],
        )
        documents[feed_url] = render_rss(feed)
    return documents


def redirect_html(
    title: str, target_relative: str, target_absolute: str, icon_relative: str = ""
) -> str:
    """A tiny page that sends old links on to the tip (and tells search engines where)."""
    title_html = html.escape(title)
    relative = html.escape(target_relative, quote=True)
    # The site's icon, as its pages give it: without one, a browser asks for /favicon.ico,
    # which the site does not have (a 404 in the console before the redirect).
    icon = ""
    if icon_relative:
        icon = f'<link rel="icon" href="{html.escape(icon_relative, quote=True)}">\n'
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title_html}</title>\n"
        f'<link rel="canonical" href="{html.escape(target_absolute, quote=True)}">\n'
        '<meta name="robots" content="noindex">\n'
        f"{icon}"
        f'<meta http-equiv="refresh" content="0; url={relative}">\n'
        "</head>\n<body>\n"
        f'<p>This tip has moved: <a href="{relative}">{title_html}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def redirect_documents(
    archive: Archive, scheme: UrlScheme, site_url: str, icon: str = ""
) -> dict[str, bytes]:
    """A redirect page for every path alias, keyed by its path in the site; `icon` is the
    site's icon (a site path such as `assets/images/favicon.png`), if it has one.

    Query aliases (`?p=1`) are not files; the home page's script serves them.
    """
    documents = {}
    for tip, path in alias_paths(archive.tips):
        target = scheme.tip_url(tip)
        here = posixpath.dirname(path) or "."
        relative = posixpath.relpath(target, here) + "/"
        icon_relative = posixpath.relpath(icon, here) if icon else ""
        page = redirect_html(tip.title, relative, site_url + target, icon_relative)
        documents[path] = page.encode("utf-8")
    return documents


def query_redirects(archive: Archive, scheme: UrlScheme) -> dict[str, str]:
    """Old `/?p=123` links: query → tip URL, for the home page's redirect script."""
    return {
        alias[1:]: scheme.tip_url(tip)
        for tip in archive.tips
        for alias in tip.aliases
        if alias.startswith("?")
    }


def feed_links(feeds: Sequence[tuple[str, str]]) -> str:
    """A `<link rel="alternate feed">` for each (title, href), for a page's head.

    `alternate` is what feed autodiscovery reads (rel is a set of tokens); the
    second token is there because Material's JavaScript fetches `sitemap.xml`
    beside every `link[rel=alternate]` (an exact match: it looks for language
    versions), which 404s beside a tag feed and costs a whole sitemap beside the
    site feed, on every page.
    """
    return "".join(
        f'<link rel="alternate feed" type="application/rss+xml" title="{html.escape(title)}" '
        f'href="{html.escape(href)}">'
        for title, href in feeds
    )


def insert_feed_links(page_html: str, feeds: Sequence[tuple[str, str]]) -> str:
    """`feed_links(feeds)` just before `</head>`."""
    head_end = page_html.find("</head>")
    if head_end == -1:
        return page_html
    return page_html[:head_end] + feed_links(feeds) + page_html[head_end:]
