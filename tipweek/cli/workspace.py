"""The site a CLI command works on, and the conventions every command shares.

Every subcommand (`new`, `check`, `queue`, `import`, ...) receives a `Workspace`:
the site's settings, read from mkdocs.yml without MkDocs, and the folder the
user stands in, so paths are shown as the user would type them.  It lives in
its own module, not in `cli/main.py`, so the importer can use it without an
import cycle (main imports every command; no command imports main).

Exit codes follow a compiler's: 0 all is well, 1 problems were found, 2 the
command line cannot be carried out as written (`UsageError`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tipweek.core.dates import build_now
from tipweek.core.project import Project, load_project, queue_start
from tipweek.core.settings import (
    Settings,
    default_settings,
    find_config,
    load_settings,
)
from tipweek.core.tips import Reading, TipError
from tipweek.speed import quick_front_matter

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit 2, with the usage)."""


@dataclass
class Workspace:
    """The site a command works on, and how to show its paths from where the user stands."""

    settings: Settings
    cwd: Path

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def tips_dir(self) -> Path:
        return self.root / self.settings.tips_dir

    def load(self) -> Project:
        """Every tip and side file, validated exactly as `mkdocs build` validates them."""
        settings = self.settings
        now = build_now(settings.tz)
        return load_project(
            self.root,
            settings.tips_dir,
            settings.tz,
            authors_file=settings.authors_file,
            tags_file=settings.tags_file,
            strict_tags=settings.strict_tags,
            scheme=settings.scheme,
            per_page=settings.per_page,
            page_urls=settings.page_urls,
            publish_weekday=settings.publish_weekday,
            queue_from=queue_start(now),
            theme_dirs=settings.theme_dirs,
            now=now,
            reading=Reading(quick_front_matter=quick_front_matter.chosen()),
        )

    def show(self, path: Path) -> str:
        """A path as the user should type it: relative to the current folder."""
        return Path(os.path.relpath(path, self.cwd)).as_posix()

    def diagnostic(self, problem: TipError) -> str:
        """`path:line: severity: message`, the path made relative to the current folder."""
        path = problem.path
        if self.root != self.cwd and not Path(path).is_absolute():
            path = self.show(self.root / path)
        return f"{path}:{problem.line}: {problem.severity}: {problem.message}"


def load_workspace(config: str | None, cwd: Path) -> Workspace:
    """The site in `cwd` (or the one `--config` names); raises TipError for a bad mkdocs.yml."""
    if config is None:
        found = find_config(cwd)
        if found is None:
            return Workspace(default_settings(cwd), cwd)
        return Workspace(load_settings(found, found.name), cwd)
    path = cwd / config
    if not path.is_file():
        raise UsageError(f"--config {config}: no such file")
    return Workspace(load_settings(path, config), cwd)
