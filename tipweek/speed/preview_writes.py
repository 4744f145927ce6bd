"""Under `mkdocs serve`: a rebuild writes only the files an edit changed.

MkDocs empties the preview folder before every rebuild and writes every file
again; at 2,000 tips that is some 5,000 files and 100 MB a save, and a whole
new staged copy of them when tipweek stages the site.  In the preview nothing
reads the folder but the preview's own server, so it is built in place:

- MkDocs' clean is pointed at an empty scratch folder (a dot-folder inside the
  preview, which MkDocs' clean leaves alone), and every file is then pointed
  back at the preview folder (`compat.redirect_outputs`);
- a page, feed or theme file whose bytes are those written last time is not
  written again (`compat.watch_writes`); the digests live in memory for the
  serve session only, and a file gone from disk is always written;
- what the previous rebuild wrote and this one did not (a tip renamed or taken
  out) is deleted after the rebuild.  Files written by other means (another
  plugin's images, Pagefind's index) are never deleted here.

What is given up: a rebuild that fails halfway leaves the preview with some
pages new and some old, as plain MkDocs does; `mkdocs build` still stages the
site and swaps it in whole.  `TIPWEEK_WITHOUT=preview-writes` stages the
preview like a build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from tipweek.mkdocs import compat

SCRATCH = ".tipweek-clean"


class PreviewWrites:
    """One `mkdocs serve` session's preview folder, written in place."""

    def __init__(self, live: Path) -> None:
        self.live = Path(os.path.abspath(live))
        self.scratch = self.live / SCRATCH
        self._digests: dict[str, bytes] = {}  # path -> digest of the bytes written there
        self._previous: set[str] = set()  # every output of the last finished rebuild
        self._written: set[str] = set()  # this rebuild's writes, skipped ones included
        self._undo: contextlib.ExitStack | None = None
        self.skipped = 0

    def begin(self) -> str:
        """`on_config`: the folder MkDocs should clean (empty); writes are watched."""
        self.end()
        self.scratch.mkdir(parents=True, exist_ok=True)
        self._written = set()
        self.skipped = 0
        self._undo = contextlib.ExitStack()
        self._undo.enter_context(compat.watch_writes(self._write))
        return str(self.scratch)

    def take_files(self, files: Iterable[object]) -> str:
        """First in `on_files`: MkDocs' files go to the preview folder, not the scratch."""
        compat.redirect_outputs(files, str(self.scratch), str(self.live))
        return str(self.live)

    def _write(self, write, content: bytes, path: str) -> None:  # type: ignore[no-untyped-def]
        path = os.path.abspath(path)
        digest = hashlib.blake2b(content, digest_size=16).digest()
        self._written.add(path)
        if self._digests.get(path) == digest and os.path.isfile(path):
            self.skipped += 1
            return
        write(content, path)
        self._digests[path] = digest

    def finish(self, outputs: Iterable[str]) -> int:
        """`on_post_build`: delete what the last rebuild wrote and this one did not;
        returns how many files were deleted."""
        current = self._written | {os.path.abspath(path) for path in outputs}
        gone = sorted(self._previous - current)
        for path in gone:
            self._digests.pop(path, None)
            with contextlib.suppress(OSError):
                os.unlink(path)
            _remove_empty_parents(Path(path).parent, self.live)
        self._previous = current
        self.end()
        return len(gone)

    def end(self) -> None:
        """Stop watching writes (after a rebuild, failed or not)."""
        if self._undo is not None:
            self._undo.close()
            self._undo = None


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
