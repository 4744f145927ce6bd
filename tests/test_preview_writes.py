"""`mkdocs serve` builds its preview in place and writes only what an edit changed
(tipweek/speed/preview_writes.py); Pagefind indexes the preview in the background.

Differential: after each edit, the preview written in place is byte-identical to a
preview built from scratch (staged, the switch off) of the same sources; files an
edit did not change are not written again; files of a tip that is gone are gone.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import add_five_tagged_tips

from tipweek.speed import switches

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _visible(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The preview as its server shows it: no dot-folders (the scratch, Pagefind's next)."""
    return {path: data for path, data in tree.items() if not path.startswith(".")}


def _fresh_preview(make_site, monkeypatch, options=None) -> dict[str, bytes]:
    monkeypatch.setenv(switches.ENV, "preview-writes,page-cache,markdown-cache")
    switches.reset()
    try:
        site = make_site.build(options, command="serve")
        return _visible(site.tree())
    finally:
        monkeypatch.delenv(switches.ENV)
        switches.reset()


def _mtimes(site_dir: Path) -> dict[str, int]:
    return {
        path.relative_to(site_dir).as_posix(): path.stat().st_mtime_ns
        for path in site_dir.rglob("*")
        if path.is_file()
    }


EDITS = [
    ("a tip's body", lambda f: f.add_tip("Tip 3", "2025-03-07", "Tip 3 says goodbye.\n", tags=["focus"])),
    ("a tip renamed", lambda f: (
        (f.root / "tips/2025/2025-02-07-tip-2.md").unlink(),
        f.add_tip("Second Thoughts", "2025-02-07", "Renamed.\n", tags=["habits"]),
    )),
    ("a tip removed, with its only tag", lambda f: (f.root / "tips/2025/2025-04-07-tip-4.md").unlink()),
    ("a tip added", lambda f: f.add_tip("Tip 6", "2025-06-07", "New.\n", tags=["new-tag"])),
]


def test_each_edit_gives_the_preview_a_fresh_build_gives(make_site, monkeypatch):
    add_five_tagged_tips(make_site)
    switches.reset()
    make_site.build(command="serve")
    for what, edit in EDITS:
        edit(make_site)
        in_place = _visible(make_site.build(command="serve").tree())
        # The staged build replaces the folder: build the fresh preview last, then restore.
        fresh = _fresh_preview(make_site, monkeypatch)
        assert in_place == fresh, what
        # The next edit starts from a preview written in place again.
        make_site.build(command="serve")
    assert not (make_site.root / "site/2025/02/07/tip-2").exists()


def test_a_rebuild_writes_only_the_files_the_edit_changed(make_site):
    add_five_tagged_tips(make_site)
    switches.reset()
    site = make_site.build(command="serve")
    before = _mtimes(site.site_dir)
    time.sleep(0.01)
    make_site.add_tip("Tip 1", "2025-01-07", "Tip 1 says hello, again.\n", tags=["focus"])
    site = make_site.build(command="serve")
    after = _mtimes(site.site_dir)
    rewritten = {path for path in after if before.get(path) != after[path]}
    assert "2025/01/07/tip-1/index.html" in rewritten
    # Pages that show nothing of tip 1 (its neighbours' pages show its title, which did
    # not change) are left as they were; Material's static assets are copied again.
    assert "about/index.html" not in rewritten
    assert "2025/05/07/tip-5/index.html" not in rewritten
    # Files tipweek generates with their bytes (an email edition) likewise.
    assert "2025/05/07/tip-5/email.html" in after
    assert "2025/05/07/tip-5/email.html" not in rewritten
    assert "2025/01/07/tip-1/email.html" in rewritten
    unchanged_pages = [p for p in after if p.endswith(".html") and p not in rewritten]
    assert len(unchanged_pages) >= 5


def test_a_rebuild_parses_only_the_tip_a_save_changed(make_site, monkeypatch):
    from tipweek.core import tips

    add_five_tagged_tips(make_site)
    switches.reset()
    make_site.build(command="serve")
    parsed: list[str] = []
    load_bytes = tips._load_bytes

    def counting(data, abs_path, source, tz, quick):
        parsed.append(source)
        return load_bytes(data, abs_path, source, tz, quick)

    monkeypatch.setattr(tips, "_load_bytes", counting)
    make_site.add_tip("Tip 2", "2025-02-07", "Tip 2 says hello, again.\n", tags=["habits"])
    site = make_site.build(command="serve")
    assert parsed == ["tips/2025/2025-02-07-tip-2.md"]
    assert "again" in site.html("2025/02/07/tip-2/").get_text()
    # A file written back with its old bytes is the old tip, not the one parsed last.
    make_site.add_tip("Tip 2", "2025-02-07", "Tip 2 says hello.\n", tags=["habits"])
    parsed.clear()
    site = make_site.build(command="serve")
    assert parsed == ["tips/2025/2025-02-07-tip-2.md"]
    assert "again" not in site.html("2025/02/07/tip-2/").get_text()


def test_a_removed_tips_page_leaves_the_preview(make_site):
    add_five_tagged_tips(make_site)
    switches.reset()
    site = make_site.build(command="serve")
    assert site.exists("2025/05/07/tip-5/")
    (make_site.root / "tips/2025/2025-05-07-tip-5.md").unlink()
    site = make_site.build(command="serve")
    assert not site.exists("2025/05/07/tip-5/")
    assert not (site.site_dir / "2025/05/07").exists()  # its empty folders too


def _pagefind_pages(site_dir: Path, deadline: float) -> int | None:
    entry = site_dir / "pagefind/pagefind-entry.json"
    while time.monotonic() < deadline:
        if entry.is_file():
            try:
                languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
                return sum(language["page_count"] for language in languages.values())
            except (ValueError, KeyError):
                pass
        time.sleep(0.1)
    return None


def test_the_previews_search_index_catches_up_by_itself(make_site, monkeypatch):
    add_five_tagged_tips(make_site)
    switches.reset()
    options = {"search": "pagefind"}
    site = make_site.build(options, command="serve")
    assert _pagefind_pages(site.site_dir, time.monotonic() + 120) == 5
    make_site.add_tip("Tip 6", "2025-06-07", "A sixth tip.\n")
    site = make_site.build(options, command="serve")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _pagefind_pages(site.site_dir, deadline) != 6:
        time.sleep(0.1)
    assert _pagefind_pages(site.site_dir, deadline) == 6
    # The index is Pagefind's alone: nothing of the next one is left beside it.
    assert not list(site.site_dir.glob(".pagefind-next*"))
