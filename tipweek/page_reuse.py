"""MkDocs side of the page cache: which generated pages come from it, and keeping the others.

`page_cache.py` stores and finds HTML by key without knowing MkDocs; this
module computes each page's key from MkDocs' objects (config, navigation,
theme files, the page and its view model), switches found pages to
`tipweek/cached.html`, and stores the template output of the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

import tipweek
from tipweek.page_cache import (
    PageCache,
    config_snapshot,
    nav_snapshot,
    page_key,
    site_fingerprint,
    theme_stamp,
)
from tipweek.pages import CACHED_TEMPLATE
from tipweek.template_pool import decompress, render_ahead


class PageReuse:
    """The page cache of one build (kept across `mkdocs serve` rebuilds)."""

    def __init__(self) -> None:
        self.cache: PageCache | None = None
        # By src_uri: the page's key, and whether the cache has it.
        self._keys: dict[str, tuple[str, bool]] = {}
        # By src_uri: template output rendered ahead by forked workers (compressed).
        self._ahead: dict[str, bytes] = {}

    def begin(self, path: Path) -> None:
        if self.cache is None or self.cache.path != path:
            self.cache = PageCache(path)
        self.cache.begin()
        self._keys = {}
        self._ahead = {}

    def look_up(
        self,
        config: MkDocsConfig,
        nav: Navigation | None,
        pages: Iterable[Page],
        contexts: dict[str, dict[str, Any]],
    ) -> None:
        """Key every page; point found ones at `tipweek/cached.html`.

        `contexts` (by src_uri) is what tipweek adds to each page's template
        context; a found page's entry learns the template it would have used.
        MkDocs picks a page's template (`page.meta["template"]`) before
        `on_page_context`, so this runs in `on_env`, when every page has its
        content.
        """
        if self.cache is None:
            return
        theme, shows_build_time = theme_stamp(config.theme.dirs)
        site = site_fingerprint(
            tipweek.__version__,
            mkdocs.__version__,
            _package_stamp(),
            config_snapshot(config),
            nav_snapshot(nav.items if nav is not None else []),
            theme,
        )
        build_time = get_build_datetime().isoformat() if shows_build_time else None
        for page in pages:
            src = page.file.src_uri
            when = (page.update_date, build_time) if build_time else None
            key = page_key(site, page, contexts[src], when)
            found = self.cache.has(key)
            self._keys[src] = (key, found)
            if found:
                _print_stored_html(page, contexts[src])

    def render_missing_ahead(
        self,
        env: Any,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation | None,
        pages: Iterable[Page],
        contexts: dict[str, dict[str, Any]],
    ) -> None:
        """After `look_up`: render the pages the cache lacks in forked workers (on a
        cold build of many pages, see `template_pool`); MkDocs then prints them like
        hits.  They still count, and are stored, as rendered in this build."""
        if self.cache is None or nav is None:
            return
        missing = [
            (page, self._keys[page.file.src_uri][0])
            for page in pages
            if not self._keys[page.file.src_uri][1]
        ]
        rendered = render_ahead(missing, env=env, config=config, files=files, nav=nav)
        for page, key in missing:
            if key in rendered:
                self._ahead[page.file.src_uri] = rendered[key]
                _print_stored_html(page, contexts[page.file.src_uri])

    def add_cached_html(self, page: Page, context: dict[str, Any]) -> None:
        """In `on_page_context`: a found page gets its stored HTML."""
        ahead = self._ahead.pop(page.file.src_uri, None)
        if ahead is not None:
            context["tipweek_cached_html"] = decompress(ahead)
            return
        found = self._keys.get(page.file.src_uri)
        if found is None or not found[1] or self.cache is None:
            return
        cached = self.cache.read(found[0])
        context["tipweek_cached_html"] = cached
        if cached is None:  # unreadable after all: cached.html renders the page itself
            self._keys[page.file.src_uri] = (found[0], False)

    def store(self, page: Page, output_html: str) -> None:
        """In the first `on_post_page` handler: keep a rendered page's template output."""
        found = self._keys.get(page.file.src_uri)
        if found is not None and not found[1] and self.cache is not None:
            self.cache.store(found[0], output_html)

    def finish_build(self) -> tuple[int, int]:
        """Commit this build's pages; (rendered, from the cache)."""
        rendered = sum(not found for _key, found in self._keys.values())
        if self.cache is not None:
            self.cache.prune()
        return rendered, len(self._keys) - rendered

    def abandon(self) -> None:
        if self.cache is not None:
            self.cache.finish()


def _print_stored_html(page: Page, context: dict[str, Any]) -> None:
    """Have MkDocs print the page's stored HTML (`tipweek/cached.html`) instead of
    rendering its template; `context` learns the template it would have used."""
    context["tipweek_template"] = page.meta.get("template", "main.html")
    page.meta = {**page.meta, "template": CACHED_TEMPLATE}


def _package_stamp() -> list[tuple[str, int, int]]:
    """tipweek's own modules by name, size and mtime: a development checkout changes
    how pages are assembled without bumping the version."""
    stamps = []
    for path in sorted(Path(tipweek.__file__).parent.glob("*.py")):
        stat = path.stat()
        stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
    return stamps
