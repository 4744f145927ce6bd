"""The page cache in a build: which generated pages come from it, and keeping the others.

`tipweek.cache.page_cache` stores and finds HTML by key without knowing
MkDocs; this module computes each page's key from MkDocs' objects (config,
navigation, theme files, the page and its view model), switches found pages to
`tipweek/cached.html`, and stores the template output of the others.  Every
plugin's page events still run for every page (Material's search plugin
indexes a page printed from the cache as any other).

Measured at 2,000 tips (Pagefind search, docs/dev/benchmarks.md run C): without
it the preview is 1.70x slower, a restored CI cache 1.36x (CPU 1.56x), the
rebuild after an edit 1.16x (CPU 1.33x).  `TIPWEEK_WITHOUT=page-cache`
renders every page's template in every build, and keys no page: the forked
workers, if any, render every page ahead (`template_pool`), and a serial build
is MkDocs' own page loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from tipweek.cache.describe import undescribable
from tipweek.cache.inputs import code_digest, plugin_inputs, theme_inputs
from tipweek.cache.page_cache import PageCache, compress_page, decompress_page
from tipweek.cache.page_keys import (
    config_snapshot,
    nav_snapshot,
    page_key,
    pages_snapshot,
    site_fingerprint,
)
from tipweek.mkdocs.generated_pages import CACHED_TEMPLATE
from tipweek.speed import switches
from tipweek.speed.template_pool import Keyed, RenderedAhead, prepare_pages


class PageCacheInBuild:
    """The page cache of one build (kept across `mkdocs serve` rebuilds)."""

    def __init__(self) -> None:
        self.cache: PageCache | None = None
        # By src_uri: the page's key, and whether the cache has it.
        self._keys: dict[str, tuple[str, bool]] = {}
        # Template output the forked workers are sending (compressed), and by src_uri
        # the place of each page they render in it.
        self._ahead: RenderedAhead | None = None
        self._coming: dict[str, int] = {}
        # By src_uri, from `take_stored_html` to `store`: a page rendered ahead, as
        # printed and as compressed (stored as it is unless a plugin changed it).
        self._printing: dict[str, tuple[str, bytes]] = {}
        # By src_uri: the template a page printed from stored HTML would have used.
        self._templates: dict[str, str] = {}
        # The keys of the pages found in the cache, in the order MkDocs prints them,
        # where each is in that list, and the rows read ahead of their pages.
        self._found: list[str] = []
        self._found_at: dict[str, int] = {}
        self._rows: dict[str, bytes] = {}
        # Why the page cache steps aside in this build (an undeclared input), if it does.
        self.off_reason: str | None = None
        self._keeps = True  # False without the page cache: nothing keyed, nothing kept
        self.keyed: frozenset[str] = frozenset()

    def begin(self, path: Path) -> None:
        """Start a build: open the cache."""
        self.off_reason = None
        if self.cache is None or self.cache.path != path:
            self.cache = PageCache(path)
        # Measuring a build without it: no file opened, no page keyed.
        self._keeps = not switches.off("page-cache")
        self.cache.begin(open_file=self._keeps)
        self._keys = {}
        self._stop_workers()
        self._coming = {}
        self._printing = {}
        self._templates = {}
        self._found, self._found_at, self._rows = [], {}, {}

    def prepare(
        self,
        env: Any,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation | None,
        pages: Sequence[Page],
        context_of: Callable[[Page], dict[str, Any]],
    ) -> None:
        """Key every page, find it in the cache, and point found ones at
        `tipweek/cached.html`; on many pages, in forked workers, which also render
        the templates of the pages the cache lacks (`template_pool`).

        `context_of(page)` is what tipweek adds to the page's template context
        (its view model), part of its key.  MkDocs picks a page's template
        (`page.meta["template"]`) before `on_page_context`, so this runs in
        `on_env`, when every page has its content.
        """
        if self.cache is None:
            return
        if not self._keeps:
            self._render_ahead_unkeyed(pages, context_of, env, config, files, nav)
            return
        versions, self.off_reason = plugin_inputs(config.plugins, config.hooks or ())
        if self.off_reason is not None:
            return  # every page is rendered by MkDocs, as without a cache
        # The theme's files as they are now, after every plugin's on_config.
        theme, mentioned = theme_inputs(config.theme.dirs)
        shows_build_time = "build_time" in mentioned
        pages_list = pages_snapshot(files.documentation_pages()) if "pages" in mentioned else None
        root = Path(config.config_file_path or ".").resolve().parent
        whole_config = config_snapshot(config, root)
        if (what := undescribable(whole_config)) is not None:
            self.off_reason = f"mkdocs.yml holds a value tipweek cannot describe ({what})"
            self._search = None
            return
        #: The optional inputs this build's keys hold (the read-recording tests check them).
        self.keyed = mentioned
        site = site_fingerprint(
            code_digest(),
            versions,
            whole_config,
            nav_snapshot(nav.items if nav is not None else []),
            pages_list,
            theme,
        )
        build_time = get_build_datetime().isoformat() if shows_build_time else None

        def key_of(page: Page) -> str:
            when = (page.update_date, build_time) if build_time else None
            key = page_key(site, page, context_of(page), when)
            # A miss until the cache says otherwise: how `take_stored_html` treats a
            # page a worker renders.
            self._keys[page.file.src_uri] = (key, False)
            return key

        cache = self.cache
        prepared = None
        if nav is not None:
            prepared = prepare_pages(
                pages,
                key_of,
                context_of,
                cache.contains,
                env=env,
                config=config,
                files=files,
                nav=nav,
            )
        if prepared is None:  # a few pages, or one core: here, and nothing rendered ahead
            keyed = [Keyed(key_of(page), {}) for page in pages]
        else:
            keyed, self._ahead = prepared
        for index, (page, (key, meta)) in enumerate(zip(pages, keyed, strict=True)):
            src = page.file.src_uri
            page.meta.update(meta)
            found = cache.has(key)
            self._keys[src] = (key, found)
            if found:
                self._found_at[key] = len(self._found)
                self._found.append(key)
            elif self._ahead is not None:
                self._coming[src] = index
            if found or self._ahead is not None:
                # A page the workers fail to render falls back to its own template
                # there, in this process.
                self._print_stored_html(page)

    def _render_ahead_unkeyed(
        self,
        pages: Sequence[Page],
        context_of: Callable[[Page], dict[str, Any]],
        env: Any,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation | None,
    ) -> None:
        """Without the page cache: no keys, and every page rendered ahead by the
        workers, if there are any (else MkDocs renders each, as it does)."""
        self._keys = {page.file.src_uri: ("", False) for page in pages}
        if nav is None:
            return
        prepared = prepare_pages(
            pages,
            lambda page: "",
            context_of,
            lambda key: False,
            env=env,
            config=config,
            files=files,
            nav=nav,
        )
        if prepared is None:
            return
        _keyed, self._ahead = prepared
        for index, page in enumerate(pages):
            self._coming[page.file.src_uri] = index
            self._print_stored_html(page)

    def take_stored_html(self, page: Page, context: dict[str, Any]) -> None:
        """`on_page_context`, before tipweek's view is added: a page found in the cache,
        or rendered ahead by a worker, gets its stored HTML to print."""
        src = page.file.src_uri
        stored: str | None = None
        coming = self._coming.pop(src, None)
        ahead = self._ahead.take(coming) if coming is not None and self._ahead else None
        if ahead is not None:
            stored = decompress_page(ahead)
            self._printing[src] = (stored, ahead)
        else:
            found = self._keys.get(src)
            if found is not None and found[1] and self.cache is not None:
                stored = self.cache.unpack(self._row(found[0]))
                if stored is None:  # unreadable after all: cached.html renders the page
                    self._keys[src] = (found[0], False)
        if stored is not None:
            context["tipweek_cached_html"] = stored
        if src in self._templates:
            context["tipweek_template"] = self._templates[src]

    def _row(self, key: str) -> bytes | None:
        """The stored row of a found page; read with the found pages that follow it."""
        row = self._rows.pop(key, None)
        if row is None and self.cache is not None:
            at = self._found_at.get(key)
            keys = [key] if at is None else self._found[at : at + _READ_AHEAD]
            self._rows = self.cache.read_many(keys)
            row = self._rows.pop(key, None)
        return row

    def _print_stored_html(self, page: Page) -> None:
        """Have MkDocs print the page's stored HTML (`tipweek/cached.html`) instead of
        rendering its template, which `cached.html` falls back to if the HTML cannot
        be read after all."""
        self._templates[page.file.src_uri] = page.meta.get("template", "main.html")
        page.meta = {**page.meta, "template": CACHED_TEMPLATE}

    def store(self, page: Page, output_html: str) -> None:
        """In the first `on_post_page` handler: keep a rendered page's template output."""
        src = page.file.src_uri
        found = self._keys.get(src)
        printing = self._printing.pop(src, None)
        if found is not None and not found[1] and self.cache is not None and self._keeps:
            unchanged = printing is not None and printing[0] == output_html
            compressed = printing[1] if unchanged else compress_page(output_html)
            self.cache.store(found[0], compressed)

    def finish_build(self) -> tuple[int, int]:
        """Commit this build's pages; (rendered, from the cache)."""
        self._stop_workers()
        rendered = sum(not found for _key, found in self._keys.values())
        if self.cache is not None:
            self.cache.prune()
        return rendered, len(self._keys) - rendered

    def abandon(self) -> None:
        self._stop_workers()
        if self.cache is not None:
            self.cache.finish()

    def _stop_workers(self) -> None:
        """End the template workers (done by now, unless the build failed)."""
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None


#: Found pages read in one query (`_row`): a few megabytes of compressed HTML.
_READ_AHEAD = 200
