"""Each tip's email edition kept by a digest of everything it shows.

Making an edition costs about a millisecond a tip (sanitising the body, making
its URLs absolute, inlining the styles): two seconds at 2,000 tips, in every
build and every save under `mkdocs serve`, for editions that did not change.
`tipweek.email.site_files` describes each edition by its view (title, date,
URLs, body, buttons, the site's email settings: everything the edition shows)
and asks this store for the bytes made from an identical view before; the key
adds tipweek's own code, so a new version makes every edition again.  Found
editions are kept in memory for the rest of a `mkdocs serve` session and on
disk, in the page cache's kind of file (`email-<command>.sqlite`: LZ4-compressed
HTML, nothing executed), for the next build.  The newest tips' editions, which
the email feed carries, are always made afresh.

`TIPWEEK_WITHOUT=email-cache` makes every edition in every build.
"""

from __future__ import annotations

from pathlib import Path

from tipweek.cache.inputs import code_digest
from tipweek.cache.markdown_cache import fingerprint
from tipweek.cache.page_cache import PageCache, compress_page


def editions_file(cache_dir: Path, command: str) -> Path:
    """The store of `command`'s editions (`build` and `serve` show different tips)."""
    return cache_dir / f"email-{command}.sqlite"


class EmailEditions:
    """Editions by key: in memory across `mkdocs serve` rebuilds, on disk across builds."""

    def __init__(self) -> None:
        self._memory: dict[str, bytes] = {}
        self._used: dict[str, bytes] = {}
        self._disk: PageCache | None = None
        self.made = 0
        self.found = 0
        self._code = ""

    def begin(self, path: Path) -> None:
        """Start a build: open the file at `path` (once per path)."""
        if self._disk is None or self._disk.path != path:
            self._disk = PageCache(path)
        self._disk.begin()
        self._used = {}
        self.made = self.found = 0
        # tipweek's own code, once a build: a new version makes every edition again.
        self._code = code_digest()

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """The editions made before from the views `keys` describe, by key."""
        full = {key: self._stored_key(key) for key in keys}
        found: dict[str, bytes] = {}
        wanted = []
        for key, stored in full.items():
            if stored in self._memory:
                found[key] = self._memory[stored]
            elif self._disk is not None and self._disk.has(stored):
                wanted.append(stored)
        rows = self._disk.read_many(wanted) if self._disk is not None and wanted else {}
        by_stored = {stored: key for key, stored in full.items()}
        for stored, row in rows.items():
            page = self._disk.unpack(row) if self._disk is not None else None
            if page is not None:
                found[by_stored[stored]] = page.encode("utf-8")
        for key, document in found.items():
            self._used[full[key]] = document
        self.found += len(found)
        return found

    def put(self, key: str, document: bytes) -> None:
        key = self._stored_key(key)
        self._used[key] = document
        self.made += 1
        if self._disk is not None:
            self._disk.store(key, compress_page(document.decode("utf-8")))

    def _stored_key(self, key: str) -> str:
        return fingerprint("tipweek-email", self._code, key)

    def finish(self) -> None:
        """The build is done: keep this build's editions, in memory and on disk."""
        if self._disk is None:
            return  # switched off: nothing was begun
        self._memory = self._used
        self._disk.prune()

    def abandon(self) -> None:
        if self._disk is not None:
            self._disk.finish()


