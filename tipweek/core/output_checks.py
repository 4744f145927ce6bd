"""The site folder must be writable before a build starts; disk errors in one line.

MkDocs empties `site_dir`, then writes into it, with no check of its own: a
`site_dir` that is a plain file stops the build with `NotADirectoryError`
from deep inside MkDocs, a read-only one with `PermissionError`, a full disk
with `OSError: [Errno 28]` wherever the last byte did not fit.  `site_dir_problem`
finds the first two before anything is touched (the previous site stays); a
full disk can only be found when it happens, and `os_error_message` turns it
into the one line the plugin reports.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

_HINTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "a file name is too long for the file system",
    errno.ENOTDIR: "a file is where a folder must be",
    errno.EISDIR: "a folder is where a file must be",
}


def unwritable_site_dir(site_dir: Path) -> str | None:
    """Why nothing can be written into `site_dir`, or None if a test file could be."""
    folder = site_dir
    while not folder.exists():  # the nearest existing folder is where it will be created
        if folder.parent == folder:
            break
        folder = folder.parent
    if not folder.is_dir():
        what = "site_dir" if folder == site_dir else f"site_dir {site_dir}: its parent"
        return f"{what} {folder} is a file, not a folder; move it away or set site_dir"
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".tipweek-probe-"):
            pass
    except OSError as error:
        error.filename = None  # the probe's name means nothing to the reader
        where = site_dir if folder == site_dir else f"{site_dir} (in {folder})"
        return f"cannot write into site_dir {where}: {os_error_message(error)}"
    return None


def os_error_message(error: OSError) -> str:
    """`cannot write /x/site/a.html: the disk is full (No space left on device)`, on one line."""
    reason = error.strerror or str(error)
    hint = _HINTS.get(error.errno or 0)
    detail = f"{hint} ({reason})" if hint and hint.lower() != reason.lower() else reason
    # A failed copy names the source, then the destination: the destination is what did not fit.
    where = error.filename2 if error.filename2 is not None else error.filename
    if where is None:
        return detail
    return f"{os.fsdecode(where) if isinstance(where, bytes) else where}: {detail}"
