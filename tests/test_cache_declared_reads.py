"""Every project file a build reads is a declared cache input, or a cache steps aside.

The caches key what `tipweek/cache/inputs.py` declares: mkdocs.yml, the tips
folder (tips, authors.yml, tags.yml), the theme's custom_dir by content, and
the docs pages, which MkDocs renders itself (tipweek's pages see them only
through the navigation and `pages`, both keyed).  A build that opens any other
file of the project (a snippet, a glossary, an icon, a hook) must say that the
cache it could affect is off.  A new feature that reads a file nobody declared
fails here, before it can serve a stale page.

Files outside the project (installed distributions, the standard library,
the system's time zones) are keyed by distribution versions and not checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cache_edits import EDITS, Project, new_project, off_lines, record_opens

#: Where a project's declared inputs live, relative to its folder (new_project's layout).
DECLARED = ("mkdocs.yml", "tips", "docs", "overrides", ".cache")
#: The table's edits that make a build read other project files, and the files they read.
READERS = {
    "snippet file edited": {"includes/note.md"},
    "abbr glossary edited": {"includes/abbreviations.md"},
    "custom icon edited": {"icons/tipweek/mark.svg"},
    "hook edited": {"hooks/note.py"},
}


def undeclared_reads(project: Project, opened: list[tuple[str, str]]) -> set[str]:
    root = project.root.resolve()
    found = set()
    for name, how in opened:
        path = Path(project.root, name).resolve()
        if how == "write" or not path.is_relative_to(root) or not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        if relative.split("/", 1)[0] not in DECLARED:
            found.add(relative)
    return found


@pytest.mark.parametrize("reader", [None, *READERS], ids=["plain", *READERS])
def test_every_file_a_build_reads_is_declared_or_a_cache_steps_aside(make_site, reader):
    project = new_project(make_site)
    edit = next((edit for edit in EDITS if edit.name == reader), None)
    if edit is not None:
        assert edit.setup is not None and edit.steps_aside is not None
        edit.setup(project)
    for command in ("build", "serve"):
        with record_opens() as opened:
            cold = project.build(command, site_dir=f"site-{command}")
            warm = project.build(command, site_dir=f"site-{command}")
        assert undeclared_reads(project, opened) == READERS.get(reader, set())
        for log in (cold, warm):
            if edit is None:
                assert off_lines(log, "Markdown") == off_lines(log, "page") == []
            else:
                assert len(off_lines(log, edit.steps_aside)) == 1
