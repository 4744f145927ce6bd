"""A persistent cache of whole generated pages, so a rebuild skips Jinja for unchanged pages.

Rendering Material's templates is the largest cost of a build.  For each page
tipweek generates (tips, listings, the tag index) the plugin computes a key
from everything the page's HTML depends on — its view model, content, table
of contents, URL and metadata, plus the site-wide inputs described by
`site_fingerprint` — and keeps the template's output in
`.cache/tipweek/pages/<command>/<key>.html` (`build` or `serve`).  A page
whose key is found is written from that file instead of being rendered again.

What is stored is the template's output *before* any plugin's `on_post_page`
ran, so every `on_post_page` handler still runs on every page, hit or miss,
and the cache cannot depend on the order of plugins.

Like the render cache, this module knows nothing about MkDocs imports: it
describes MkDocs objects by duck typing, stores, finds and forgets files.

- One file per page keeps a hit cheap (one read) and a miss cheap (one
  write), where one big file would be read and rewritten whole every build.
- Files not used by the last build are deleted, so the directory holds at
  most one build's worth of pages however often tips are edited.
- Each file is written atomically; a missing or unreadable file is a miss.
- Files are written by one background thread: creating thousands of files
  costs seconds of system time on some disks, which the thread spends while
  the build renders the next pages.  `finish` waits for it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tipweek.cache import fingerprint, stable_repr

PAGES_DIR = "pages"
SUFFIX = ".html"
#: Names a template can use to put the build's date or time into a page.
BUILD_TIME_NAMES = ("update_date", "build_date_utc")


class PageCache:
    """Template output by key, one file each in `directory`.

    `hits` and `misses` count lookups since `begin`.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._present: set[str] | None = None
        self._directory_made = False
        self._writer: ThreadPoolExecutor | None = None

    def begin(self) -> None:
        """Start a build: count from zero and look at what is on disk now."""
        self.hits = self.misses = 0
        self._used = set()
        # The directory may have been deleted since the last build (`rm -rf .cache`).
        self._directory_made = False
        try:
            self._present = {
                name.removesuffix(SUFFIX)
                for name in os.listdir(self.directory)
                if name.endswith(SUFFIX)
            }
        except OSError:
            self._present = set()

    def has(self, key: str) -> bool:
        """True (and counted as a hit) if a page is stored under `key`."""
        found = key in (self._present or ())
        if found:
            self.hits += 1
            self._used.add(key)
        else:
            self.misses += 1
        return found

    def read(self, key: str) -> str | None:
        """The stored page, or None if its file vanished or is unreadable since `has`."""
        try:
            return (self.directory / f"{key}{SUFFIX}").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def store(self, key: str, page_html: str) -> None:
        """Keep `page_html` under `key` (written in the background, see `finish`)."""
        self._used.add(key)
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tipweek-pages")
        self._writer.submit(self._write, key, page_html)

    def finish(self) -> None:
        """Wait until every stored page is on disk, and stop the writer thread."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def _write(self, key: str, page_html: str) -> None:
        # A failure to write only makes the next build slower.
        with contextlib.suppress(OSError):
            if not self._directory_made:  # once: mkdir costs as much as the write on some disks
                self.directory.mkdir(parents=True, exist_ok=True)
                self._directory_made = True
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                    stream.write(page_html)
                os.replace(temporary, self.directory / f"{key}{SUFFIX}")
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise

    def prune(self) -> int:
        """Delete the pages (and stray temporary files) this build did not use; how many."""
        self.finish()
        removed = 0
        try:
            names = os.listdir(self.directory)
        except OSError:
            return 0
        for name in names:
            key = name.removesuffix(SUFFIX)
            if name.endswith(SUFFIX) and key in self._used:
                continue
            with contextlib.suppress(OSError):
                (self.directory / name).unlink()
                removed += 1
        return removed


def theme_stamp(dirs: Iterable[str]) -> tuple[str, bool]:
    """A hash of every file in the theme's directories (path, size, mtime), and whether
    any template mentions the build's date or time (`BUILD_TIME_NAMES`).

    Material ships some 14,000 files (mostly icons, which templates inline);
    stat'ing them all costs about a tenth of a second, once per build.
    """
    stamps: list[tuple[str, int, int]] = []
    mentions_build_time = False
    for directory in dirs:
        for root, folders, names in os.walk(directory):
            folders.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                stamps.append((path, stat.st_size, stat.st_mtime_ns))
                if name.endswith(".html") and not mentions_build_time:
                    mentions_build_time = _mentions_build_time(path)
    return fingerprint(stamps), mentions_build_time


def _mentions_build_time(path: str) -> bool:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # cannot tell: assume it does, which only costs cache hits
    return any(name in text for name in BUILD_TIME_NAMES)


def config_snapshot(config: Mapping[str, Any]) -> str:
    """A stable description of the MkDocs config templates can read.

    Plugins are objects (whose `repr` has a memory address), so each is
    described by its name, class and options instead.
    """
    described: dict[str, Any] = {}
    for name, value in config.items():
        if name == "plugins" and isinstance(value, Mapping):
            value = {
                plugin_name: (
                    f"{type(plugin).__module__}.{type(plugin).__qualname__}",
                    dict(getattr(plugin, "config", {}) or {}),
                )
                for plugin_name, plugin in value.items()
            }
        described[name] = value
    return stable_repr(described)


def nav_snapshot(items: Iterable[Any]) -> list[Any]:
    """Titles, URLs and children of the navigation, as a theme draws them."""
    return [
        (
            type(item).__name__,
            getattr(item, "title", None),
            getattr(item, "url", None),
            nav_snapshot(getattr(item, "children", None) or []),
        )
        for item in items
    ]


def toc_snapshot(toc: Iterable[Any]) -> list[Any]:
    return [(item.title, item.id, item.level, toc_snapshot(item.children)) for item in toc or []]


def _link(page: Any) -> tuple[Any, Any] | None:
    return None if page is None else (getattr(page, "title", None), getattr(page, "url", None))


def page_key(site: str, page: Any, context: Mapping[str, Any], build_time: object) -> str:
    """The key of one page's template output.

    `site` is `site_fingerprint`; `context` is what tipweek adds to the
    template context for the page (its view model); `build_time` is the
    build's date and time if templates show it, else None.  Everything
    Material's templates read from `page` is here.
    """
    return fingerprint(
        site,
        page.file.src_uri,
        page.url,
        page.title,
        page.content or "",
        toc_snapshot(page.toc),
        page.meta,
        page.canonical_url,
        page.edit_url,
        page.is_homepage,
        _link(page.previous_page),
        _link(page.next_page),
        [_link(ancestor) for ancestor in page.ancestors],
        stable_repr(dict(context)),
        build_time,
    )


def site_fingerprint(*parts: object) -> str:
    """A hash of the inputs every page shares (config, nav, theme files, versions)."""
    return fingerprint("tipweek-page", *parts)
