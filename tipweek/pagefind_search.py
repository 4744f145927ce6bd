"""MkDocs side of `search: pagefind`: Material's search slot, the pages, the index.

- `use_search_slot` keeps Material's header drawing its search field (it does
  so only when `material/search` is a plugin) while Material's lunr search
  does no work: a site that still lists `search` gets no 6 MB
  `search_index.json`, and one that does not gets the field all the same.
- `PagefindSearch.take` keeps each published tip's page as this build
  rendered it (`on_post_page`); `write` (`on_post_build`) hands them to
  Pagefind, makes the bundle reproducible
  (`pagefind_canonical.py`) and swaps it into `site_dir/pagefind/` whole, so
  readers never see half an index.

Every build, `mkdocs serve` rebuilds included, indexes the pages of that
build: nothing is carried over, so an edit can never leave a stale result.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from tipweek.pagefind_canonical import FormatError, canonicalize
from tipweek.search_records import BUNDLE_DIR, SearchRecord

# Pagefind's own search UIs, which the site does not use (search.js draws Material's):
# left out so a deploy does not carry them.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
ASSETS = ("assets/tipweek/search.js", "assets/tipweek/search.css")
MATERIAL_SEARCH = "material/search"
THEME_FILES = Path(__file__).parent / "templates" / "tipweek"
# tipweek's `partials/search.html`, put before Material's (and the site's) in this mode.
PAGEFIND_THEME_DIR = THEME_FILES / "pagefind"
INSTALL_HINT = "pip install 'tipweek[pagefind]'"


class SearchSlot:
    """Stands in for Material's search plugin under its name: Material's header
    shows the search field when `material/search` is enabled; no events."""

    def __init__(self) -> None:
        # A dict: Jinja reads `search.enabled` from it like an attribute.
        self.config: dict[str, Any] = {"enabled": True}


def use_search_slot(config: MkDocsConfig) -> bool:
    """Put a `SearchSlot` where Material's search plugin is (or would be).

    Returns True if a listed search plugin was replaced.  Its event handlers
    are taken out of MkDocs' event lists; each list is replaced, never changed
    in place, since MkDocs is iterating the `on_config` one right now.
    """
    plugins = config.plugins
    names = [name for name in (MATERIAL_SEARCH, "search") if name in plugins]
    replaced = [plugins[name] for name in names if not isinstance(plugins[name], SearchSlot)]
    if replaced:
        for event, handlers in list(plugins.events.items()):
            plugins.events[event] = [h for h in handlers if _owner(h) not in replaced]
    for name in names:
        dict.__delitem__(plugins, name)
    # Set as a dict item: MkDocs' own __setitem__ would look for event handlers.
    dict.__setitem__(plugins, MATERIAL_SEARCH, SearchSlot())
    return bool(replaced)


def _owner(handler: Any) -> Any:
    # MkDocs registers a CombinedEvent's parts one by one: every handler is a bound method.
    return getattr(handler, "__self__", None)


def set_up(config: MkDocsConfig, theme_dir: Path) -> bool:
    """`on_config` with `search: pagefind`: the search partial, and Material's slot.

    `theme_dir` holds tipweek's `partials/search.html`; it goes first, before the
    site's `custom_dir`, since a site's override of Material's search partial is
    written for Material's search (the sample site's is).  Returns True if a listed
    search plugin was switched off.
    """
    try:
        import pagefind.index  # noqa: F401
    except ImportError as error:
        raise PluginError(f"tipweek: search: pagefind needs Pagefind: {INSTALL_HINT}") from error
    if str(theme_dir) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(theme_dir))
    return use_search_slot(config)


def search_files(config: MkDocsConfig) -> list[File]:
    """The search's script and stylesheet, copied from tipweek's templates."""
    return [
        File.generated(config, path, abs_src_path=str(THEME_FILES / Path(path).name))
        for path in ASSETS
    ]


class PagefindSearch:
    """One build's search index: the published tips' pages, then Pagefind's bundle.

    The pages go to a temporary folder as they are rendered and reach Pagefind
    in one `add_directory` request: its Python API answers one request per 0.1 s
    (it polls), which would be 500 s for 5,000 `add_html_file` calls, and a
    folder costs no memory while the build renders.
    """

    def __init__(
        self, records: dict[str, SearchRecord], language: str, *, directory_urls: bool = True
    ) -> None:
        self.records = records
        self.language = language
        # Without directory URLs links spell `x/index.html` (file:// browsing): so do results.
        self.keep_index_url = not directory_urls
        self.taken = 0
        self.seconds = 0.0
        self._pages: Path | None = None

    def take(self, source: str, output_html: str) -> None:
        """`on_post_page` of a tip page: keep it if its tip is searchable."""
        record = self.records.get(source)
        if record is None:
            return
        start = output_html.find("data-pagefind-body")
        if start < 0:  # a page made without the markup (a custom tip template)
            return
        began = time.perf_counter()
        if self._pages is None:
            self._pages = Path(tempfile.mkdtemp(prefix="tipweek-pagefind-"))
        # Only the tip's article and what follows go to Pagefind: the header, the
        # navigation and the inline scripts before it are most of a Material page.
        article = output_html.rfind("<article", 0, start)
        # Pagefind makes each result's URL from the file's path: `x/` is `x/index.html`.
        path = self._pages / (record.url + "index.html" if record.url.endswith("/") else record.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'<html lang="{self.language}"><body>{output_html[article:]}', encoding="utf-8"
        )
        self.taken += 1
        # Counted as indexing time: the build would not write these pages without search.
        self.seconds += time.perf_counter() - began

    def write(self, site_dir: Path) -> int:
        """Index the kept pages into `site_dir/pagefind/`; return how many."""
        start = time.perf_counter()
        site_dir.mkdir(parents=True, exist_ok=True)
        # Hidden, so MkDocs' clean and tipweek's output bookkeeping leave it alone.
        staging = Path(tempfile.mkdtemp(prefix=".tipweek-pagefind-", dir=site_dir))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the index from a web server
        try:
            pages = self._pages
            if pages is None:  # no published tip yet: an empty index, so search says so
                pages = self._pages = Path(tempfile.mkdtemp(prefix="tipweek-pagefind-"))
            asyncio.run(_index(pages, staging, self.language, self.keep_index_url))
            for name in UNUSED_FILES:
                (staging / name).unlink(missing_ok=True)
            canonicalize(staging)
            _swap_in(staging, site_dir / BUNDLE_DIR)
        except FormatError as error:
            raise PluginError(
                f"tipweek: Pagefind wrote an index this version cannot read: {error}"
            ) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            self.abandon()
        self.seconds += time.perf_counter() - start
        return self.taken

    def abandon(self) -> None:
        """Forget the kept pages (the build failed, or they are indexed)."""
        if self._pages is not None:
            shutil.rmtree(self._pages, ignore_errors=True)
            self._pages = None


async def _index(pages: Path, output: Path, language: str, keep_index_url: bool) -> None:
    try:
        from pagefind.index import PagefindIndex
    except ImportError as error:
        raise PluginError(f"tipweek: search: pagefind needs Pagefind: {INSTALL_HINT}") from error
    # One language for the whole site: the theme's (Pagefind would otherwise split the
    # index by each page's `lang`, and it takes only the primary subtag).
    config: Any = {
        "force_language": language,
        "output_path": str(output),
        # The `¶` of Markdown's `toc: permalink` is not the tip's text.
        "exclude_selectors": ["a.headerlink"],
        "keep_index_url": keep_index_url,
    }
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(pages))


def _swap_in(staging: Path, bundle: Path) -> None:
    """Replace `bundle` by `staging` with two renames: never a half-written index."""
    old = None
    if bundle.exists():
        old = bundle.with_name(f".tipweek-pagefind-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(bundle, old)
    os.replace(staging, bundle)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def site_language(config: MkDocsConfig) -> str:
    """The theme's language as Pagefind names languages (`pt-BR` → `pt`)."""
    language = str(config.theme.get("language") or "en")
    return language.split("-", 1)[0].split("_", 1)[0].lower() or "en"
