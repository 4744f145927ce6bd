"""The MkDocs plugin: thin event handlers around the pure core, in one table.

event            priority  what tipweek does
on_startup                 learn the command (`serve` previews drafts; SIGTERM then stops
                           it as Ctrl-C does, so that it cleans up)
on_config        0         reset per-build state (and free the last build's objects), add
                           the templates; refuse a site_dir that would delete sources;
                           take the project's build lock, open the caches; build into a
                           staging folder beside site_dir (publishing.py), or
                           under `mkdocs serve` into the preview folder in place
on_pre_build     0         load and validate every tip: any error stops the build here
on_files         100, 0    under `mkdocs serve`, point MkDocs' files at the preview folder;
                           add tip pages, listings, redirects, feeds, email editions, the
                           stylesheet, robots.txt (unless docs/ or the theme has one)
on_nav           0, -100   nav titles of generated pages (and no nav neighbours: their
                           rel=prev/next are the pager's); then, last, keep the final nav
                           and convert the tips the Markdown cache lacks
                           (speed/markdown_pool.py)
on_page_markdown 0         date the pages of docs/ for the sitemap (crawlers.py), not
                           with the build day
on_page_content  0         make a tip's `/site/paths` relative to its page
on_env           -100      last: fill in the feeds and email editions; key every page and
                           render those the page cache lacks ahead (speed/template_pool.py)
on_page_context  50, 0    a page from the page cache gets its stored HTML (speed/page_cache.py);
                           the others their view
on_post_page     100, 0    first keep the template's output in the page cache; add
                           feed autodiscovery links
on_template_context        the 404 page's newest tips (templates_404/404.html)
on_post_template           under `mkdocs serve`, the 404 page lists the tips' problems
                           and reloads itself once they are fixed (preview_problems.py)
on_post_build    0, -1000  save the caches; write (or, under `mkdocs serve`, start) the
                           search index; last of all, swap the staged site in whole (or
                           delete what a preview no longer has), release the lock, set
                           the build's objects aside (speed/freeze_at_exit.py)
on_build_error             discard the staged site: site_dir keeps the previous one; a
                           file-system error becomes one line; release the lock
on_serve                   watch tips/ (folder_watch.py: also after it is moved away and
                           back) and the side files
on_shutdown                end of a preview: delete what it put in the temp folder
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tipweek.cache.markdown_cache import CACHE_DIR, CACHE_FILE, MarkdownCache
from tipweek.cache.page_cache import pages_file
from tipweek.core import documents
from tipweek.core.archive import Archive, select_tips
from tipweek.core.comments import CommentsError, CommentSettings, comment_settings
from tipweek.core.crawlers import content_date, git_dates
from tipweek.core.dates import DateError, build_now, site_timezone
from tipweek.core.lenient_html import escape_bogus_sections
from tipweek.core.markup import root_paths_to_relative
from tipweek.core.project import Project
from tipweek.core.search_records import search_records
from tipweek.core.site_dir import os_error_message, site_dir_problem, source_folders
from tipweek.core.tip_text import TipText
from tipweek.core.tips import ParsedTips, Reading, Tip
from tipweek.core.urls import UrlScheme
from tipweek.core.views import Views
from tipweek.core.wording import count
from tipweek.mkdocs.config import TipweekConfig
from tipweek.mkdocs.core_settings import read_project, site_url, view_settings
from tipweek.mkdocs.folder_watch import SIGNAL_DIR, FolderGuard
from tipweek.mkdocs.generated_pages import (
    TEMPLATES_DIR,
    GeneratedPage,
    TipPage,
    add_not_found_page,
    add_pages,
    listing_pages,
    nav_titles,
    src_uri,
    stylesheet_file,
    tip_pages,
)
from tipweek.mkdocs.markdown_conversion import TipConverter, settings_fingerprint
from tipweek.mkdocs.page_contexts import PageContexts
from tipweek.mkdocs.pagefind_search import (
    PAGEFIND_THEME_DIR,
    PagefindSearch,
    search_files,
    set_up,
    site_language,
)
from tipweek.mkdocs.preview_problems import banner, insert_after_body, reload_script
from tipweek.mkdocs.publishing import Publisher
from tipweek.mkdocs.site_documents import SiteDocuments
from tipweek.mkdocs.tip_texts import TipTexts
from tipweek.speed import freeze_at_exit, markdown_pool, quick_front_matter, switches
from tipweek.speed.email_editions import EmailEditions, editions_file
from tipweek.speed.page_cache import PageCacheInBuild
from tipweek.system import processes

if TYPE_CHECKING:  # only `mkdocs serve` loads the server (and http.server): 25 ms a build
    from mkdocs.livereload import LiveReloadServer

    from tipweek.speed.preview_writes import PreviewWrites

log = get_plugin_logger(__name__)

# How many of the newest tips the 404 page offers.
NEWEST_ON_NOT_FOUND = 5


class TipweekPlugin(BasePlugin[TipweekConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        # Kept across `mkdocs serve` rebuilds, so a rebuild does not re-read it from disk.
        self.markdown_cache: MarkdownCache | None = None
        self.page_cache = PageCacheInBuild()
        self.parsed_tips = ParsedTips()
        self.email_editions = EmailEditions()
        # Where each build writes, and when that becomes the site (publishing.py).
        self.publisher = Publisher()
        self.preview_writes: PreviewWrites | None = None  # under `mkdocs serve`
        self.folder_guard: FolderGuard | None = None
        # Under `mkdocs serve`: SIGTERM stops it as Ctrl-C does, so that it cleans up.
        self.serving = False
        self._sigterm_before: object | None = None
        self._reset()

    def _reset(self) -> None:
        if getattr(self, "pagefind", None) is not None:
            # A preview's index still being made: stopped, and left to clean up by itself.
            self.pagefind.abandon(wait=False)
        self.comments: CommentSettings | None = None
        self.project = Project()
        self.archive = Archive([])
        self.scheme = UrlScheme()
        self.views: Views | None = None
        self.tip_pages: dict[str, TipPage] = {}
        self.converter: TipConverter | None = None
        self.generated_pages: list[Page] = []
        self.nav: Navigation | None = None
        # By src_uri: what tipweek adds to the page's template context.
        self.contexts: PageContexts | None = None
        self.documents: SiteDocuments | None = None  # redirects, feeds, email editions
        self.texts: TipTexts | None = None
        # Under `mkdocs serve`: the errors shown on every page (preview_problems.py).
        self.preview_problems: list[str] = []
        self.pagefind: PagefindSearch | None = None  # with `search: pagefind`
        self._git_dates: dict[str, str] | None = None  # docs/ files' last commits, by src_uri
        self._outputs: list[str] = []  # where this build's files go

    # `on_startup` only learns whether this is `serve`; it also keeps the plugin
    # alive across serve rebuilds, which is why all state is reset in on_config.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        freeze_at_exit.release()
        self.command = command
        if command == "serve":
            self._start_serving()

    def _start_serving(self) -> None:
        if not self.serving:
            self.serving = True
            self._sigterm_before = processes.install_sigterm_as_ctrl_c()

    def on_shutdown(self) -> None:
        if self.folder_guard is not None:
            self.folder_guard.stop()
        if getattr(self, "pagefind", None) is not None:
            self.pagefind.abandon()  # a preview's index still being made
        self.publisher.shut_down(serving=self.serving)
        if self.serving:
            processes.restore_sigterm(self._sigterm_before)
            self.serving = False
        freeze_at_exit.keep_until_exit()  # the process is about to exit: skip freeing the site

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        unknown_switch = switches.problem()
        if unknown_switch:
            raise PluginError(f"tipweek: {unknown_switch}")
        self._reset()
        freeze_at_exit.release()  # the last build of this process, if it set it aside
        if str(TEMPLATES_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(TEMPLATES_DIR))
        add_not_found_page(config.theme)
        if self.config.search == "pagefind" and set_up(config, PAGEFIND_THEME_DIR):
            log.info("search: pagefind replaces the search plugin, which can leave `plugins:`")
        # Every option was validated by the schema (config.py): nothing to re-check here.
        self.scheme = UrlScheme(**self.config.urls)
        self.tz = site_timezone(self.config.timezone)
        try:
            self.comments = comment_settings(
                self.config.comments,
                email=self.config.comments_email,
                giscus=dict(self.config.giscus),
            )
        except CommentsError as error:
            raise PluginError(f"tipweek: {error}") from error
        self.root = Path(config.config_file_path or ".").resolve().parent
        # Before anything is opened or written: MkDocs empties site_dir.
        problem = site_dir_problem(Path(config.site_dir), self._source_folders(config))
        if problem:
            raise PluginError(f"tipweek: {problem}; nothing was built")
        # The project's lock first: another build of it may be writing the caches.
        self.publisher.lock_project(self.root / CACHE_DIR)
        self._open_caches()
        self.publisher.begin(config, preview=self._preview_folder(config), serving=self.serving)
        return config

    def _preview_folder(self, config: MkDocsConfig) -> PreviewWrites | None:
        """Under `mkdocs serve`, the preview folder, written in place and kept across
        rebuilds (`speed/preview_writes.py`); None stages the site like a build."""
        if self.command != "serve" or switches.off("preview-writes"):
            return None
        from tipweek.speed.preview_writes import PreviewWrites

        live = Path(config.site_dir).resolve()
        if self.preview_writes is None or self.preview_writes.live != live:
            self.preview_writes = PreviewWrites(live)
        return self.preview_writes

    def _open_caches(self) -> None:
        cache_path = self.root / CACHE_DIR / CACHE_FILE
        cache = self.markdown_cache
        if switches.off("markdown-cache"):  # measuring a build without it: nothing read
            self.markdown_cache = MarkdownCache(cache_path)
        elif cache is None or cache.path != cache_path or not cache.matches_disk():
            self.markdown_cache = MarkdownCache.load(cache_path)
        self.markdown_cache.begin()
        # `serve` pages differ from `build` ones (site_url, drafts): one file each,
        # so switching between the two does not throw the other's pages away.
        self.page_cache.begin(pages_file(self.root / CACHE_DIR, self.command))
        if not switches.off("email-cache"):
            self.email_editions.begin(editions_file(self.root / CACHE_DIR, self.command))

    def _source_folders(self, config: MkDocsConfig) -> dict[str, Path]:
        custom_dir = config.theme.custom_dir
        return source_folders(
            self.root,
            self.root / self.config.tips_dir,
            Path(config.docs_dir),
            Path(custom_dir) if custom_dir else None,
        )

    @property
    def _parses_changed_tips_only(self) -> bool:
        return self.command == "serve" and not switches.off("parsed-tips")

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
        self.project = read_project(
            config,
            self.config,
            self.root,
            tz=self.tz,
            now=now,
            scheme=self.scheme,
            # A preview rebuild parses only the tips a save changed.
            reading=Reading(
                parsed=self.parsed_tips if self._parses_changed_tips_only else None,
                quick_front_matter=quick_front_matter.chosen(),
            ),
        )
        self._report_problems()
        shown = select_tips(
            self.project.tips, now, drafts=self.previewing, scheduled=self.previewing
        )
        tag_info = self.project.tag_info
        self.archive = Archive(shown, {slug: info.title for slug, info in tag_info.items()})
        settings = view_settings(
            config, self.config, self.project, scheme=self.scheme, now=now, comments=self.comments
        )
        self.views = Views(self.archive, settings, self._text)
        if self.config.search == "pagefind":
            records = search_records(
                self.archive,
                self.scheme,
                now,
                date_format=self.config.date_format,
                link=self.views.link,
            )
            publisher = self.publisher
            self.pagefind = PagefindSearch(
                records,
                site_language(config),
                publisher.output_folder(config),
                directory_urls=config.use_directory_urls,
                # The preview's pages do not wait for their search index.
                background=publisher.in_place and not switches.off("search-later"),
            )
        self.contexts = PageContexts(
            self.views,
            self.archive,
            self.scheme,
            site_name=config.site_name,
            read_more=self.config.read_more,
            tag_description=lambda slug: tag_info[slug].description if slug in tag_info else "",
            search_records=self.pagefind.records if self.pagefind is not None else None,
        )

    on_pre_build = _load_tips

    def _report_problems(self) -> None:
        """Log the project's problems; any error stops the build, except a preview's,
        which goes on without the broken tips and lists the problems on every page."""
        for problem in self.project.warnings:
            # Editorial advice (tag spellings, the publication weekday) is for
            # `tipweek check`; it must not fail `mkdocs build --strict`.
            (log.info if problem.editorial else log.warning)(str(problem))
        errors = self.project.errors
        for problem in errors:
            log.error(str(problem))
        if errors and self.command == "serve":
            # A failed build would hang the browser: preview without the broken
            # tips, and list the problems on every page instead.
            self.preview_problems = [str(problem) for problem in errors]
            broken = {problem.path for problem in errors}
            self.project.tips = [t for t in self.project.tips if t.source not in broken]
        elif errors:
            raise PluginError(
                f"tipweek: {count(len(errors), 'problem')} in {self.config.tips_dir}/ "
                "(listed above); nothing was built and the previous site is untouched"
            )

    @event_priority(100)  # first: every file MkDocs found goes to the preview folder
    def _build_here(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        self.publisher.take_files(files, config)
        return files

    def _add_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        # docs/index.md, if any, is the home page's introduction, above the newest tips.
        home = files.get_file_from_path(src_uri(self.scheme.paged("", 1)))
        settings, uncacheable = settings_fingerprint(config, self.config)
        if uncacheable:
            log.info(f"the Markdown cache is off for this build: {uncacheable}")
        converter = TipConverter(
            config,
            settings,
            None if uncacheable else self.markdown_cache,
            # Worked out where the HTML is made, kept with it in the Markdown cache.
            extra=lambda page: self._texts().work_out(page).to_json(page.content or ""),
        )
        self.converter = converter
        tips = list(tip_pages(config, self.archive, self.scheme, converter))
        self.tip_pages = {page.tip.source: page for page in tips}
        listings = list(
            listing_pages(config, self.archive, self.scheme, self.config.per_page, home)
        )
        self.generated_pages = [*tips, *listings]
        add_pages(files, iter(tips))
        add_pages(files, iter(listings))
        files.append(stylesheet_file(config))
        for file in search_files(config) if self.pagefind is not None else []:
            files.append(file)
        url = site_url(config)
        in_feeds = documents.tips_in_feeds(self.archive, self.scheme, self.config.feed_items)
        self.texts = TipTexts(self.tip_pages, self.scheme, url, self.config.excerpt_words, in_feeds)
        self.documents = SiteDocuments(
            config, self.config, self.project, self.archive, self.scheme, url
        )
        self.documents.add_to(files)
        return files

    on_files = CombinedEvent(_build_here, _add_files)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or isinstance(page, (TipPage, GeneratedPage)):
            return markdown
        # MkDocs dates it with the build day: a daily build would tell crawlers that
        # About and Contact change every day.  No date at all beats a wrong one.
        if self._git_dates is None:
            self._git_dates = git_dates(Path(config.docs_dir))
        page.update_date = content_date(page.meta) or self._git_dates.get(page.file.src_uri) or ""
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not isinstance(page, TipPage):
            return html
        # Raw HTML passes `<![` through; as text it cannot hide the rest of the
        # tip, nor crash the parsers (search, excerpts, feeds) that read it next.
        html = escape_bogus_sections(html)
        if '="/' in html:
            return root_paths_to_relative(html, page.url)
        return html

    def _apply_nav_titles(
        self, nav: Navigation, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        # MkDocs keeps a page's own title when a plugin made the page, so apply
        # the titles mkdocs.yml gives our pages in `nav:` ("Latest tips: index.md").
        titles = nav_titles(config.nav or [])
        for page in nav.pages:
            if not isinstance(page, GeneratedPage):
                continue
            if page.file.src_uri in titles:
                page.title = titles[page.file.src_uri]
            # Material's <head> links a page to its neighbours in the nav (the home page's
            # rel="next" was Tags); a listing's are its pager's pages, which listing.html
            # links itself, and the tag index has none.
            page.previous_page = page.next_page = None
        return nav

    @event_priority(-100)  # after every other plugin changed the nav: the page cache's key
    def _keep_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self.nav = nav
        # The last event before MkDocs renders the first page: the files are final.
        if self.documents is not None:
            self.documents.check_redirects(files)
        if self.converter is not None:
            markdown_pool.convert_ahead(self.converter, list(self.tip_pages.values()), files)

    on_nav = CombinedEvent(_apply_nav_titles, _keep_nav)

    def _texts(self) -> TipTexts:
        assert self.texts is not None  # asked for only once the pages exist (on_files)
        return self.texts

    def _text(self, tip: Tip) -> TipText:
        """What listings and share tags take from the tip's HTML (`tip_texts.py`)."""
        return self._texts().text(tip)

    def _add_view(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        if context.get("tipweek_cached_html") is None:  # the page's template renders
            context.update(self._context_of(page))
        return context

    @event_priority(50)  # before `_add_view`, which a page printed from stored HTML skips
    def _take_stored_html(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        self.page_cache.take_stored_html(page, context)
        return context

    on_page_context = CombinedEvent(_take_stored_html, _add_view)

    def _context_of(self, page: Page) -> dict[str, Any]:
        """What tipweek adds to a generated page's template context (`page_contexts.py`)."""
        return self.contexts.of(page) if self.contexts is not None else {}

    @event_priority(100)  # first: the template's output, before any plugin changes it
    def _store_rendered_page(
        self, output_html: str, *, page: Page, config: MkDocsConfig
    ) -> str | None:
        self.page_cache.store(page, output_html)
        return output_html

    def _add_feed_links(self, output_html: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return output_html
        if not isinstance(page, (TipPage, GeneratedPage)):  # theirs print them (page.html)
            feeds = self.contexts.feeds_of(page) if self.contexts is not None else []
            output_html = documents.insert_feed_links(output_html, feeds)
        return insert_after_body(output_html, banner(self.preview_problems))

    def on_template_context(
        self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig
    ) -> dict[str, Any] | None:
        if not self.config.enabled or template_name != "404.html" or self.views is None:
            return context
        context["tipweek_newest"] = [
            self.views.entry(tip) for tip in self.archive.tips[:NEWEST_ON_NOT_FOUND]
        ]
        context["tipweek_tags_url"] = self.views.link(self.scheme.tags)
        return context

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not (self.config.enabled and self.command == "serve" and template_name == "404.html"):
            return output_content
        # A broken tip's page is gone from the preview: its reader lands here, and
        # must come back to the page once the tip is fixed.
        fragment = banner(self.preview_problems) + reload_script()
        return insert_after_body(output_content, fragment)

    def _keep_for_search(self, output_html: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.pagefind is not None and isinstance(page, TipPage):
            self.pagefind.take(page.tip.source, output_html)
        return output_html

    on_post_page = CombinedEvent(_store_rendered_page, _add_feed_links, _keep_for_search)

    @event_priority(-100)  # after other plugins' on_env: nothing may change once pages are keyed
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if not self.config.enabled:
            return env
        # The feeds and email editions carry the tips' HTML, all rendered by now.
        if self.documents is not None:
            self.documents.fill(
                self._texts(),
                html_of=lambda tip: self.tip_pages[tip.source].content or "",
                email_store=None if switches.off("email-cache") else self.email_editions,
            )
        self.page_cache.prepare(
            env, config, files, self.nav, self.generated_pages, self._context_of
        )
        if self.page_cache.off_reason:
            log.info(f"the page cache is off for this build: {self.page_cache.off_reason}")
        self._outputs = [file.abs_dest_path for file in files]
        return env

    def _save_caches(self, *, config: MkDocsConfig) -> None:
        cache = self.markdown_cache
        if not self.config.enabled or cache is None:
            return
        rendered, cached = self.page_cache.finish_build()
        self.email_editions.finish()
        if not self.page_cache.off_reason:
            log.info(f"{count(rendered, 'page')} rendered, {cached} from the page cache")
        if self.converter is None or self.converter.cache is None:
            return  # the Markdown cache was off: keep what it holds for the next build
        log.info(f"{count(cache.misses, 'tip')} converted, {cache.hits} from the Markdown cache")
        if switches.off("markdown-cache"):
            return  # measuring a build without it: it was empty, and nothing is written
        try:
            cache.save()
        except OSError as error:
            # The site is complete and correct; only the next build will be slower.
            log.info(f"could not save the Markdown cache {cache.path}: {error}")

    def _write_search_index(self, *, config: MkDocsConfig) -> None:
        # Into the staged site, before it is swapped in (`_publish`).
        if self.config.enabled and self.pagefind is not None:
            log.info(self.pagefind.summary(self.pagefind.write()))

    @event_priority(-1000)  # the very last: every plugin has written its files
    def _publish(self, *, config: MkDocsConfig) -> None:
        try:
            self.publisher.publish(config, self._outputs)
        finally:
            self._set_build_aside()

    def _set_build_aside(self) -> None:
        # Not under `mkdocs serve`: its process lives on, and its garbage must go.
        if self.command != "serve":
            freeze_at_exit.keep_until_exit()

    on_post_build = CombinedEvent(_save_caches, _write_search_index, _publish)

    @event_priority(-100)  # last: it may replace the error, after every plugin has cleaned up
    def on_build_error(self, *, error: Exception) -> None:
        self._set_build_aside()
        self.page_cache.abandon()  # commits nothing
        self.email_editions.abandon()
        if self.pagefind is not None:
            self.pagefind.abandon()
        self.publisher.abandon()  # the previous site stays as it was
        if isinstance(error, OSError):
            # A full disk (or a folder gone read-only, a file unreadable) mid-build: MkDocs
            # would print a traceback; the editor needs the file and the reason.
            message = self.publisher.as_the_editor_knows(os_error_message(error))
            raise Abort(f"Aborted: file system error: {message}") from error

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        self._start_serving()  # also `mkdocs serve --clean`, which starts as a build
        if self.config.enabled:
            for relative in (self.config.authors_file, self.config.tags_file):
                path = self.root / relative
                if path.exists():
                    server.watch(str(path))
            # tips/ itself through the guard, which renews the watch when the folder comes back.
            if self.folder_guard is not None:
                self.folder_guard.stop()
            self.folder_guard = FolderGuard(
                server, self.root / self.config.tips_dir, self.root / CACHE_DIR / SIGNAL_DIR
            )
            self.folder_guard.start()
        return server
