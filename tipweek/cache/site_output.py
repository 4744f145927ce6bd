"""Writing tipweek's pages into the site directory: in the background, and only when changed.

MkDocs empties `site_dir` at the start of every build and writes every page
again.  For a tip archive that means thousands of folders (`/YYYY/MM/DD/slug/`)
deleted and created again after every edit; on the disks measured for the
README that file-system work costs as much as rendering the pages.  So, for
the files tipweek makes itself:

- Each page's bytes go to a helper process (`write_worker.py`), which writes
  them on another core while the build renders the next page, and skips a
  page whose file already holds exactly those bytes (same size, same
  modification time as when tipweek wrote it, same digest).
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
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tipweek.cache import write_worker
from tipweek.cache.render_cache import fingerprint
from tipweek.cache.write_worker import MANIFEST_FORMAT, Record
from tipweek.core.atomic_files import replace_atomically

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

#: The manifests' folder, under .cache/tipweek/.
OUTPUT_DIR = "output"
#: The helper's input pipe, in bytes (Linux's limit for unprivileged processes).
PIPE_SIZE = 1 << 20
#: Where tipweek's folders wait while MkDocs empties site_dir (hidden: MkDocs keeps it).
KEPT_DIR = ".tipweek-kept"


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
    #: Each page tipweek wrote: [size, mtime_ns, digest], enough to tell it is unchanged.
    written: dict[str, Record]
    owned: set[str]
    pure_dirs: set[str]

    @classmethod
    def empty(cls, site_dir: Path) -> Manifest:
        return cls(str(site_dir), {}, set(), set())

    @classmethod
    def load(cls, path: Path, site_dir: Path) -> Manifest:
        """The manifest in `path` if it describes `site_dir`, else an empty one."""
        data = write_worker.load_manifest(str(path), str(site_dir))
        try:
            owned = {str(name) for name in data["owned"]}
            pure_dirs = {str(name) for name in data["pure_dirs"]}
        except (KeyError, TypeError):
            return cls.empty(site_dir)
        return cls(str(site_dir), data["written"], owned, pure_dirs)

    def save(self, path: Path) -> None:
        data = {
            "format": MANIFEST_FORMAT,
            "site_dir": self.site_dir,
            "written": dict(sorted(self.written.items())),
            "owned": sorted(self.owned),
            "pure_dirs": sorted(self.pure_dirs),
        }
        replace_atomically(path, json.dumps(data, separators=(",", ":")))


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
        self.written: dict[str, Record] = {}
        self.unchanged = 0
        self._kept: list[str] = []
        self._pure: set[str] = set()
        self._worker: subprocess.Popen[bytes] | None = None
        self._worker_failed = False

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
        self._bring_back(name for name in self._kept if name in pure)
        self._pure = pure

    def abandon(self) -> None:
        """The build failed: wait for the writer, and put set-aside folders back."""
        self._wait(raise_errors=False)
        if self.written:  # remember what was written, so a later build can remove it
            self.previous.written.update(self.written)
            self.previous.owned.update(self.written)
            with contextlib.suppress(OSError):
                self.previous.save(self.manifest_path)
            self.written, self.unchanged = {}, 0
        self._bring_back(self._kept)

    def _bring_back(self, names: Iterable[str]) -> None:
        """Move set-aside folders `names` back into site_dir; delete whatever is left."""
        for name in names:
            with contextlib.suppress(OSError):
                if not os.path.lexists(self.site_dir / name):
                    os.replace(self.kept_root / name, self.site_dir / name)
        self._kept = []
        shutil.rmtree(self.kept_root, ignore_errors=True)

    def write(self, relative: str, data: bytes) -> None:
        """Have `relative` (a site-relative path such as `2025/07/01/x/index.html`) hold
        `data`; written in the background unless it does."""
        stream = self._worker_input()
        if stream is None:  # no helper: write it now
            self._write_here(relative, data)
            return
        with contextlib.suppress(BrokenPipeError):  # the worker failed: `finish` says why
            write_worker.send(stream, relative, data)

    def prepare_folders(self, folders: Iterable[str]) -> None:
        """Have the helper create these site-relative folders now, ahead of their pages."""
        stream = self._worker_input()
        if stream is None:
            return  # each page's folder is made with the page
        with contextlib.suppress(BrokenPipeError):
            for folder in sorted(set(folders)):
                write_worker.send(stream, folder.rstrip("/") + "/", b"")
            stream.flush()

    def _worker_input(self) -> IO[bytes] | None:
        """The helper's input, starting it on first use; None if it cannot run."""
        if self._worker is None and not self._worker_failed:
            self._worker = self._start_worker()
            self._worker_failed = self._worker is None
        return None if self._worker is None else self._worker.stdin

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        # The previous manifest tells the worker which pages are on disk already.
        with contextlib.suppress(OSError):
            self.previous.save(self.manifest_path)
        command = [sys.executable, "-I", write_worker.__file__]
        try:
            worker = subprocess.Popen(
                [*command, str(self.site_dir), str(self.manifest_path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError:
            return None
        _widen_pipe(worker.stdin)
        return worker

    def _write_here(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.site_dir, *relative.split("/"))
        record, changed = write_worker.write_page(path, data, self.previous.written.get(relative))
        self.written[relative] = record
        self.unchanged += not changed

    def _wait(self, *, raise_errors: bool) -> None:
        worker, self._worker = self._worker, None
        self._worker_failed = False
        if worker is None:
            return
        output, errors = worker.communicate()  # closes stdin: the worker's input ends
        if worker.returncode != 0:
            if raise_errors:
                message = errors.decode("utf-8", "replace").strip() or f"exit {worker.returncode}"
                raise OSError(f"writing pages into {self.site_dir} failed: {message}")
            return
        try:
            result = json.loads(output)
            self.written.update(result["written"])
            self.unchanged += int(result["unchanged"])
        except (ValueError, KeyError, TypeError) as error:
            if raise_errors:
                raise OSError(f"writing pages into {self.site_dir}: bad report: {error}") from error

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


def _widen_pipe(stream: IO[bytes] | None) -> None:
    """Give the helper's input pipe 1 MiB (Linux) instead of 64 KiB.

    Creating a folder takes the helper a few hundred microseconds on some disks,
    sending it takes the build a few: with the default pipe the build waits,
    frame by frame, for the thousands of folders it sends ahead of the pages.
    A wider pipe holds them all, and lets the build run dozens of pages ahead.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if stream is None or set_size is None:
        return
    with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size: keep the default
        fcntl.fcntl(stream.fileno(), set_size, PIPE_SIZE)
