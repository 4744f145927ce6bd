"""The output folder: refused when building into it would delete sources.

MkDocs empties the folder it builds into; with `site_dir: tips` it would
delete every tip.  `site_dir_problem` names such a folder before anything is
touched, for the plugin and `tipweek check` alike.  How a build then writes the
folder whole or not at all is `tipweek.mkdocs.publishing`.
"""

from __future__ import annotations

import os
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


