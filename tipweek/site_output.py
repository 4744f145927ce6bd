"""Writing tipweek's pages into the site directory: in the background, and only when changed.

MkDocs empties `site_dir` at the start of every build and writes every page
again.  For a tip archive that means thousands of folders (`/YYYY/MM/DD/slug/`)
deleted and created again after every edit; on the disks measured for the
README that file-system work costs as much as rendering the pages.  So, for
the files tipweek makes itself:

- Each page's bytes go to a background thread, which writes them while the
  build renders the next page, and skips a page whose file already holds
  exactly those bytes (same size, same modification time as when tipweek
  wrote it, same digest).
- A manifest (`.cache/tipweek/output/<hash of site_dir>.json`) remembers the
  files tipweek made, and the top-level folders that held nothing else (the
  years, `page/`, `tags/`).  Before MkDocs empties `site_dir`, `set_aside`
  moves those folders into `site_dir/.tipweek-kept/` (MkDocs never deletes a
  hidden entry); once it has, `restore` moves back the ones that still hold
  only tipweek's files.  Everything else is cleaned and written by MkDocs as
  usual.
- `finish` deletes the files tipweek made last time and not this time (a
  deleted tip, a renamed slug, a page beyond the new last one), so the site
  is what a build into an empty folder makes; the tests compare both.

Like the other caches this module knows nothing about MkDocs: it moves,
writes, compares and deletes files.  A missing or unreadable manifest only
means a full write, as in a first build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tipweek.cache import fingerprint

#: Bump when the manifest's layout changes; older files are then ignored.
MANIFEST_FORMAT = 1
#: The manifests' folder, under .cache/tipweek/.
OUTPUT_DIR = "output"
#: Where tipweek's folders wait while MkDocs empties site_dir (hidden: MkDocs keeps it).
KEPT_DIR = ".tipweek-kept"


@dataclass(frozen=True)
class Written:
    """A file as tipweek left it: enough to tell, without reading it, that it is unchanged."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class Summary:
    """What `finish` did: pages written, pages found unchanged on disk, stale files deleted."""

    written: int
    unchanged: int
    removed: int


@dataclass
class Manifest:
    """What the last build into one site_dir left there."""

    site_dir: str
    written: dict[str, Written]
    owned: set[str]
    pure_dirs: set[str]

    @classmethod
    def empty(cls, site_dir: Path) -> Manifest:
        return cls(str(site_dir), {}, set(), set())

    @classmethod
    def load(cls, path: Path, site_dir: Path) -> Manifest:
        """The manifest in `path` if it describes `site_dir`, else an empty one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != MANIFEST_FORMAT or data["site_dir"] != str(site_dir):
                return cls.empty(site_dir)
            written = {
                str(name): Written(int(size), int(mtime), str(digest))
                for name, (size, mtime, digest) in data["written"].items()
            }
            owned = {str(name) for name in data["owned"]}
            pure_dirs = {str(name) for name in data["pure_dirs"]}
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return cls.empty(site_dir)
        return cls(str(site_dir), written, owned, pure_dirs)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": MANIFEST_FORMAT,
            "site_dir": self.site_dir,
            "written": {
                name: [entry.size, entry.mtime_ns, entry.digest]
                for name, entry in sorted(self.written.items())
            },
            "owned": sorted(self.owned),
            "pure_dirs": sorted(self.pure_dirs),
        }
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


def pure_dirs(owned: set[str], others: set[str]) -> set[str]:
    """Top-level folders that hold some of `owned` and none of `others` (site-relative paths)."""

    def tops(paths: set[str]) -> set[str]:
        return {path.split("/", 1)[0] for path in paths if "/" in path}

    return tops(owned) - tops(others)


def manifest_path(cache_dir: Path, site_dir: Path) -> Path:
    return cache_dir / f"{fingerprint(str(site_dir))[:20]}.json"


class SiteOutput:
    """tipweek's files in one `site_dir`, written and cleaned up incrementally.

    The order of calls in a build: `set_aside` (before MkDocs empties
    site_dir), `restore` (after), `write` for each page, `finish`.  After a
    failed build, `abandon` puts everything back where it was.
    """

    def __init__(self, site_dir: Path, cache_dir: Path) -> None:
        self.site_dir = site_dir
        self.manifest_path = manifest_path(cache_dir, site_dir)
        self.previous = Manifest.load(self.manifest_path, site_dir)
        self.written: dict[str, Written] = {}
        self.unchanged = 0
        self._kept: list[str] = []
        self._pure: set[str] = set()
        self._writer: ThreadPoolExecutor | None = None
        self._futures: list[Future[None]] = []

    @property
    def kept_root(self) -> Path:
        return self.site_dir / KEPT_DIR

    def set_aside(self) -> None:
        """Move last build's tipweek-only folders out of MkDocs' way."""
        if self.kept_root.exists():  # left by a build that was killed
            shutil.rmtree(self.kept_root, ignore_errors=True)
        for name in sorted(self.previous.pure_dirs):
            folder = self.site_dir / name
            if folder.is_dir() and not folder.is_symlink():
                self.kept_root.mkdir(exist_ok=True)
                os.replace(folder, self.kept_root / name)
                self._kept.append(name)

    def restore(self, pure: set[str]) -> None:
        """After MkDocs emptied site_dir: bring back the folders still only tipweek's.

        The others (a docs page now lives in `2019/`, say) are deleted, so
        MkDocs' clean start holds for them.
        """
        for name in self._kept:
            if name in pure and not os.path.lexists(self.site_dir / name):
                os.replace(self.kept_root / name, self.site_dir / name)
        self._kept = []
        shutil.rmtree(self.kept_root, ignore_errors=True)
        self._pure = pure

    def abandon(self) -> None:
        """The build failed: wait for the writer, and put set-aside folders back."""
        self._wait(raise_errors=False)
        for name in self._kept:
            with contextlib.suppress(OSError):
                if not os.path.lexists(self.site_dir / name):
                    os.replace(self.kept_root / name, self.site_dir / name)
        self._kept = []
        shutil.rmtree(self.kept_root, ignore_errors=True)

    def write(self, path: str, data: bytes) -> None:
        """Write `data` to `path` (in site_dir) in the background, unless it is there already."""
        relative = Path(path).relative_to(self.site_dir).as_posix()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tipweek-site")
        self._futures.append(self._writer.submit(self._write, relative, path, data))

    def _write(self, relative: str, path: str, data: bytes) -> None:
        # blake2b releases the GIL for inputs this size, so hashing runs beside rendering.
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        before = self.previous.written.get(relative)
        if before is not None and before.digest == digest and before.size == len(data):
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                if stat.st_size == before.size and stat.st_mtime_ns == before.mtime_ns:
                    self.written[relative] = before
                    self.unchanged += 1
                    return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as stream:
            stream.write(data)
        stat = os.stat(path)
        self.written[relative] = Written(stat.st_size, stat.st_mtime_ns, digest)

    def _wait(self, *, raise_errors: bool) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        futures, self._futures = self._futures, []
        for future in futures:
            error = future.exception()
            if error is not None and raise_errors:
                raise error

    def finish(self, owned: set[str]) -> Summary:
        """Wait for every write, delete tipweek's files this build did not make, save
        the manifest.

        `owned` is every site-relative path tipweek made this build, pages,
        feeds and redirects alike.  Raises OSError if a page could not be
        written.
        """
        self._wait(raise_errors=True)
        removed = 0
        for relative in sorted(self.previous.owned - owned):
            path = self._inside(relative)
            if path is not None and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
                    self._prune_empty_parents(path)
        manifest = Manifest(str(self.site_dir), self.written, set(owned), self._pure)
        with contextlib.suppress(OSError):  # a missing manifest only costs a full write
            manifest.save(self.manifest_path)
            self._forget_vanished_sites()
        summary = Summary(len(self.written) - self.unchanged, self.unchanged, removed)
        self.previous, self.written, self.unchanged = manifest, {}, 0
        return summary

    def _forget_vanished_sites(self) -> None:
        """Delete the manifests of site folders that are gone (`mkdocs serve` builds into
        a new temporary folder each time it starts)."""
        for path in self.manifest_path.parent.glob("*.json"):
            if path == self.manifest_path:
                continue
            try:
                site_dir = json.loads(path.read_text(encoding="utf-8"))["site_dir"]
            except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
                site_dir = None
            if not isinstance(site_dir, str) or not os.path.isdir(site_dir):
                path.unlink(missing_ok=True)

    def _inside(self, relative: str) -> Path | None:
        """`relative` under site_dir, or None if it points anywhere else (a damaged manifest)."""
        path = Path(os.path.normpath(self.site_dir / relative))
        return path if path.is_relative_to(self.site_dir) and path != self.site_dir else None

    def _prune_empty_parents(self, path: Path) -> None:
        parent = path.parent
        while parent != self.site_dir and parent.is_relative_to(self.site_dir):
            try:
                parent.rmdir()  # only succeeds if empty
            except OSError:
                return
            parent = parent.parent
