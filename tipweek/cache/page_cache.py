"""A persistent cache of whole generated pages, so a rebuild skips Jinja for unchanged pages.

Rendering Material's templates is the largest cost of a build.  For each page
tipweek generates (tips, listings, the tag index) the plugin computes a key
from everything the page's HTML depends on — its view model, content, table
of contents, URL and metadata, plus the site-wide inputs described by
`site_fingerprint` (in `page_keys.py`) — and keeps the template's output in one SQLite file,
`.cache/tipweek/pages-<command>.sqlite` (`build` or `serve`).  A page whose
key is found is written from there instead of being rendered again.

What is stored is the template's output *before* any plugin's `on_post_page`
ran, so every `on_post_page` handler still runs on every page, hit or miss,
and the cache cannot depend on the order of plugins.

Like the Markdown cache, this module knows nothing about MkDocs: it describes
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
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import lz4.block

from tipweek.cache.markdown_cache import remove_in_the_way

#: Bump when the table's layout changes; older files are then started afresh.
PAGES_FORMAT = 5
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
        self._pending: list[tuple[str, bytes]] = []

    def begin(self, *, open_file: bool = True) -> None:
        """Start a build: look at what is stored now (nothing, without `open_file`)."""
        self.finish()
        self._used = set()
        self._present = set()
        if not open_file:
            return
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
        if version != PAGES_FORMAT or columns != ["key", "html"]:
            db.execute("DROP TABLE IF EXISTS pages")
            # `html`: the page as `compress_page` makes it.
            db.execute("CREATE TABLE pages (key TEXT PRIMARY KEY, html BLOB NOT NULL)")
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

    def read(self, key: str) -> str | None:
        """The stored page, or None if it cannot be read after all."""
        return self.unpack(self.read_many([key]).get(key))

    def read_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored pages of `keys` that can be read, still compressed (`unpack` each):
        one query for many pages costs about half as much as one query each."""
        if self._db is None or not keys:
            return {}
        rows: dict[str, bytes] = {}
        try:
            for start in range(0, len(keys), _MAX_QUERY_KEYS):
                chunk = keys[start : start + _MAX_QUERY_KEYS]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, html FROM pages WHERE key IN ({marks})"
                rows.update(self._db.execute(query, chunk))
        except sqlite3.Error:
            return {}
        return rows

    @staticmethod
    def unpack(stored: bytes | None) -> str | None:
        """A page of `read_many`, or None if it cannot be read."""
        if stored is None:
            return None
        try:
            return decompress_page(stored)
        except (lz4.block.LZ4BlockError, UnicodeDecodeError, TypeError, ValueError):
            return None

    def store(self, key: str, page: bytes) -> None:
        """Keep `page` (from `compress_page`) under `key` (committed by `prune`)."""
        self._used.add(key)
        if self._db is not None:
            # Inserted all at once by `prune`: one statement for thousands of pages.
            self._pending.append((key, page))

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
            db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)", self._pending)
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used VALUES (?)", ((key,) for key in self._used))
            removed = db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
            count = removed.rowcount
            db.commit()
        except sqlite3.Error:
            count = 0
        self.finish()
        return count
