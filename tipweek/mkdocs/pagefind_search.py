"""MkDocs side of `search: pagefind`: Material's search slot, the pages, the index.

- `use_search_slot` keeps Material's header drawing its search field (it does
  so only when `material/search` is a plugin) while Material's lunr search
  does no work: a site that still lists `search` gets no 6 MB
  `search_index.json`, and one that does not gets the field all the same.
- `PagefindSearch.take` keeps each published tip's page as this build
  rendered it (`on_post_page`) and starts Pagefind once it has them all;
  `write` (`on_post_build`) waits for it, makes the bundle reproducible
  (`pagefind_canonical.py`).  Pagefind writes into `site_dir/pagefind/` of the
  staged site, which goes live whole or not at all, so readers never see half
  an index (`tipweek.mkdocs.publishing`).

Every build, `mkdocs serve` rebuilds included, indexes the pages of that
build: nothing is carried over, so an edit can never leave a stale result.
Under `mkdocs serve` (`tipweek.speed.preview_writes`) the preview does not wait
for it: the pages are written and indexed in a thread after the build, and the
finished index replaces the previous one; a newer rebuild stops an older run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File

from tipweek.core.pagefind_canonical import FormatError, canonicalize
from tipweek.core.search_records import BUNDLE_DIR, SearchRecord
from tipweek.core.wording import count
from tipweek.mkdocs import compat

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
ASSETS_DIR = Path(__file__).parent / "assets"
# tipweek's `partials/search.html`, put before Material's (and the site's) in this mode.
PAGEFIND_THEME_DIR = THEME_FILES / "pagefind"
INSTALL_HINT = "pip install 'tipweek[pagefind]'"
# The preview's next index, and the one it replaces, beside `pagefind/` (dot-folders:
# MkDocs' clean and the preview's own clean-up leave them alone).
NEXT_BUNDLE_DIR = ".pagefind-next"
OLD_BUNDLE_DIR = ".pagefind-old"

log = get_plugin_logger(__name__)
# What Pagefind says when the pages hold no word at all (a tip whose whole text is `&`).
NO_WORDS = "not able to build an index"


class NoWords(PluginError):
    """Pagefind found no word to index in any published tip."""


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
    replaced = compat.replace_plugin(
        config, (MATERIAL_SEARCH, "search"), MATERIAL_SEARCH, SearchSlot()
    )
    return any(not isinstance(plugin, SearchSlot) for plugin in replaced)


def set_up(config: MkDocsConfig, theme_dir: Path) -> bool:
    """`on_config` with `search: pagefind`: the search partial, and Material's slot.

    `theme_dir` holds tipweek's `partials/search.html`; it goes first, before the
    site's `custom_dir`, since a site's override of Material's search partial is
    written for Material's search (the sample site's is).  Returns True if a listed
    search plugin was switched off.
    """
    pagefind_binary()  # fail before the build, not after it
    if str(theme_dir) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(theme_dir))
    return use_search_slot(config)


def search_files(config: MkDocsConfig) -> list[File]:
    """The search's script and stylesheet, copied from tipweek's assets folder."""
    return [
        File.generated(config, path, abs_src_path=str(ASSETS_DIR / Path(path).name))
        for path in ASSETS
    ]


class PagefindSearch:
    """One build's search index: the published tips' pages, then Pagefind's bundle.

    The pages go to a temporary folder as they are rendered, and Pagefind's
    command line indexes the folder: its Python API answers one request per
    0.1 s (it polls), which would be 500 s for 5,000 `add_html_file` calls.
    Once the last searchable tip is written, Pagefind starts in the background
    (its own process), so it indexes while MkDocs renders the listing pages;
    `write` waits for it.
    """

    def __init__(
        self,
        records: dict[str, SearchRecord],
        language: str,
        site_dir: Path,
        *,
        directory_urls: bool = True,
        background: bool = False,
    ) -> None:
        self.records = records
        # The preview's index: Pagefind runs after the build, which does not wait for it.
        self.background = background
        self.language = language
        self.site_dir = site_dir
        # Without directory URLs links spell `x/index.html` (file:// browsing): so do results.
        self.keep_index_url = not directory_urls
        self.taken = 0
        self.writing_seconds = 0.0  # writing the pages for Pagefind, during the build
        self.pagefind_seconds = 0.0  # Pagefind's run, in the background or not
        self.waited_seconds = 0.0  # what `write` added at the end of the build
        self._pages: Path | None = None
        self._indexer: threading.Thread | None = None
        self._error: BaseException | None = None
        self._process: dict[str, subprocess.Popen[str]] = {}
        self._unwritten: list[tuple[Path, str]] = []  # in the background: pages to write
        self._cancelled = threading.Event()
        self._install_lock = threading.Lock()

    @property
    def seconds(self) -> float:
        """What the index added to the build: writing the pages, and waiting for it."""
        return self.writing_seconds + self.waited_seconds

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
            self._pages = _pages_folder(len(self.records))
        # Only the tip's article and what follows go to Pagefind: the header, the
        # navigation and the inline scripts before it are most of a Material page.
        article = output_html.rfind("<article", 0, start)
        # Pagefind makes each result's URL from the file's path: `x/` is `x/index.html`.
        path = self._pages / (record.url + "index.html" if record.url.endswith("/") else record.url)
        if self.background:  # written by the indexer's thread, after the build
            self._unwritten.append((path, output_html[article:]))
        else:
            self._write_page(path, output_html[article:])
        self.taken += 1
        self.writing_seconds += time.perf_counter() - began
        if self.taken == len(self.records):
            self._start()

    def _write_page(self, path: Path, article: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<html lang="{self.language}"><body>{article}', encoding="utf-8")

    def _start(self) -> None:
        """Run Pagefind in a thread (it is a process: the GIL stays with the build)."""
        if self._indexer is not None or self._pages is None:
            return
        pages = self._pages
        # Straight into the site: `site_dir` is the build's staging folder, which goes
        # live whole or not at all (`tipweek.mkdocs.publishing`).  In the background, into a
        # folder of its own beside the index it replaces once it is complete.
        if self.background:  # a folder of this run's own: an older run may still clean up
            bundle = Path(tempfile.mkdtemp(prefix=NEXT_BUNDLE_DIR + "-", dir=self.site_dir))
        else:
            bundle = self.site_dir / BUNDLE_DIR

        def run() -> None:
            began = time.perf_counter()
            try:
                unwritten, self._unwritten = self._unwritten, []
                for path, article in unwritten:
                    if self._cancelled.is_set():
                        return
                    self._write_page(path, article)
                if self._cancelled.is_set():
                    return
                _index(pages, bundle, self.language, self.keep_index_url, self._process)
                if self.background:
                    self._finish_bundle(bundle)
                    self._install(bundle)
            except BaseException as error:  # handed to `write`, in the build's thread
                self._error = error
            finally:
                if self.background:
                    shutil.rmtree(pages, ignore_errors=True)
                    shutil.rmtree(bundle, ignore_errors=True)
            self.pagefind_seconds = time.perf_counter() - began
            if self.background and self._error is None and not self._cancelled.is_set():
                log.info(
                    f"search index updated: {self.taken} tips, "
                    f"Pagefind ran {self.pagefind_seconds:.2f} s"
                )
            elif self.background and self._error is not None and not self._cancelled.is_set():
                log.warning(f"tipweek: the preview's search index was not updated: {self._error}")

        self._indexer = threading.Thread(target=run, name="tipweek-pagefind", daemon=True)
        self._indexer.start()

    @staticmethod
    def _finish_bundle(bundle: Path) -> None:
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)
        canonicalize(bundle)

    def _install(self, bundle: Path) -> None:
        """Put a finished bundle in place of the index readers are served (background)."""
        with self._install_lock:
            if self._cancelled.is_set():
                return
            live = self.site_dir / BUNDLE_DIR
            aside = self.site_dir / OLD_BUNDLE_DIR
            shutil.rmtree(aside, ignore_errors=True)
            if live.exists():
                os.rename(live, aside)
            os.rename(bundle, live)
            shutil.rmtree(aside, ignore_errors=True)

    def write(self) -> int:
        """`on_post_build`: finish the index in `site_dir/pagefind/`.

        Returns how many tips it holds (none published yet, or none with a word
        in it: Pagefind makes no empty index, and there is none).  In the
        background (the preview), it only starts Pagefind: the index readers are
        served stays the last one until the new one is complete, and returns how
        many tips go in.
        """
        began = time.perf_counter()
        bundle = self.site_dir / BUNDLE_DIR
        if self.background:
            self._start()
            self.waited_seconds = time.perf_counter() - began
            return self.taken
        try:
            self._start()  # if some page never came, start now
            if self._indexer is None:
                return 0
            self._indexer.join()
            if self._error is not None:
                raise self._error
            self._finish_bundle(bundle)
        except NoWords:
            # As before the first tip is published: no index, and search finds nothing.
            shutil.rmtree(bundle, ignore_errors=True)
            return 0
        except FormatError as error:
            raise PluginError(
                f"tipweek: Pagefind wrote an index this version cannot read: {error}"
            ) from error
        finally:
            self.abandon()
            self.waited_seconds = time.perf_counter() - began
        return self.taken

    def summary(self, indexed: int) -> str:
        """What `write`, which put `indexed` tips in the index, tells the editor."""
        if self.background:
            return (
                f"{count(indexed, 'tip')} being indexed for search in the background: "
                "until Pagefind is done, the preview's search shows the previous index"
            )
        return (
            f"{count(indexed, 'tip')} indexed for search in {self.seconds:.2f} s "
            f"({self.writing_seconds:.2f} s writing pages for Pagefind, "
            f"{self.waited_seconds:.2f} s waiting for it; "
            f"Pagefind ran {self.pagefind_seconds:.2f} s)"
        )

    def abandon(self, *, wait: bool = True) -> None:
        """Forget the kept pages (a failed build, or done); an unfinished index goes with
        the staged site it is in.  In the background, a Pagefind still running is
        stopped: a newer build (or the end of `mkdocs serve`) makes its index moot.
        Without `wait`, the stopped run cleans up after itself while the next build
        goes on (its folders are its own)."""
        if self.background:
            with self._install_lock:
                self._cancelled.set()
            process = self._process.get("running")
            if process is not None:
                with contextlib.suppress(OSError):
                    process.kill()
            if not wait:
                return
        if self._indexer is not None:
            self._indexer.join()  # Pagefind's process ends on its own; never leave it behind
            self._indexer = None
        if self._pages is not None:
            shutil.rmtree(self._pages, ignore_errors=True)
        self._pages = None


# Room in memory for one tip's page (an article is some 6 KB; this allows for long ones).
BYTES_PER_PAGE = 256 * 1024
SHARED_MEMORY = Path("/dev/shm")


def _pages_folder(pages: int) -> Path:
    """A temporary folder for the pages Pagefind reads: in memory where there is room.

    Thousands of small files are written, read once and deleted: on a busy disk
    deleting 2,000 of them was measured at 15 s, in memory it is instant.  A
    small `/dev/shm` (Docker's is 64 MB) falls back to the usual temporary folder.
    """
    try:
        if shutil.disk_usage(SHARED_MEMORY).free > max(pages, 1) * BYTES_PER_PAGE:
            return Path(tempfile.mkdtemp(prefix="tipweek-pagefind-", dir=SHARED_MEMORY))
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="tipweek-pagefind-"))


def pagefind_binary() -> str:
    """The `pagefind` executable of the `pagefind_bin` wheel (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as error:
        raise PluginError(f"tipweek: search: pagefind needs Pagefind: {INSTALL_HINT}") from error
    binary = get_executable()
    if binary is None or not binary.is_file():
        raise PluginError(f"tipweek: search: pagefind needs Pagefind's binary: {INSTALL_HINT}")
    return str(binary)


def _index(
    pages: Path,
    output: Path,
    language: str,
    keep_index_url: bool,
    running: dict[str, subprocess.Popen[str]] | None = None,
) -> None:
    """Pagefind's command line over `pages`, into `output`.

    The command line rather than the Python API's service: the service answered
    before its files were all on disk (an empty `pagefind-entry.json`, seen on
    a busy machine), and it polls for answers every 0.1 s.  The command exits
    once everything is written.  `running` holds the process while it runs, so
    a newer preview build can stop it.
    """
    command = [
        pagefind_binary(),
        "--site",
        str(pages),
        "--output-path",
        str(output),
        # One language for the whole site: the theme's (Pagefind would otherwise split
        # the index by each page's `lang`).
        "--force-language",
        language,
        # The `¶` of Markdown's `toc: permalink` is not the tip's text.
        "--exclude-selectors",
        "a.headerlink",
        "--silent",
    ]
    if keep_index_url:
        command.append("--keep-index-url")
    running = {} if running is None else running
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        running["running"] = process
        try:
            stdout, stderr = process.communicate()
        finally:
            running.pop("running", None)
    if process.returncode != 0 and NO_WORDS in (stderr or "") + (stdout or ""):
        # Only pages were given (`take` writes each one), so nothing in them is a word.
        raise NoWords("tipweek: the published tips have no words to index")
    if process.returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-10:])
        raise PluginError(f"tipweek: Pagefind failed (exit {process.returncode}):\n{tail}")


def site_language(config: MkDocsConfig) -> str:
    """The theme's language as Pagefind names languages (`pt-BR` → `pt`)."""
    language = str(config.theme.get("language") or "en")
    return language.split("-", 1)[0].split("_", 1)[0].lower() or "en"
