"""Publishing: where a build writes, and when what it wrote becomes the site.

`Publisher` is the plugin's one object for it, from `on_config` to the end of
the build:

- `lock_project` takes the project's build lock (`tipweek.system.build_lock`):
  one build of a project at a time, a build and a preview taking turns;
- `begin` points MkDocs at a staging folder beside `site_dir`
  (`staged_site.StagedSite`), or, under `mkdocs serve`, at the preview folder
  itself, written in place by the `PreviewFolder` the plugin gives it
  (`tipweek.speed.preview_writes`);
- `publish`, the very last step of a build, swaps the staged site in whole, or
  deletes what a preview no longer has; `abandon`, on an error, leaves
  `site_dir` as it was.  Both release the lock.

`mkdocs build --strict` fails only after `on_post_build`, when the site would
already be swapped in: `StrictWarnings` counts the warnings that will fail it,
and the staged site is then thrown away instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from tipweek.core.site_dir import SiteDirError, unwritable_site_dir
from tipweek.mkdocs.staged_site import StagedSite, remove_orphans
from tipweek.system.build_lock import BuildLock

log = get_plugin_logger(__name__)

#: In the project's cache folder: held by the build of the project that runs.
BUILD_LOCK = "build.lock"
#: How `mkdocs serve` names its temporary site_dir (`tempfile.mkdtemp(prefix=…)`).
SERVE_PREFIX = "mkdocs_"


class PreviewFolder(Protocol):
    """A preview folder written in place (`tipweek.speed.preview_writes.PreviewWrites`)."""

    live: Path

    def begin(self) -> str: ...

    def take_files(self, files: Iterable[object]) -> str: ...

    def finish(self, outputs: Iterable[str]) -> int: ...

    def end(self) -> None: ...


class Publisher:
    """One project's builds, one after another (a serve session's rebuilds too)."""

    def __init__(self) -> None:
        self.lock = BuildLock(Path(BUILD_LOCK))  # made the project's in `lock_project`
        self.staged: StagedSite | None = None
        # This build's preview folder, written in place (`mkdocs serve`); None when staged.
        self.preview: PreviewFolder | None = None
        #: The site_dir mkdocs.yml names (MkDocs' own is pointed elsewhere while building).
        self.site_dir = ""
        self._config: MkDocsConfig | None = None
        self._warnings = StrictWarnings()
        self._swept = False  # the temp folder, of what killed previews left
        self._staging_folder = ""  # of the last build abandoned, to name it as the editor knows

    def lock_project(self, cache_dir: Path) -> None:
        """One build of this project at a time: a build and a preview take turns; two
        previews of two projects never wait for each other (the lock file is the
        project's, `.cache/tipweek/build.lock`, whatever folder site_dir is)."""
        path = cache_dir / BUILD_LOCK
        if self.lock.path != path:
            self.lock.release()
            self.lock = BuildLock(path)
        message = f"another build of this project holds {path}; waiting for it to finish"
        self.lock.acquire(lambda: log.info(message))

    def begin(
        self, config: MkDocsConfig, *, preview: PreviewFolder | None, serving: bool
    ) -> None:
        """Point MkDocs' site_dir at where this build writes: `preview`, if given (it is
        site_dir, written in place), or a staging folder beside site_dir."""
        site_dir = Path(config.site_dir)
        if serving and not self._swept and site_dir.name.startswith(SERVE_PREFIX):
            # Once per preview: what previews killed outright left beside their folders.
            remove_orphans(site_dir.parent, SERVE_PREFIX)
            self._swept = True
        self.site_dir = config.site_dir
        self._config = config
        self.preview = None  # a build cut short before `publish` or `abandon` left one
        if preview is not None:
            self._build_in_place(config, preview)
        else:
            self._stage(config)

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a staging folder beside site_dir; `publish` swaps it in whole
        (`staged_site.py`)."""
        # A file or a read-only folder there is one line, not a traceback.
        problem = unwritable_site_dir(Path(config.site_dir))
        if problem:
            raise PluginError(f"tipweek: {problem}; nothing was built")
        if self.staged is not None:  # a serve rebuild after an interrupted one
            self.staged.abandon()
        self.staged = StagedSite(Path(config.site_dir))
        try:
            staging = self.staged.begin()
        except SiteDirError as error:
            self.staged = None
            raise PluginError(f"tipweek: {error}") from None
        config.site_dir = str(staging)
        self._warnings.start(counting=bool(config.strict))

    def _build_in_place(self, config: MkDocsConfig, preview: PreviewFolder) -> None:
        """Under `mkdocs serve`: write only what changed into the preview folder, which
        nothing but the preview's server reads (see `tipweek.speed.preview_writes`)."""
        self.preview = preview
        # MkDocs empties the folder it is given before the build: give it an empty one.
        config.site_dir = preview.begin()

    @property
    def in_place(self) -> bool:
        """Whether this build writes into the preview folder itself."""
        return self.preview is not None

    def take_files(self, files: Iterable[object], config: MkDocsConfig) -> None:
        """First in `on_files`: a preview built in place writes MkDocs' files there."""
        if self.preview is not None:
            config.site_dir = self.preview.take_files(files)

    def output_folder(self, config: MkDocsConfig) -> Path:
        """Where this build's files go until `publish`: the staging folder, or the
        preview folder."""
        if self.preview is not None:
            return self.preview.live
        return Path(config.site_dir)

    def publish(self, config: MkDocsConfig, outputs: Iterable[str]) -> None:
        """The very last step of a build: the staged site becomes the site (a preview
        built in place deletes what it no longer has; `outputs` are this build's
        files); the lock is released."""
        try:
            self._swap_in(config, outputs)
        finally:
            self.lock.release()

    def _swap_in(self, config: MkDocsConfig, outputs: Iterable[str]) -> None:
        preview, self.preview = self.preview, None
        if preview is not None:
            config.site_dir = self.site_dir
            preview.finish(outputs)
            return
        staged, self.staged = self.staged, None
        if staged is None:
            return
        config.site_dir = self.site_dir  # for `gh-deploy` and whoever reads it next
        if self._warnings.stop():
            # `--strict` fails the build right after on_post_build: keep the old site.
            staged.abandon()
            return
        try:
            staged.publish()
        except SiteDirError as error:
            raise PluginError(f"tipweek: {error}") from None

    def abandon(self) -> None:
        """A failed build: the staged site goes, site_dir keeps the previous one; the
        lock is released."""
        preview, self.preview = self.preview, None
        if preview is not None:
            preview.end()
        self._warnings.stop()
        staged, self.staged = self.staged, None
        self._staging_folder = ""
        if staged is not None:
            if self.site_dir and self._config is not None:
                self._config.site_dir = self.site_dir
            self._staging_folder = str(staged.staging)
            staged.abandon()
        self.lock.release()

    def as_the_editor_knows(self, message: str) -> str:
        """`message` of the build `abandon` ended, naming site_dir, not its staging folder."""
        if self._staging_folder and self.site_dir:
            return message.replace(self._staging_folder, self.site_dir)
        return message

    def shut_down(self, *, serving: bool) -> None:
        """The process ends: a preview's temporary site_dir goes now (MkDocs deletes it),
        and so does what was staged or set aside beside it, in the temp folder."""
        if serving:
            if self.staged is not None:
                self.staged.abandon()
                self.staged = None
            if self.site_dir:
                StagedSite(Path(self.site_dir)).discard_leftovers()
        self.lock.release()  # a rebuild Ctrl-C stopped


class StrictWarnings(logging.Handler):
    """Counts MkDocs' warnings during a `--strict` build, which MkDocs turns into a
    failure only after `on_post_build`: the staged site must not be published then."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def start(self, *, counting: bool) -> None:
        self.stop()
        self.count = 0
        if counting:
            logging.getLogger("mkdocs").addHandler(self)

    def stop(self) -> int:
        logging.getLogger("mkdocs").removeHandler(self)
        return self.count
