"""Incremental output: rebuilds keep tipweek's unchanged pages in site_dir, and still make
exactly the site a build into an empty folder makes.

Each rebuild here goes into the same `site/`; its whole tree is compared with a
reference build into `reference/` with `reuse_output: false`, where MkDocs empties
the folder and writes every page itself, as it does without tipweek.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import add_five_tagged_tips, logged_counts, site_tree
from mkdocs.exceptions import Abort

from tipweek.cache import CACHE_DIR
from tipweek.site_output import KEPT_DIR, OUTPUT_DIR, pure_dirs

WRITES = re.compile(r"(\d+) pages? written, (\d+) unchanged in ")
OPTIONS = {"per_page": 2}
# 6 tip pages; archive 3 pages, 2025 3, 2024 1, each tag 2; the tag index.
ALL_PAGES = 18


@pytest.fixture
def project(make_site):
    add_five_tagged_tips(make_site)
    make_site.add_tip("Old tip", "2024-12-03", "From last year.\n", tags=["habits"])
    return make_site


def rebuild(factory, options: dict | None = None, extra: dict | None = None):
    """Rebuild `site/`, then check it against a clean reference build; the rebuild's log."""
    options = {**OPTIONS, **(options or {})}
    site = factory.build(options, extra_config=extra)
    reference = factory.build(
        {**options, "reuse_output": False}, extra_config={**(extra or {}), "site_dir": "reference"}
    )
    assert site_tree(site.site_dir) == site_tree(reference.site_dir)
    return site


def writes(site) -> tuple[int, int]:
    return logged_counts(WRITES, site.log)


def test_an_unchanged_rebuild_writes_no_page_and_touches_no_file(project):
    first = rebuild(project)
    assert writes(first) == (ALL_PAGES, 0)
    tip_page = first.path("/2025/03/07/tip-3/")
    stamp = tip_page.stat().st_mtime_ns
    second = rebuild(project)
    # The home page is site_dir's own index.html, which MkDocs empties with the rest.
    assert writes(second) == (1, ALL_PAGES - 1)
    assert tip_page.stat().st_mtime_ns == stamp


def test_editing_one_tip_rewrites_only_the_pages_that_show_it(project):
    rebuild(project)
    untouched = project.root / "site/2025/01/07/tip-1/index.html"
    stamp = untouched.stat().st_mtime_ns
    path = next((project.root / "tips/2025").glob("*-tip-5.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    site = rebuild(project)
    written, unchanged = writes(site)
    # Its page, page 1 of the archive (the home page), of 2025 and of its tag (excerpts).
    assert (written, unchanged) == (4, ALL_PAGES - 4)
    assert "A new sentence." in site.path("/2025/05/07/tip-5/").read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == stamp


def test_a_deleted_tip_and_a_vanished_tag_leave_no_stale_file(project):
    rebuild(project)
    assert (project.root / "site/tags/habits/feed.xml").is_file()
    for path in (project.root / "tips").rglob("*.md"):
        if "tip-2" in path.name or "tip-4" in path.name or "old-tip" in path.name:
            path.unlink()  # every tip tagged "habits", and the only tip of 2024
    site = rebuild(project)
    assert not site.exists("/2025/02/07/tip-2/")
    assert not (site.site_dir / "2025/02/07").exists()  # empty folders go too
    assert not (site.site_dir / "2024").exists()
    assert not (site.site_dir / "tags/habits").exists()


def test_fewer_archive_pages_leave_no_stale_page(project):
    rebuild(project)
    assert (project.root / "site/page/3/index.html").is_file()
    rebuild(project, {"per_page": 10})
    assert not (project.root / "site/page").exists()


def test_a_docs_page_in_a_year_folder_is_cleaned_by_mkdocs_as_usual(project):
    rebuild(project)
    project.write("docs/2025/notes.md", "# Notes\n\nA page of our own in 2025/.\n")
    rebuild(project)
    (project.root / "docs/2025/notes.md").unlink()
    site = rebuild(project)
    assert not (site.site_dir / "2025/notes").exists()


def test_a_hand_edited_page_is_written_again(project):
    first = rebuild(project)
    page = first.path("/2025/03/07/tip-3/")
    page.write_text("vandalised", encoding="utf-8")
    rebuild(project)  # compares the whole tree with the reference
    assert "vandalised" not in page.read_text(encoding="utf-8")


def test_a_build_killed_while_folders_were_set_aside_recovers(project):
    rebuild(project)
    kept = project.root / "site" / KEPT_DIR
    kept.mkdir()
    (project.root / "site/2025").rename(kept / "2025")
    rebuild(project)
    assert not kept.exists()


def test_a_failed_build_puts_the_set_aside_folders_back(project, monkeypatch):
    first = rebuild(project)
    before = site_tree(first.site_dir)
    import mkdocs.commands.build as mkdocs_build

    def fail(config):  # MkDocs fails between emptying site_dir and on_files
        raise OSError("docs_dir vanished")

    monkeypatch.setattr(mkdocs_build, "get_files", fail)
    with pytest.raises(Abort, match="docs_dir vanished"):  # one line, not a traceback
        project.build(OPTIONS)
    after = site_tree(first.site_dir)
    # MkDocs emptied what it owns (assets, search, sitemap); tipweek's folders are back.
    assert {name for name in after if name.startswith(("2025/", "2024/", "tags/", "page/"))} == {
        name for name in before if name.startswith(("2025/", "2024/", "tags/", "page/"))
    }
    assert not (first.site_dir / KEPT_DIR).exists()


def test_a_page_that_cannot_be_written_fails_the_build_with_its_path(project):
    rebuild(project)
    page = project.root / "site/2025/03/07/tip-3/index.html"
    page.unlink()
    page.mkdir()  # a folder where the page goes
    with pytest.raises(Abort):
        project.build(OPTIONS)
    [message] = [m for m in project.messages() if "writing pages into" in m]
    assert "2025/03/07/tip-3/index.html" in message


def test_without_a_helper_process_pages_are_written_in_the_build(project, monkeypatch):
    import tipweek.site_output

    def cannot_start(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(tipweek.site_output.subprocess, "Popen", cannot_start)
    site = rebuild(project)
    assert writes(site) == (ALL_PAGES, 0)
    site = rebuild(project)
    assert writes(site) == (1, ALL_PAGES - 1)


def test_pages_written_by_a_failed_build_are_not_left_behind(project, monkeypatch):
    rebuild(project)
    new_tip = project.add_tip("Tip 9", "2025-09-07", "Written, then the build failed.\n")
    from mkdocs.structure.pages import Page

    def fail(*args, **kwargs):  # MkDocs checks anchors after writing every page
        raise OSError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setattr(Page, "validate_anchor_links", fail)
        with pytest.raises(Abort, match="disk on fire"):
            project.build(OPTIONS)
    assert (project.root / "site/2025/09/07/tip-9/index.html").is_file()
    new_tip.unlink()
    site = rebuild(project)  # compares the whole tree with a clean build
    assert not site.exists("/2025/09/07/tip-9/")


def test_a_damaged_manifest_cannot_delete_files_outside_site_dir(project):
    rebuild(project)
    outside = project.root / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    [manifest] = (project.root / CACHE_DIR / OUTPUT_DIR).glob("*.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["owned"] += ["../precious.txt", str(outside)]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    rebuild(project)
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_an_unreadable_manifest_means_a_full_write(project):
    rebuild(project)
    [manifest] = (project.root / CACHE_DIR / OUTPUT_DIR).glob("*.json")
    manifest.write_text("{not json", encoding="utf-8")
    site = rebuild(project)
    assert writes(site) == (ALL_PAGES, 0)


def test_manifests_of_vanished_site_folders_are_deleted(project):
    project.build(OPTIONS, extra_config={"site_dir": "elsewhere"})
    project.build(OPTIONS)
    manifests = project.root / CACHE_DIR / OUTPUT_DIR
    assert len(list(manifests.glob("*.json"))) == 2  # one per site folder
    shutil.rmtree(project.root / "elsewhere")  # as `mkdocs serve` deletes its temporary folder
    project.build(OPTIONS)
    assert len(list(manifests.glob("*.json"))) == 1


def test_reuse_output_false_leaves_writing_to_mkdocs(project):
    site = project.build({**OPTIONS, "reuse_output": False})
    assert not any(WRITES.search(message) for message in site.log)
    assert site.exists("/2025/03/07/tip-3/")


def test_other_plugins_find_every_page_on_disk_in_on_post_build(project):
    # A hook (run like any plugin, after tipweek's first on_post_build handler)
    # lists the HTML files it finds, as a minifier or a link checker would.
    project.write(
        "hooks/list_pages.py",
        """
        import json, os, pathlib

        def on_post_build(config):
            site = pathlib.Path(config.site_dir)
            found = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
            pathlib.Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(found))
        """,
    )
    site = project.build(OPTIONS, extra_config={"hooks": ["hooks/list_pages.py"]})
    seen = json.loads((project.root / "seen.json").read_text(encoding="utf-8"))
    assert seen == sorted(name for name in site.tree() if name.endswith(".html"))
    assert "2025/03/07/tip-3/index.html" in seen


def test_pure_dirs_are_the_top_level_folders_holding_only_tipweeks_files():
    owned = {"2025/01/07/a/index.html", "tags/x/feed.xml", "index.html", "assets/tipweek/t.css"}
    others = {"assets/stylesheets/main.css", "about/index.html", "sitemap.xml"}
    assert pure_dirs(owned, others) == {"2025", "tags"}


def test_the_helper_makes_folders_ahead_and_skips_unchanged_pages(tmp_path):
    """The helper process's protocol, end to end: folder frames, page frames, the report."""
    import io
    import subprocess
    import sys

    from tipweek import write_worker

    site = tmp_path / "site"
    site.mkdir()
    manifest = tmp_path / "manifest.json"

    def run() -> dict:
        frames = io.BytesIO()
        write_worker.send(frames, "2025/01/07/a/", b"")
        write_worker.send(frames, "2025/01/07/a/index.html", b"<p>A</p>")
        done = subprocess.run(
            [sys.executable, "-I", write_worker.__file__, str(site), str(manifest)],
            input=frames.getvalue(),
            capture_output=True,
            check=True,
        )
        return json.loads(done.stdout)

    first = run()
    assert (site / "2025/01/07/a/index.html").read_bytes() == b"<p>A</p>"
    assert first["unchanged"] == 0 and list(first["written"]) == ["2025/01/07/a/index.html"]
    manifest.write_text(
        json.dumps({"format": 1, "site_dir": str(site), "written": first["written"]}),
        encoding="utf-8",
    )
    assert run()["unchanged"] == 1
