"""A redirect (a tip's alias) over a file another plugin adds: one line each, then stop.

`load_project` checks the theme's files and docs/, which exist before any
plugin runs; files other plugins add are known only in MkDocs' `on_files` (those
added before tipweek's) and `on_nav` (those added after).  MkDocs would write
two files to one path without a word, or let the later one replace the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mkdocs.structure.files import File

from tipweek.core.site_paths import alias_clashes
from tipweek.core.tips import Tip, TipError


def redirect_clashes(
    tips: Sequence[Tip], redirects: Sequence[File], files: Iterable[File]
) -> list[TipError]:
    """Each redirect in `redirects` over (or below) another file of `files`."""
    if not redirects:
        return []
    ours = {id(file) for file in redirects}
    others = {file.dest_uri: _describe(file) for file in files if id(file) not in ours}
    return list(alias_clashes(tips, others).values())


def _describe(file: File) -> str:
    """Whose a file of the site is, for a message."""
    if file.generated_by:
        return f"a file of {file.generated_by}"
    return f"{file.src_uri}"
