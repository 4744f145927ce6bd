"""MkDocs side of `site_output`: tipweek's pages are written by `SiteOutput`, not by MkDocs.

MkDocs writes each page with `utils.write_file(output, page.file.abs_dest_path)`
right after the last `on_post_page` handler, and has no hook to write it
elsewhere.  So the plugin's last `on_post_page` handler gives the page's bytes
to `SiteOutput` and points that page's `abs_dest_path` at the null device for
MkDocs' own write; `finish`, the first `on_post_build` handler, waits for the
writes and puts every path back, so other plugins' `on_post_build` handlers
find each page where it belongs, on disk.

This needs a null device inside a folder (`/dev/null`; MkDocs creates the
folder of every path it writes).  Where there is none (Windows), MkDocs writes
the pages itself, as it would without tipweek.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from tipweek.cache.site_output import SiteOutput, Summary, pure_dirs

SUPPORTED = bool(os.path.dirname(os.devnull))


class PageWrites:
    """One site_dir's incremental output across builds (and `mkdocs serve` rebuilds)."""

    def __init__(self, site_dir: Path, cache_dir: Path) -> None:
        self.output = SiteOutput(site_dir, cache_dir)
        self._owned: set[str] = set()
        self._redirected: list[tuple[File, str]] = []

    def before_clean(self, *, dirty: bool) -> None:
        """Last `on_pre_build` handler: MkDocs empties site_dir next (unless `--dirty`)."""
        self._owned = set()
        self._redirected = []
        if not dirty:
            self.output.set_aside()

    def after_clean(self, files: Files, owned: Iterable[File]) -> None:
        """Last `on_files` handler: every file of the build is known."""
        owned = list(owned)
        self._owned = {file.dest_uri for file in owned}
        others = {file.dest_uri for file in files if file.dest_uri not in self._owned}
        self.output.restore(pure_dirs(self._owned, others))
        # Folders first: the helper makes them while the pages are rendered.
        self.output.prepare_folders(
            posixpath.dirname(file.dest_uri) for file in owned if "/" in file.dest_uri
        )

    def take(self, page: Page, output_html: str) -> None:
        """Last `on_post_page` handler: write the page ourselves, and MkDocs' copy nowhere."""
        if not output_html.strip():  # MkDocs skips an empty page; so do we
            return
        file = page.file
        # The same encoding as MkDocs' own write, so the bytes are the same.
        self.output.write(file.dest_uri, output_html.encode("utf-8", "xmlcharrefreplace"))
        self._redirected.append((file, file.abs_dest_path))
        file.abs_dest_path = os.devnull

    def finish(self) -> Summary:
        """First `on_post_build` handler: every page is on disk when this returns.

        Raises OSError if a page could not be written.
        """
        self._put_paths_back()
        return self.output.finish(self._owned)

    def abandon(self) -> None:
        """The build failed: leave site_dir as the last build left it, as far as possible."""
        self._put_paths_back()
        self.output.abandon()

    def _put_paths_back(self) -> None:
        for file, path in self._redirected:
            file.abs_dest_path = path
        self._redirected = []
