"""MkDocs pages for tips and listings, made from the archive without touching docs/.

Each page is a `File.generated` plus a `Page` subclass that knows what it
shows.  Tip pages convert their Markdown like any page; listing pages have no
Markdown at all, so MkDocs never spends time converting an empty document.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from tipweek.core.archive import Archive, Tag
from tipweek.core.paging import PageOfTips, paginate
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme
from tipweek.mkdocs.compat import set_anchors
from tipweek.mkdocs.markdown_conversion import TipConverter

TIP_TEMPLATE = "tipweek/tip.html"
LISTING_TEMPLATE = "tipweek/listing.html"
TAGS_TEMPLATE = "tipweek/tags.html"
#: Writes out a page from the page cache instead of rendering it (see tipweek/speed/page_cache.py).
CACHED_TEMPLATE = "tipweek/cached.html"
STYLESHEET = "assets/tipweek/tipweek.css"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# Stylesheet and scripts: outside the theme folders, which MkDocs would copy whole
# into the site (as an unused second `tipweek/tipweek.css`).
ASSETS_DIR = Path(__file__).parent / "assets"
# tipweek's 404.html alone: a folder of its own, put before the theme's (which has one).
NOT_FOUND_DIR = Path(__file__).parent / "templates_404"


def src_uri(url: str) -> str:
    """`tags/x/page/2/` → `tags/x/page/2/index.md`, whatever `use_directory_urls` says."""
    return f"{url}index.md"


class TipPage(Page):
    """A tip's own page: Markdown from the tip file, minus its front matter."""

    def __init__(self, tip: Tip, file: File, config: MkDocsConfig, converter: TipConverter) -> None:
        self.tip = tip
        self.converter = converter
        # Material inserts page titles into the header and the search index as
        # HTML, so the title must be escaped text, not the raw front matter.
        super().__init__(html.escape(tip.title, quote=False), file, config)
        self.update_date = last_changed([tip]) or self.update_date

    def read_source(self, config: MkDocsConfig) -> None:
        # The tip was read and validated in on_pre_build; reading it again
        # would cost time and could see a different version of the file.
        self.markdown = self.tip.body
        self.meta = {"template": TIP_TEMPLATE}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # Same result as Page.render, from a shared parser or the Markdown cache.
        self.converter.fill(self, files)


class GeneratedPage(Page):
    """A page with no Markdown of its own: everything it shows comes from its template."""

    template = LISTING_TEMPLATE

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        # Listings only repeat excerpts; indexing them would bury the tips in search.
        self.meta = {"template": self.template, "search": {"exclude": True}}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = []  # type: ignore[assignment]
        set_anchors(self, set(), None)


class ListingPage(GeneratedPage):
    """One page of the archive, of a tag or of a year.

    The home page may have an introduction: a `docs/index.md`, whose Markdown
    is rendered above the newest tips.
    """

    def __init__(
        self,
        title: str,
        file: File,
        config: MkDocsConfig,
        *,
        kind: str,
        base: str,
        page: PageOfTips[Tip],
        tag: Tag | None = None,
    ) -> None:
        self.kind = kind
        self.base = base
        self.page_of_tips = page
        self.tag = tag
        self.has_intro = not file.generated_by
        super().__init__(html.escape(title, quote=False), file, config)
        self.update_date = last_changed(page.items) or self.update_date

    def read_source(self, config: MkDocsConfig) -> None:
        if not self.has_intro:
            return super().read_source(config)
        Page.read_source(self, config)
        self.meta = {**self.meta, "template": self.template, "search": {"exclude": True}}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if not self.has_intro:
            return super().render(config, files)
        Page.render(self, config, files)


class TagsIndexPage(GeneratedPage):
    template = TAGS_TEMPLATE


def _file(config: MkDocsConfig, url: str, *, abs_src_path: Path | None = None) -> File:
    if abs_src_path is not None:
        return File.generated(
            config,
            src_uri(url),
            abs_src_path=str(abs_src_path),
            inclusion=InclusionLevel.NOT_IN_NAV,
        )
    return File.generated(config, src_uri(url), content="", inclusion=InclusionLevel.NOT_IN_NAV)


def tip_pages(
    config: MkDocsConfig,
    archive: Archive,
    scheme: UrlScheme,
    converter: TipConverter,
) -> Iterator[TipPage]:
    for tip in archive.tips:
        file = _file(config, scheme.tip_url(tip), abs_src_path=tip.abs_path)
        yield TipPage(tip, file, config, converter)


def listing_pages(
    config: MkDocsConfig,
    archive: Archive,
    scheme: UrlScheme,
    per_page: int,
    home: File | None = None,
) -> Iterator[GeneratedPage]:
    """The paged archive, each tag's and each year's pages, and the tag index.

    `home` is docs/index.md if there is one: it becomes the archive's first
    page, its text an introduction above the tips.
    """
    site = config.site_name
    groups: list[tuple[str, str, tuple[Tip, ...], Tag | None, str]] = [
        ("archive", "", archive.tips, None, site)
    ]
    groups += [
        ("tag", scheme.tag_url(slug), tag.tips, tag, tag.name) for slug, tag in archive.tags.items()
    ]
    groups += [
        ("year", scheme.year_url(year), tips, None, str(year))
        for year, tips in archive.years.items()
    ]
    for kind, base, tips, tag, title in groups:
        for page in paginate(tips, per_page):
            page_title = title if page.number == 1 else f"{title} - Page {page.number}"
            url = scheme.paged(base, page.number)
            file = home if (home is not None and url == "") else _file(config, url)
            yield ListingPage(page_title, file, config, kind=kind, base=base, page=page, tag=tag)
    tags_index = TagsIndexPage("Tags", _file(config, scheme.tags), config)
    tags_index.update_date = last_changed(archive.tips) or tags_index.update_date
    yield tags_index


def last_changed(tips: Iterable[Tip]) -> str | None:
    """The sitemap's `lastmod` of a page showing `tips`: the latest date or `updated:`
    among them (not the build's date, which would say every old tip just changed)."""
    moments = [tip.updated or tip.date for tip in tips]
    return max(moments).date().isoformat() if moments else None


def nav_titles(nav: list[Any]) -> dict[str, str]:
    """`{src_uri: title}` for every `Title: path.md` entry of mkdocs.yml's nav, at any depth."""
    titles: dict[str, str] = {}
    for item in nav:
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if isinstance(value, str):
                titles[value] = title
            elif isinstance(value, list):
                titles.update(nav_titles(value))
    return titles


def generated_file(config: MkDocsConfig, path: str, content: bytes) -> File:
    """A file that is not a page (feed, redirect), written by MkDocs like any asset."""
    return File.generated(config, path, content=content)


def stylesheet_file(config: MkDocsConfig) -> File:
    return File.generated(
        config, STYLESHEET, abs_src_path=str(ASSETS_DIR / "tipweek.css")
    )


def add_not_found_page(theme: Any) -> None:
    """Put tipweek's 404.html before the theme's own, after the site's custom_dir (whose
    404.html, if any, still wins)."""
    folder = str(NOT_FOUND_DIR)
    if folder in theme.dirs:
        return
    custom = theme.custom_dir
    at = theme.dirs.index(custom) + 1 if custom and custom in theme.dirs else 0
    theme.dirs.insert(at, folder)


def add_pages(files: Files, pages: Iterator[Page]) -> int:
    count = 0
    for page in pages:
        if page.file.generated_by:  # a page made from a file in docs/ is there already
            files.append(page.file)
        count += 1
    return count
