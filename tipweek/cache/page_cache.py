"""A persistent cache of whole generated pages, so a rebuild skips Jinja for unchanged pages.

Rendering Material's templates is the largest cost of a build.  For each page
tipweek generates (tips, listings, the tag index) the plugin computes a key
from everything the page's HTML depends on — its view model, content, table
of contents, URL and metadata, plus the site-wide inputs described by
`site_fingerprint` — and keeps the template's output in one SQLite file,
`.cache/tipweek/pages-<command>.sqlite` (`build` or `serve`).  A page whose
key is found is written from there instead of being rendered again.

What is stored is the template's output *before* any plugin's `on_post_page`
ran, so every `on_post_page` handler still runs on every page, hit or miss,
and the cache cannot depend on the order of plugins.

Like the render cache, this module knows nothing about MkDocs: it describes
MkDocs objects by duck typing, and stores, finds and forgets pages.

- One file for all pages: a first build used to create one file per page,
  which cost more than a second of system time at 2,000 tips on the disk
  measured in the README; SQLite writes them in one transaction.
- Pages not used by the last build are deleted, so the file holds at most one
  build's worth of pages however often tips are edited.
- A missing, locked or damaged file is an empty cache: the build renders every
  page, as a first build does, and a damaged file is started afresh.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import lz4.block

from tipweek.cache.render_cache import fingerprint, remove_in_the_way, stable_repr
from tipweek.core import speedups

#: Bump when the table's layout changes; older files are then started afresh.
PAGES_FORMAT = 4
#: Keys in one `read_many` query (SQLite allows 999 parameters in its oldest builds).
_MAX_QUERY_KEYS = 250


def compress_page(page_html: str) -> bytes:
    """A page as stored: UTF-8, LZ4-compressed to less than half its size.

    2,000 tips make some 50 MB of HTML, which SQLite writes faster as 20, and
    which the template workers send the build compressed.  LZ4 rather than
    zlib: five times faster to compress (30 µs a page against 140) and three
    times faster to expand, for a file a third larger.
    """
    return lz4.block.compress(page_html.encode("utf-8", "surrogatepass"))


def decompress_page(data: bytes) -> str:
    return lz4.block.decompress(data).decode("utf-8", "surrogatepass")


def pages_file(cache_dir: Path, command: str) -> Path:
    """The page cache of `command` (`build` or `serve`, whose pages differ) in `cache_dir`."""
    return cache_dir / f"pages-{command}.sqlite"


class PageCache:
    """Template output by key, in the SQLite file `path`.

    `hits` and `misses` count lookups since `begin`.  A connection is opened
    by `begin` and closed by `prune` or `finish`, so `mkdocs serve`, which
    rebuilds in another thread, never shares one between threads.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._used: set[str] = set()
        self._present: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes, str | None]] = []

    def begin(self) -> None:
        """Start a build: look at what is stored now."""
        self.finish()
        self._used = set()
        self._present = set()
        if speedups.off("page-cache"):
            return  # measuring a build without it: no file opened, every page a miss
        try:
            self._db = self._open()
            self._present = {key for (key,) in self._db.execute("SELECT key FROM pages")}
        except sqlite3.DatabaseError:  # damaged, or not SQLite at all: start afresh
            self.finish()
            with contextlib.suppress(OSError, sqlite3.Error):
                remove_in_the_way(self.path)  # a directory...
                self.path.unlink(missing_ok=True)  # ...or a damaged file
                self._db = self._open()
        except (OSError, sqlite3.Error):  # locked, or a read-only checkout: no cache
            self.finish()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=1.0)
        # The cache can always be rebuilt: no journal file beside it, no fsync per commit.
        db.execute("PRAGMA journal_mode=MEMORY")
        db.execute("PRAGMA synchronous=OFF")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        # A file of the right format number but another table (a foreign or tampered
        # file) would fail every later statement: start it afresh like an old format.
        columns = [row[1] for row in db.execute("PRAGMA table_info(pages)")]
        if version != PAGES_FORMAT or columns != ["key", "html", "search"]:
            db.execute("DROP TABLE IF EXISTS pages")
            # `search`: the page's search-index entries as JSON, if known (see page_reuse.py).
            # `html`: the page as `compress_page` makes it.
            db.execute("CREATE TABLE pages (key TEXT PRIMARY KEY, html BLOB NOT NULL, search TEXT)")
            db.execute(f"PRAGMA user_version={PAGES_FORMAT}")
            db.commit()
        return db

    def contains(self, key: str) -> bool:
        """Whether a page is stored under `key`, without using it (see `has`)."""
        return key in self._present

    def has(self, key: str) -> bool:
        """True if a page is stored under `key`, which this build then uses (`prune`
        keeps it)."""
        found = key in self._present
        if found:
            self._used.add(key)
        return found

    def read(self, key: str) -> tuple[str, str | None] | None:
        """The stored page and its search entries, or None if it cannot be read after all."""
        return self.unpack(self.read_many([key]).get(key))

    def read_many(self, keys: Sequence[str]) -> dict[str, tuple[bytes, str | None]]:
        """The stored rows of `keys` that can be read, still compressed (`unpack` each):
        one query for many pages costs about half as much as one query each."""
        if self._db is None or not keys:
            return {}
        rows: dict[str, tuple[bytes, str | None]] = {}
        try:
            for start in range(0, len(keys), _MAX_QUERY_KEYS):
                chunk = keys[start : start + _MAX_QUERY_KEYS]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, html, search FROM pages WHERE key IN ({marks})"
                found = self._db.execute(query, chunk)
                rows.update((key, (html, search)) for key, html, search in found)
        except sqlite3.Error:
            return {}
        return rows

    @staticmethod
    def unpack(row: tuple[bytes, str | None] | None) -> tuple[str, str | None] | None:
        """A row of `read_many` as (page, search entries), or None if it cannot be read."""
        if row is None:
            return None
        try:
            return decompress_page(row[0]), row[1]
        except (lz4.block.LZ4BlockError, UnicodeDecodeError, TypeError, ValueError):
            return None

    def store(self, key: str, page: bytes, search: str | None = None) -> None:
        """Keep `page` (from `compress_page`) and `search`, its search entries, under
        `key` (committed by `prune`)."""
        self._used.add(key)
        if self._db is not None:
            # Inserted all at once by `prune`: one statement for thousands of pages.
            self._pending.append((key, page, search))

    def finish(self) -> None:
        """Close the file, dropping what was stored but not committed (a failed build)."""
        self._pending = []
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def prune(self) -> int:
        """Commit this build's pages, delete the ones it did not use; how many were deleted."""
        if self._db is None:
            return 0
        try:
            db = self._db
            db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", self._pending)
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used VALUES (?)", ((key,) for key in self._used))
            removed = db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
            count = removed.rowcount
            db.commit()
        except sqlite3.Error:
            count = 0
        self.finish()
        return count


def config_snapshot(config: Mapping[str, Any], root: Path) -> str:
    """A stable description of the MkDocs config templates can read.

    Plugins are objects (whose `repr` has a memory address), so each is
    described by its name, class and options instead.  `site_dir` and
    `config_file_path` are left out (no page shows them), and every absolute
    path inside the project is written relative to it, so a project built
    into another folder, or checked out elsewhere (CI), keys its pages alike.
    """
    described: dict[str, Any] = {}
    for name, value in config.items():
        if name in ("site_dir", "config_file_path"):
            continue
        if name == "plugins" and isinstance(value, Mapping):
            value = {
                plugin_name: (
                    f"{type(plugin).__module__}.{type(plugin).__qualname__}",
                    dict(getattr(plugin, "config", {}) or {}),
                )
                for plugin_name, plugin in value.items()
            }
        elif name == "theme":
            value = _theme_snapshot(value)
        described[name] = value
    return (
        stable_repr(described)
        .replace(str(root) + os.sep, "<project>/")
        .replace(str(root), "<project>")
    )


def _theme_snapshot(theme: Any) -> object:
    """The theme by name and options; its folders are keyed by content or version
    (`tipweek.cache.inputs.theme_inputs`), not by where they are."""
    try:
        # A set: sorted, or its order would differ from process to process (hash seeds).
        return (getattr(theme, "name", None), dict(theme), sorted(theme.static_templates))
    except (TypeError, AttributeError):
        return repr(theme)


def nav_snapshot(items: Iterable[Any]) -> list[Any]:
    """The whole navigation, as any template could read it: each item's kind, title,
    URL and attribute names, and for a page its `meta` (Material's navigation shows a
    page's icon, status and subtitle on every page), source and addresses; then its
    children.  Not the content or table of contents of the pages it lists: the
    archive's first page lists the newest tips, and no template reads them from the
    navigation (the read-recording tests would fail if one did)."""
    return [_nav_item(item) for item in items]


def _nav_item(item: Any) -> tuple[Any, ...]:
    described: tuple[Any, ...] = (
        type(item).__name__,
        sorted(vars(item)) if hasattr(item, "__dict__") else None,
        getattr(item, "title", None),
        getattr(item, "url", None),
    )
    file = getattr(item, "file", None)
    if file is not None:
        described += (
            stable_repr(getattr(item, "meta", None)),
            file.src_uri,
            getattr(item, "edit_url", None),
            getattr(item, "canonical_url", None),
            getattr(item, "is_homepage", None),
        )
    return (*described, nav_snapshot(getattr(item, "children", None) or []))


def pages_snapshot(files: Iterable[Any]) -> list[Any]:
    """The template context's `pages` (every documentation page's file): each one's
    source, URL, and its page's title and meta."""
    described = []
    for file in files:
        page = getattr(file, "page", None)
        title, meta = (None, None) if page is None else (page.title, stable_repr(page.meta))
        described.append((file.src_uri, file.url, title, meta))
    return sorted(described)


def toc_snapshot(toc: Iterable[Any]) -> list[Any]:
    return [(item.title, item.id, item.level, toc_snapshot(item.children)) for item in toc or []]


def _link(page: Any) -> tuple[Any, Any] | None:
    return None if page is None else (getattr(page, "title", None), getattr(page, "url", None))


#: What a page's key covers of what its template can read, for the tests that record
#: every read (tests/read_recording.py).  A read is a dotted path from a name of the
#: template context (`page.meta.icon`; `nav_item` is any item of the navigation,
#: `pages_file` any file of `pages`).  An entry names one read, or with `.*` every read
#: below it; the read's own entry decides, else the longest `.*` entry it is under:
#: True (always keyed), False (never), or the optional input that keys it in a build
#: that holds it (`"pages"`, `"build_time"`: see `inputs.theme_inputs`).  Context names
#: not listed are tipweek's own (its view, keyed whole) if tipweek adds them, else not
#: covered.
KEY_COVERS: dict[str, bool | str] = {
    # The whole configuration (config_snapshot), but for what it leaves out.
    **dict.fromkeys(("config", "config.*"), True),
    **dict.fromkeys(("config.site_dir", "config.config_file_path", "config.theme.dirs"), False),
    # The whole navigation (nav_snapshot), each item with its meta.
    **dict.fromkeys(("nav", "nav.*", "nav_item.meta.*", "nav_item.file"), True),
    **{
        f"nav_item.{name}": True
        for name in (
            "title", "url", "meta", "children", "parent", "is_section", "is_page", "is_link",
            "is_index", "is_top_level", "is_homepage", "active", "edit_url", "canonical_url",
            "abs_url", "ancestors", "previous_page", "next_page", "file.src_uri", "file.url",
        )
    },
    # The page itself (page_key).
    **dict.fromkeys(("page", "page.meta.*", "page.toc.*", "page.file"), True),
    **{
        f"page.{name}": True
        for name in (
            "title", "url", "content", "toc", "meta", "canonical_url", "edit_url", "abs_url",
            "is_homepage", "is_page", "is_section", "is_link", "is_index", "is_top_level",
            "active", "children", "parent", "ancestors", "file.src_uri", "file.url",
            "previous_page", "previous_page.title", "previous_page.url",
            "next_page", "next_page.title", "next_page.url",
        )
    },
    "page.update_date": "build_time",
    # The rest of MkDocs' context, made from the page's URL, the config and versions.
    **dict.fromkeys(("base_url", "extra_css", "extra_javascript", "mkdocs_version"), True),
    "build_date_utc": "build_time",
    **dict.fromkeys(("pages", "pages_file.page.meta.*"), "pages"),
    **{
        f"pages_file.{name}": "pages"
        for name in ("src_uri", "url", "page", "page.title", "page.meta")
    },
}  # fmt: skip


def covered(path: str, keyed: frozenset[str] | set[str]) -> bool:
    """Whether the read `path` (see `KEY_COVERS`) is in a page's key, in a build whose
    keys hold the optional inputs `keyed`."""
    rule = KEY_COVERS.get(path)
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        if rule is not None:
            break
        rule = KEY_COVERS.get(".".join(parts[:end]) + ".*")
    if rule is None:
        return False
    return rule if isinstance(rule, bool) else rule in keyed


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
        page.content or "",
        _described(
            {
                "title": page.title,
                "toc": toc_snapshot(page.toc),
                "meta": page.meta,
                "canonical_url": page.canonical_url,
                "edit_url": page.edit_url,
                "is_homepage": page.is_homepage,
                "previous": _link(page.previous_page),
                "next": _link(page.next_page),
                "ancestors": [_link(ancestor) for ancestor in page.ancestors],
                "build_time": build_time,
                "context": dict(context),
            }
        ),
    )


def _described(context: Mapping[str, Any]) -> bytes:
    """A page's facts and view models, in full.

    A pickle rather than `stable_repr`: the views are plain dataclasses of
    text, numbers and lists, which C pickles several times faster than Python
    can describe them, and a pickle holds everything needed to rebuild them, so
    two different views never look the same.  What could differ between two
    processes (a set's order) would only make the cache miss.
    """
    try:
        return pickle.dumps(dict(context), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return stable_repr(dict(context)).encode("utf-8", "surrogatepass")


def site_fingerprint(*parts: object) -> str:
    """A hash of the inputs every page shares (config, nav, theme files, versions)."""
    return fingerprint("tipweek-page", *parts)
