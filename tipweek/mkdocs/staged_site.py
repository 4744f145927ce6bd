"""A staged site: written whole or not at all.

A build never writes into `site_dir` itself.  It writes into a staging folder
beside it (`.<name>.tipweek-new`), and only when the build has succeeded are
the two exchanged whole (`tipweek.system.folders.exchange`: one system call on
Linux and macOS, three renames elsewhere), so a web server or a deploy step
reading `site_dir` sees the whole old site or the whole new one, whatever
stops the build: an error, `kill -9`, Ctrl-C, a full disk.  The build holds
its project's lock meanwhile (`tipweek.system.build_lock`, taken by
`publishing.Publisher`), so two builds of one project never stage at once.

The old site is not deleted when the new one goes in: on a disk, deleting
some 8,000 files and folders of a 2,000-tip site takes about a second, half
a warm build.  It is renamed to `.<name>.tipweek-old` (with a `.gitignore`
inside, so git never offers it for a commit), and the next build deletes it
in a forked process while it reads the configuration and the tips, when one
core is idle; that build waits for it before it exits, so nothing outlives a
build.

Nothing here imports MkDocs: `publishing.Publisher` stages in `on_config`
and swaps last in `on_post_build`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tipweek.core.site_dir import SiteDirError
from tipweek.system.folders import exchange
from tipweek.system.processes import fork_if_safe as _fork_if_safe

STAGING_SUFFIX = ".tipweek-new"
PREVIOUS_SUFFIX = ".tipweek-old"
#: Folders being deleted: `.<name>.tipweek-gone-<n>`.
_GONE_INFIX = ".tipweek-gone-"
#: In the name of every folder a build puts beside `site_dir`.
_MARK = ".tipweek-"


class StagedSite:
    """Stage a build beside `site_dir`, then swap it in whole.

    `begin()` removes what a killed build left, starts deleting the site before
    last, and returns the empty staging folder to build into.  `publish()`
    exchanges it with `site_dir` and keeps the old site as `previous`;
    `abandon()` removes the staging folder and leaves `site_dir` as it was.
    Both wait for the deletion.  `discard_leftovers()`
    deletes what a preview leaves beside its temporary `site_dir` when it stops.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(os.path.abspath(site_dir))
        name = self.site_dir.name
        self.staging = self.site_dir.with_name(f".{name}{STAGING_SUFFIX}")
        self.previous = self.site_dir.with_name(f".{name}{PREVIOUS_SUFFIX}")
        self._gone_prefix = f".{name}{_GONE_INFIX}"
        self._remover: int | None = None  # the process deleting old sites

    def begin(self) -> Path:
        parent = self.site_dir.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            _remove(self.staging)
            self.staging.mkdir()
            self._remove_in_background(self._set_aside_old_sites())
        except OSError as error:
            raise SiteDirError(f"cannot prepare {self.staging}: {_reason(error)}") from None
        return self.staging

    def _set_aside_old_sites(self) -> list[Path]:
        """The site before last, under a name of its own, and what a killed deletion left:
        the folders to delete.  `previous` is free again for `publish`."""
        parent = self.site_dir.parent
        prefix = self._gone_prefix
        gone = [parent / entry for entry in os.listdir(parent) if entry.startswith(prefix)]
        if os.path.lexists(self.previous):
            number = len(gone)
            while os.path.lexists(target := parent / f"{prefix}{os.getpid()}-{number}"):
                number += 1  # a name a killed build left (its process number, reused)
            os.rename(self.previous, target)
            gone.append(target)
        return gone

    def _remove_in_background(self, folders: list[Path]) -> None:
        """Delete `folders` in a forked process (here, if forking is not safe: with
        other threads running, such as `mkdocs serve`'s, or without `fork`)."""
        if not folders:
            return
        pid = _fork_if_safe()
        if pid is None:
            for folder in folders:
                _remove(folder)
            return
        if pid == 0:  # the child: delete, and leave without running any of the build's code
            try:
                for folder in folders:
                    with contextlib.suppress(OSError):
                        _remove(folder)
            finally:
                os._exit(0)
        self._remover = pid

    def _wait_for_removal(self) -> None:
        if self._remover is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._remover, 0)
            self._remover = None

    def publish(self) -> None:
        """Make the staged site the site; the old one is kept as `previous`, and deleted
        by the next build."""
        try:
            if self.site_dir.is_dir() and not self.site_dir.is_symlink():
                exchange(self.staging, self.site_dir)
                self._keep_as_previous(self.staging)  # now the old site
            else:
                if self.site_dir.is_symlink() or self.site_dir.exists():
                    self.site_dir.unlink()
                os.rename(self.staging, self.site_dir)
        except OSError as error:
            raise SiteDirError(
                f"cannot move the new site into {self.site_dir}: {_reason(error)}"
            ) from None
        finally:
            self._wait_for_removal()

    def _keep_as_previous(self, old_site: Path) -> None:
        try:
            os.rename(old_site, self.previous)
        except OSError:
            _remove(old_site)
            return
        with contextlib.suppress(OSError):  # git would otherwise offer it for a commit
            (self.previous / ".gitignore").write_text(
                "# The site before the last build; the next build deletes it (tipweek).\n*\n",
                encoding="utf-8",
            )

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            _remove(self.staging)
        self._wait_for_removal()

    def discard_leftovers(self) -> None:
        """Delete the staging folder, the site before last and any deletion cut short:
        for a preview whose temporary `site_dir` goes when it stops."""
        self.abandon()
        parent = self.site_dir.parent
        with contextlib.suppress(OSError):
            for entry in os.listdir(parent):
                if entry == self.previous.name or entry.startswith(self._gone_prefix):
                    with contextlib.suppress(OSError):
                        _remove(parent / entry)


def remove_orphans(folder: Path, prefix: str) -> None:
    """Delete what builds into `folder/<prefix>…` left beside a site that is gone: the
    staging folders and old sites of previews killed outright (`kill -9`), whose
    temporary site_dir no longer exists.  A site that exists keeps its own."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if not entry.startswith(f".{prefix}") or _MARK not in entry:
            continue
        if os.path.lexists(folder / entry[1 : entry.index(_MARK)]):
            continue
        with contextlib.suppress(OSError):
            _remove(folder / entry)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        import shutil  # here, not at the top: `tipweek check` imports this module

        shutil.rmtree(path)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
