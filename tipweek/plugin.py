"""The MkDocs plugin: thin event handlers around the pure core.

on_config      add the templates, reset per-build state
on_pre_build   load and validate every tip; then, last, set tipweek's folders of
               site_dir aside before MkDocs empties it (page_writes.py)
on_files       add tip pages, listing pages, redirects, feeds and the stylesheet;
               then, last, bring back the set-aside folders
on_page_content make a tip's `/site/paths` relative to its page
on_env         fill in the feeds, now that every tip is rendered; look up the page cache
on_page_context hand each generated page its view (or its cached HTML)
on_post_page   keep each newly rendered page in the page cache; add feed
               autodiscovery links to every page; last, hand tipweek's pages to
               the background writer
on_post_build  first, wait for the writer; save the render cache and the page
               cache (.cache/tipweek/)
on_serve       watch tips/ and the side files
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from tipweek import output, teardown
from tipweek.archive import Archive, select_tips
from tipweek.cache import CACHE_DIR, CACHE_FILE, RenderCache, template_bytecode_cache
from tipweek.config import TipweekConfig
from tipweek.dates import DateError, build_now, site_timezone
from tipweek.forking import InBackground, pool_size
from tipweek.markup import make_excerpt, root_paths_to_relative
from tipweek.page_cache import pages_file
from tipweek.page_reuse import PageReuse
from tipweek.page_writes import SUPPORTED as PAGE_WRITES_SUPPORTED
from tipweek.page_writes import PageWrites
from tipweek.pagefind_search import (
    PAGEFIND_THEME_DIR,
    PagefindSearch,
    search_files,
    set_up,
    site_language,
)
from tipweek.pages import (
    TEMPLATES_DIR,
    GeneratedPage,
    ListingPage,
    TagsIndexPage,
    TipPage,
    add_pages,
    docs_page_urls,
    generated_file,
    listing_pages,
    nav_titles,
    src_uri,
    stylesheet_file,
    tip_pages,
)
from tipweek.project import Project, load_project, queue_start
from tipweek.rendering import TipRenderer, kept_extra, settings_fingerprint
from tipweek.search_records import search_records
from tipweek.site_output import OUTPUT_DIR
from tipweek.tips import Tip
from tipweek.urls import UrlScheme
from tipweek.views import Link, Views, ViewSettings
from tipweek.wording import count

log = get_plugin_logger(__name__)


class TipweekPlugin(BasePlugin[TipweekConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        # Kept across `mkdocs serve` rebuilds, so a rebuild does not re-read it from disk.
        self.render_cache: RenderCache | None = None
        self.page_reuse = PageReuse()
        self.page_writes: PageWrites | None = None
        self._reset()

    def _reset(self) -> None:
        if getattr(self, "pagefind", None) is not None:
            self.pagefind.abandon()  # a serve rebuild after a failed one
        self.project = Project()
        self.archive = Archive([])
        self.scheme = UrlScheme()
        self.views: Views | None = None
        self.tip_pages: dict[str, TipPage] = {}
        self.renderer: TipRenderer | None = None
        self.generated_pages: list[Page] = []
        self.nav: Navigation | None = None
        # By src_uri: what tipweek adds to the page's template context.
        self._page_contexts: dict[str, dict[str, Any]] = {}
        self.feed_files: dict[str, File] = {}
        self.owned_files: list[File] = []
        self.site_url = ""
        self._excerpts: dict[str, str] = {}
        self.pagefind: PagefindSearch | None = None  # with `search: pagefind`

    # `on_startup` only learns whether this is `serve`; it also keeps the plugin
    # alive across serve rebuilds, which is why all state is reset in on_config.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        teardown.release()
        self.command = command
        self.dirty = dirty

    def on_shutdown(self) -> None:
        teardown.keep_until_exit()  # the process is about to exit: skip freeing the site

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self._reset()
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES_DIR))
        if self.config.search == "pagefind" and set_up(config, PAGEFIND_THEME_DIR):
            log.info("search: pagefind replaces the search plugin, which can leave `plugins:`")
        urls = self.config.urls
        self.scheme = UrlScheme(
            tip=urls.tip, page=urls.page, tags=urls.tags, year=urls.year, feed=urls.feed
        )
        for name in ("tip", "page", "tags", "year"):
            if not getattr(urls, name).endswith("/"):
                raise PluginError(f"tipweek: urls.{name} must end with '/' (a directory URL)")
        if self.config.per_page < 1:
            raise PluginError("tipweek: per_page must be at least 1")
        try:
            self.tz = site_timezone(self.config.timezone)
        except DateError as error:
            raise PluginError(f"tipweek: timezone: {error}") from error
        self.root = Path(config.config_file_path or ".").resolve().parent
        cache_path = self.root / CACHE_DIR / CACHE_FILE
        cache = self.render_cache
        if cache is None or cache.path != cache_path or not cache.matches_disk():
            self.render_cache = RenderCache.load(cache_path)
        self.render_cache.begin()
        # `serve` pages differ from `build` ones (site_url, drafts): one file each,
        # so switching between the two does not throw the other's pages away.
        self.page_reuse.begin(pages_file(self.root / CACHE_DIR, self.command), config.theme.dirs)
        site_dir = Path(config.site_dir)
        if not (self.config.reuse_output and PAGE_WRITES_SUPPORTED):
            self.page_writes = None
        elif self.page_writes is None or self.page_writes.output.site_dir != site_dir:
            self.page_writes = PageWrites(site_dir, self.root / CACHE_DIR / OUTPUT_DIR)
        return config

    @property
    def previewing(self) -> bool:
        return self.command == "serve" and self.config.preview_drafts

    def _load_tips(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        try:
            now = build_now(self.tz)
        except DateError as error:
            raise PluginError(f"tipweek: {error}") from error
        self.project = load_project(
            self.root,
            self.config.tips_dir,
            self.tz,
            authors_file=self.config.authors_file,
            tags_file=self.config.tags_file,
            strict_tags=self.config.strict_tags,
            scheme=self.scheme,
            per_page=self.config.per_page,
            page_urls=docs_page_urls(config),
            queue_from=queue_start(now),
            publish_weekday=self.config.publish_weekday,
        )
        for problem in self.project.warnings:
            # Editorial advice (tag spellings, the publication weekday) is for
            # `tipweek check`; it must not fail `mkdocs build --strict`.
            (log.info if problem.editorial else log.warning)(str(problem))
        if self.project.errors:
            for problem in self.project.errors:
                log.error(str(problem))
            raise PluginError(
                f"tipweek: {count(len(self.project.errors), 'problem')} in {self.config.tips_dir}/ "
                "(listed above); nothing was built and the previous site is untouched"
            )
        shown = select_tips(
            self.project.tips, now, drafts=self.previewing, scheduled=self.previewing
        )
        tag_titles = {slug: info.title for slug, info in self.project.tag_info.items()}
        self.archive = Archive(shown, tag_titles)
        self.views = Views(
            self.archive,
            ViewSettings(
                site_name=config.site_name,
                scheme=self.scheme,
                date_format=self.config.date_format,
                now=now,
                pager_edge=self.config.pager.edge,
                pager_around=self.config.pager.around,
                call_to_action=[Link(c.title, c.url) for c in self.config.call_to_action],
                authors=self.project.authors,
                directory_urls=config.use_directory_urls,
            ),
            self._excerpt,
        )
        if self.config.search == "pagefind":
            records = search_records(
                self.archive,
                self.scheme,
                now,
                date_format=self.config.date_format,
                link=self.views.link,
            )
            self.pagefind = PagefindSearch(
                records,
                site_language(config),
                Path(config.site_dir),
                directory_urls=config.use_directory_urls,
            )

    @event_priority(-100)  # last: MkDocs empties site_dir right after on_pre_build
    def _set_aside_output(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.page_writes is not None:
            self.page_writes.before_clean(dirty=self.dirty)

    on_pre_build = CombinedEvent(_load_tips, _set_aside_output)

    def _add_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        # docs/index.md, if any, is the home page's introduction, above the newest tips.
        home = files.get_file_from_path(src_uri(self.scheme.paged("", 1)))
        renderer = TipRenderer(
            config,
            settings_fingerprint(config, self.config),
            self.render_cache,
            extra=self._excerpt_entry,
        )
        self.renderer = renderer
        tips = list(tip_pages(config, self.archive, self.scheme, renderer))
        self.tip_pages = {page.tip.source: page for page in tips}
        listings = list(
            listing_pages(config, self.archive, self.scheme, self.config.per_page, home)
        )
        self.generated_pages = [*tips, *listings]
        add_pages(files, iter(tips))
        add_pages(files, iter(listings))
        stylesheet = stylesheet_file(config)
        files.append(stylesheet)
        search_assets = search_files(config) if self.pagefind is not None else []
        for file in search_assets:
            files.append(file)
        site_url = self.site_url = _site_url(config)
        redirects = [
            generated_file(config, path, data)
            for path, data in output.redirect_documents(self.archive, self.scheme, site_url).items()
        ]
        for file in redirects:
            files.append(file)
        # Feeds are registered now, so links to them validate, and filled in
        # on_env, once every tip has been rendered.
        self.feed_files = {url: generated_file(config, url, b"") for url in self._feed_urls()}
        for file in self.feed_files.values():
            files.append(file)
        self.owned_files = [
            *(page.file for page in self.generated_pages),
            stylesheet,
            *search_assets,
            *redirects,
            *self.feed_files.values(),
        ]
        return files

    @event_priority(-100)  # last: other plugins' files decide which folders stay tipweek's
    def _restore_output(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.config.enabled and self.page_writes is not None:
            self.page_writes.after_clean(files, self.owned_files)
        return files

    on_files = CombinedEvent(_add_files, _restore_output)

    def _feed_urls(self) -> list[str]:
        return [self.scheme.feed_url()] + [
            self.scheme.feed_url(self.scheme.tag_url(slug)) for slug in self.archive.tags
        ]

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if isinstance(page, TipPage) and '="/' in html:
            return root_paths_to_relative(html, page.url)
        return html

    def _apply_nav_titles(
        self, nav: Navigation, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        # MkDocs keeps a page's own title when a plugin made the page, so apply
        # the titles mkdocs.yml gives our pages in `nav:` ("Latest tips: index.md").
        titles = nav_titles(config.nav or [])
        for page in nav.pages:
            if isinstance(page, GeneratedPage) and page.file.src_uri in titles:
                page.title = titles[page.file.src_uri]
        return nav

    @event_priority(-100)  # after every other plugin changed the nav: the page cache's key
    def _keep_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self.nav = nav
        # The last event before MkDocs renders the first page: the files are final.
        if self.renderer is not None:
            self.renderer.prerender(list(self.tip_pages.values()), files)

    on_nav = CombinedEvent(_apply_nav_titles, _keep_nav)

    def _excerpt(self, tip: Tip) -> str:
        """The tip's excerpt from its rendered HTML, computed once per build, or
        kept in the render cache with the HTML."""
        excerpt = self._excerpts.get(tip.source)
        if excerpt is None:
            page = self.tip_pages[tip.source]
            kept = kept_extra(page)
            if isinstance(kept, list) and len(kept) == 2 and kept[0] == tip.summary:
                excerpt = str(kept[1])
            else:
                excerpt = self._excerpt_entry(page)[1]
            self._excerpts[tip.source] = excerpt
        return excerpt

    def _excerpt_entry(self, page: Page) -> list[str | None]:
        """A tip page's excerpt, and the summary it depends on besides the HTML (the
        render cache's key covers the Markdown body and `excerpt_words`, not the
        front matter)."""
        assert isinstance(page, TipPage)
        summary = page.tip.summary
        return [summary, make_excerpt(page.content or "", summary, self.config.excerpt_words)]

    def _add_view(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        context.update(self._page_contexts.get(page.file.src_uri, {}))
        return context

    @event_priority(50)  # before the search plugin (see page_reuse.py)
    def _before_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        self.page_reuse.before_search(page, context)
        return context

    @event_priority(-50)  # after the search plugin
    def _after_search(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        self.page_reuse.after_search(page)
        return context

    on_page_context = CombinedEvent(_before_search, _add_view, _after_search)

    def _template_context(self, page: Page) -> dict[str, Any]:
        """What tipweek adds to a generated page's template context: its view model."""
        context: dict[str, Any] = {}
        if self.views is None:
            return context
        if isinstance(page, TipPage):
            context["tipweek"] = self.views.tip(page.tip)
            if self.pagefind is not None:
                context["tipweek_search"] = self.pagefind.records.get(page.tip.source)
        elif isinstance(page, ListingPage):
            description = ""
            if page.tag is not None and page.tag.slug in self.project.tag_info:
                description = self.project.tag_info[page.tag.slug].description
            context["tipweek"] = self.views.listing(
                page.kind, page.base, page.page_of_tips, page.tag, description
            )
            if page.kind == "archive" and page.page_of_tips.number == 1:
                context["tipweek_redirects"] = output.query_redirects(self.archive, self.scheme)
        elif isinstance(page, TagsIndexPage):
            context["tipweek"] = self.views.tags_index()
        if "tipweek" in context:
            context["tipweek_read_more"] = self.config.read_more
        return context

    @event_priority(100)  # first: the template's output, before any plugin changes it
    def _store_rendered_page(
        self, output_html: str, *, page: Page, config: MkDocsConfig
    ) -> str | None:
        self.page_reuse.store(page, output_html)
        return output_html

    def _add_feed_links(self, output_html: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output_html
        feeds = [(config.site_name, self.scheme.feed_url())]
        if isinstance(page, ListingPage) and page.tag is not None:
            tag_feed = self.scheme.feed_url(self.scheme.tag_url(page.tag.slug))
            feeds.append((f"{config.site_name}: {page.tag.name}", tag_feed))
        links = [(title, get_relative_url(url, page.url)) for title, url in feeds]
        return output.insert_feed_links(output_html, links)

    def _keep_for_search(self, output_html: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.pagefind is not None and isinstance(page, TipPage):
            self.pagefind.take(page.tip.source, output_html)
        return output_html

    @event_priority(-1000)  # the very last: what it hands over is what ends up on disk
    def _write_page(self, output_html: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.page_writes is not None and isinstance(page, (TipPage, GeneratedPage)):
            self.page_writes.take(page, output_html)
        return output_html

    on_post_page = CombinedEvent(
        _store_rendered_page, _add_feed_links, _keep_for_search, _write_page
    )

    @event_priority(-100)  # after other plugins' on_env: nothing may change once pages are keyed
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled:
            return env
        if env.bytecode_cache is None:
            env.bytecode_cache = template_bytecode_cache(self.root / CACHE_DIR / "jinja")
        rendered = {source: page.content or "" for source, page in self.tip_pages.items()}
        # The feeds are built in a forked child while this process computes every
        # page's view and cache key; they need nothing from each other.
        feeds = InBackground(
            lambda: output.feed_documents(
                self.archive,
                self.scheme,
                rendered,
                self._excerpt,
                site_url=self.site_url,  # checked (and warned about) once, in on_files
                site_name=config.site_name,
                description=self.config.feed_description or config.site_description or "",
                language=config.theme.get("language"),
                authors=self.project.authors,
                tag_info=self.project.tag_info,
                limit=self.config.feed_items,
            ),
            fork=pool_size(len(self.archive.tips)) > 0,
        )
        self._look_up_pages(config)
        for url, data in feeds.result().items():
            self.feed_files[url].content_bytes = data
        self.page_reuse.render_missing_ahead(
            env, config, files, self.nav, self.generated_pages, self._page_contexts
        )
        return env

    def _look_up_pages(self, config: MkDocsConfig) -> None:
        """Give each generated page its view, then look it up in the page cache."""
        for page in self.generated_pages:
            self._page_contexts[page.file.src_uri] = self._template_context(page)
        self.page_reuse.look_up(config, self.nav, self.generated_pages, self._page_contexts)

    @event_priority(100)  # first: other plugins' on_post_build may read the pages
    def _finish_output(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.page_writes is None:
            return
        try:
            done = self.page_writes.finish()
        except OSError as error:
            raise PluginError(f"tipweek: {error}") from error
        log.info(
            f"{count(done.written, 'page')} written, {done.unchanged} unchanged in "
            f"{config.site_dir}, {count(done.removed, 'stale file')} removed"
        )

    def _save_caches(self, *, config: MkDocsConfig) -> None:
        cache = self.render_cache
        if not self.config.enabled or cache is None:
            return
        log.info(f"{count(cache.misses, 'tip')} rendered, {cache.hits} from the render cache")
        rendered, cached = self.page_reuse.finish_build()
        log.info(f"{count(rendered, 'page')} rendered, {cached} from the page cache")
        try:
            cache.save()
        except OSError as error:
            # The site is complete and correct; only the next build will be slower.
            log.info(f"could not save the render cache {cache.path}: {error}")

    def _write_search_index(self, *, config: MkDocsConfig) -> None:
        # After _finish_output: the index swaps in once every page is on disk.
        if self.config.enabled and self.pagefind is not None:
            search = self.pagefind
            indexed = search.write()
            log.info(
                f"{count(indexed, 'tip')} indexed for search in {search.seconds:.2f} s "
                f"({search.writing_seconds:.2f} s writing pages for Pagefind, "
                f"{search.waited_seconds:.2f} s waiting for it; "
                f"Pagefind ran {search.pagefind_seconds:.2f} s)"
            )

    on_post_build = CombinedEvent(_finish_output, _save_caches, _write_search_index)

    def on_build_error(self, *, error: Exception) -> None:
        self.page_reuse.abandon()  # commits nothing
        if self.pagefind is not None:
            self.pagefind.abandon()
        # No writer may outlive a failed build.
        if self.page_writes is not None:
            self.page_writes.abandon()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled:
            for relative in (self.config.tips_dir, self.config.authors_file, self.config.tags_file):
                path = self.root / relative
                if path.exists():
                    server.watch(str(path))
        return server


def _site_url(config: MkDocsConfig) -> str:
    """The absolute base URL feeds and canonical links need."""
    url = config.site_url or ""
    if not url:
        log.warning(
            "site_url is not set in mkdocs.yml; feeds need absolute links, "
            "so they point at http://localhost:8000/ until you set it"
        )
        url = "http://localhost:8000/"
    return url if url.endswith("/") else url + "/"
