"""The output folder: refused before a build when it cannot be built into; the
file-system errors of a build, in one line.

MkDocs empties the folder it builds into; with `site_dir: tips` it would
delete every tip.  `site_dir_problem` names such a folder before anything is
touched, for the plugin and `tipweek check` alike.  MkDocs then writes with no
check of its own: a `site_dir` that is a plain file stops the build with
`NotADirectoryError` from deep inside MkDocs, a read-only one with
`PermissionError`, a full disk with `OSError: [Errno 28]` wherever the last byte
did not fit.  `unwritable_site_dir` finds the first two before anything is
touched (the previous site stays); a full disk can only be found when it
happens, and `os_error_message` turns it into the one line the plugin reports.
How a build writes the folder whole or not at all is `tipweek.mkdocs.publishing`.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


class SiteDirError(Exception):
    """`site_dir` cannot be used; the message is one line for the editor."""


def site_dir_problem(site_dir: Path, sources: Mapping[str, Path]) -> str | None:
    """Why `site_dir` must not be built into, or None.

    `sources` names folders that hold sources (tips, docs, the theme's
    custom_dir, the folder of mkdocs.yml, the git work tree): `site_dir` may
    not be one of them, inside one of them that MkDocs would not expect (tips,
    docs, custom_dir), or contain one.  Inside the folder of mkdocs.yml (the
    usual `site/`) is fine.
    """
    site = _real(site_dir)
    if site.exists() and not site.is_dir():
        return f"site_dir {site_dir} is a file, not a folder; move it away or set site_dir"
    folders = {name: _real(source) for name, source in sources.items()}
    for name, folder in folders.items():  # the most precise message first
        if site == folder:
            return f"site_dir {site_dir} is the {name}; building would delete it"
    for name, source in sources.items():
        folder = folders[name]
        if _inside(folder, site):
            return f"site_dir {site_dir} contains the {name} ({source}); building would delete it"
        project_root = name in ("folder of mkdocs.yml", "git work tree")
        if not project_root and _inside(site, folder):
            return f"site_dir {site_dir} is inside the {name} ({source})"
    return None


def source_folders(
    root: Path, tips_dir: Path, docs_dir: Path, custom_dir: Path | None
) -> dict[str, Path]:
    """The folders `site_dir_problem` guards, by the names its messages give them:
    the tips, the docs, the theme's custom_dir, the folder of mkdocs.yml (`root`) and
    the git work tree holding it."""
    folders = {"tips folder": tips_dir, "docs folder": docs_dir, "folder of mkdocs.yml": root}
    if custom_dir is not None:
        folders["theme's custom_dir"] = custom_dir
    work_tree = git_work_tree(root)
    if work_tree is not None:
        folders["git work tree"] = work_tree
    return folders


def git_work_tree(start: Path) -> Path | None:
    """The root of the git work tree holding `start`, if any (a `.git` entry above it)."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _inside(child: Path, parent: Path) -> bool:
    return child != parent and parent in child.parents


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
