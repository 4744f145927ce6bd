"""Writing a file so that a reader sees the old file or the whole new one, never half of one.

Tips (`tipweek new`, `tipweek import`) and caches (`.cache/tipweek/`) are both
written this way: the text goes to a temp file in the same folder (so the
final rename or link never crosses file systems), then takes the file's name
in one step.  The one difference is `durable`: an editor's tip is synced to
disk before it takes its name, a cache is not (a cache lost in a crash is
only rebuilt, and an fsync per build would cost more than it saves).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Temp files are hidden (`.name.xxxx.tmp`), so a crash between write and rename
# leaves nothing that looks like a tip or a cache to the next reader.
_TEMP_SUFFIX = ".tmp"


def _write_temp(path: Path, text: str, *, durable: bool) -> str:
    """Write `text` to a new temp file beside `path`; return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); the file it becomes is an ordinary one.
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def create_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Create `path` with `text`; raise FileExistsError if the name is taken.

    The temp file is hard-linked into place: linking fails if the name exists
    (no overwrite, even in a race with another writer), and a reader never
    sees a partial file.
    """
    temp = _write_temp(path, text, durable=durable)
    try:
        os.link(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def replace_atomically(path: Path, text: str, *, durable: bool = False) -> None:
    """Write `path`, replacing it if present, in one rename.  Raises OSError."""
    temp = _write_temp(path, text, durable=durable)
    try:
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
