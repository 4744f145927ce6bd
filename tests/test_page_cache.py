"""The page cache: warm builds skip Material's templates for unchanged pages, byte for byte.

Every test compares whole site trees with a cold build (no `.cache/`) and reads
the build's own count (`N pages rendered, M from the page cache`), so a cache
that served a stale page or silently stopped working fails here.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import add_five_tagged_tips, logged_counts, site_tree
from mkdocs.exceptions import Abort

from tipweek.cache.markdown_cache import CACHE_DIR
from tipweek.cache.page_cache import PageCache, decompress_page, pages_file
from tipweek.cache.page_keys import config_snapshot
from tipweek.speed.template_pool import RenderedAhead, prepare_pages

PAGES = re.compile(r"(\d+) pages? rendered, (\d+) from the page cache")
# 5 tip pages, 2 pages each of the archive and of 2025 (per_page 3), 2 tag pages, the tag index.
ALL_PAGES = 12


def page_counts(messages: list[str]) -> tuple[int, int]:
    """(rendered, from the page cache) as the build reported them."""
    return logged_counts(PAGES, messages)


@pytest.fixture
def project(make_site):
    add_five_tagged_tips(make_site)
    return make_site


def build(factory, extra: dict | None = None):
    site = factory.build(plugin_options={"per_page": 3}, extra_config=extra)
    return site, site_tree(site.site_dir)


def cold_build(factory, extra: dict | None = None):
    shutil.rmtree(factory.root / CACHE_DIR, ignore_errors=True)
    return build(factory, extra)


def edit(factory, relative: str, old: str, new: str) -> None:
    path = factory.root / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_unchanged_rebuild_renders_no_template_and_changes_nothing(project):
    first, first_tree = build(project)
    assert page_counts(first.log) == (ALL_PAGES, 0)
    second, second_tree = build(project)
    assert page_counts(second.log) == (0, ALL_PAGES)
    assert second_tree == first_tree


def test_editing_one_tip_rerenders_only_the_pages_that_show_it(project):
    build(project)
    edit(project, "tips/2025/2025-01-07-tip-1.md", "Tip 1 says hello.", "Tip 1 says goodbye.")
    warm, warm_tree = build(project)
    # Its own page, and the archive, year and tag pages whose excerpts show it.
    assert page_counts(warm.log) == (4, ALL_PAGES - 4)
    assert "goodbye" in warm.html("2025/01/07/tip-1/").select_one(".e-content").text
    cold, cold_tree = cold_build(project)
    assert page_counts(cold.log) == (ALL_PAGES, 0)
    assert warm_tree == cold_tree


def test_a_new_title_reaches_the_neighbouring_tip_pages(project):
    build(project)
    edit(project, "tips/2025/2025-03-07-tip-3.md", "title: Tip 3", "title: Renamed three")
    warm, warm_tree = build(project)
    for neighbour in ("2025/02/07/tip-2/", "2025/04/07/tip-4/"):
        assert "Renamed three" in warm.html(neighbour).get_text()
    rendered, _ = page_counts(warm.log)
    assert rendered < ALL_PAGES
    _, cold_tree = cold_build(project)
    assert warm_tree == cold_tree


@pytest.mark.parametrize(
    "extra",
    [
        {"extra": {"social": [{"icon": "fontawesome/brands/mastodon", "link": "https://x.y/"}]}},
        {"theme": {"name": "material", "palette": {"primary": "teal"}}},
        {"copyright": "Copyright 2026 The Tip Team"},
    ],
    ids=["extra", "palette", "copyright"],
)
def test_a_change_to_mkdocs_yml_rerenders_every_page(project, extra):
    build(project)
    warm, warm_tree = build(project, extra)
    assert page_counts(warm.log) == (ALL_PAGES, 0)
    _, cold_tree = cold_build(project, extra)
    assert warm_tree == cold_tree


def test_a_change_to_a_template_in_custom_dir_rerenders_every_page(project):
    theme = {"theme": {"name": "material", "custom_dir": "overrides"}}
    footer = '{% extends "base.html" %}{% block footer %}<p class="made-by">{}</p>{% endblock %}'
    project.write("overrides/main.html", footer.replace("{}", "Made by hand"))
    build(project, theme)
    project.write("overrides/main.html", footer.replace("{}", "Made with care"))
    warm, warm_tree = build(project, theme)
    assert page_counts(warm.log) == (ALL_PAGES, 0)
    assert warm.html("2025/01/07/tip-1/").select_one(".made-by").text == "Made with care"
    _, cold_tree = cold_build(project, theme)
    assert warm_tree == cold_tree


def test_a_nav_change_rerenders_every_page(project):
    build(project)
    project.write("docs/contact.md", "# Contact\n")
    warm, warm_tree = build(project)
    assert page_counts(warm.log) == (ALL_PAGES, 0)
    _, cold_tree = cold_build(project)
    assert warm_tree == cold_tree


def test_cached_pages_are_still_indexed_for_search(project):
    build(project)
    warm, _ = build(project)
    assert page_counts(warm.log) == (0, ALL_PAGES)
    index = json.loads((warm.site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert {f"2025/0{n}/07/tip-{n}/" for n in range(1, 6)} <= locations


def test_a_page_that_vanishes_from_the_cache_mid_build_is_rendered_normally(project, monkeypatch):
    _, first_tree = build(project)
    monkeypatch.setattr(PageCache, "read_many", lambda self, keys: {})
    second, second_tree = build(project)
    assert page_counts(second.log) == (ALL_PAGES, 0)  # each found, none readable after all
    assert second_tree == first_tree


def stored_pages(factory, command: str = "build") -> list[str]:
    with contextlib.closing(sqlite3.connect(pages_file(factory.root / CACHE_DIR, command))) as db:
        return [decompress_page(html) for (html,) in db.execute("SELECT html FROM pages")]


def test_the_cache_holds_only_the_last_builds_pages(project):
    build(project)
    edit(project, "tips/2025/2025-01-07-tip-1.md", "Tip 1 says hello.", "Tip 1 says goodbye.")
    build(project)
    stored = stored_pages(project)
    assert len(stored) == ALL_PAGES
    assert not any("Tip 1 says hello." in html for html in stored)
    assert any("Tip 1 says goodbye." in html for html in stored)


@pytest.mark.parametrize("damage", [b"not a database at all", b""])
def test_a_damaged_cache_file_is_started_afresh(project, damage):
    _, first_tree = build(project)
    pages_file(project.root / CACHE_DIR, "build").write_bytes(damage)
    second, second_tree = build(project)
    assert page_counts(second.log) == (ALL_PAGES, 0)
    assert second_tree == first_tree
    third, _ = build(project)
    assert page_counts(third.log) == (0, ALL_PAGES)


def test_a_failed_build_commits_nothing(project, monkeypatch):
    build(project)
    before = stored_pages(project)
    edit(project, "tips/2025/2025-01-07-tip-1.md", "Tip 1 says hello.", "Tip 1 says goodbye.")
    from mkdocs.structure.pages import Page

    def fail(*args, **kwargs):  # MkDocs checks anchors after rendering every page
        raise OSError("disk on fire")

    monkeypatch.setattr(Page, "validate_anchor_links", fail)
    with pytest.raises(Abort, match="disk on fire"):  # the OSError, as one line
        build(project)
    assert stored_pages(project) == before


def test_serve_keeps_its_pages_apart_from_build(project):
    build(project)
    served = project.build(plugin_options={"per_page": 3}, command="serve")
    assert page_counts(served.log) == (ALL_PAGES, 0)
    rebuilt, _ = build(project)
    assert page_counts(rebuilt.log) == (0, ALL_PAGES)


def test_pages_are_stored_again_after_the_cache_directory_was_deleted(project):
    """MkDocs keeps the plugin (and its page cache) across builds in one process."""
    build(project)
    shutil.rmtree(project.root / CACHE_DIR)
    cold, _ = build(project)
    assert page_counts(cold.log) == (ALL_PAGES, 0)
    warm, _ = build(project)
    assert page_counts(warm.log) == (0, ALL_PAGES)


def test_the_config_snapshot_holds_no_project_path(tmp_path):
    # `mkdocs serve -f mkdocs.yml` gives its first build the relative path, its rebuilds
    # the absolute one; CI restores the cache into another folder, and builds into
    # another site_dir: none of that may change a page's key.
    def snapshot(root: Path, **config: object) -> str:
        return config_snapshot({"site_name": "Tips", **config}, root)

    here, there = tmp_path / "a", tmp_path / "elsewhere" / "b"
    relative = snapshot(here, config_file_path="mkdocs.yml", site_dir=str(here / "site"))
    assert relative == snapshot(
        here, config_file_path=str(here / "mkdocs.yml"), site_dir=str(here / "public")
    )
    assert snapshot(here, docs_dir=str(here / "docs")) == snapshot(
        there, docs_dir=str(there / "docs")
    )
    assert snapshot(here, docs_dir=str(here / "docs")) != snapshot(
        here, docs_dir=str(here / "pages")
    )


def _spy_on_template_workers(monkeypatch) -> list[RenderedAhead | None]:
    """What each build's `prepare_pages` returned for the rendered pages: None for a
    build without template workers."""
    import tipweek.speed.page_cache

    pools: list[RenderedAhead | None] = []

    def spy(*args, **kwargs):
        prepared = prepare_pages(*args, **kwargs)
        pools.append(None if prepared is None else prepared[1])
        return prepared

    monkeypatch.setattr(tipweek.speed.page_cache, "prepare_pages", spy)
    return pools


@pytest.mark.forks
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "after-an-edit"])
def test_templates_rendered_in_forked_workers_equal_a_serial_build(project, monkeypatch, warm):
    """With the pool forced on, workers key every page and render the templates of the
    pages the cache lacks; the site, the build's counts and the cache are those of a
    serial build."""

    pools = _spy_on_template_workers(monkeypatch)
    trees, counts, stored = {}, {}, {}
    for mode, threshold in (("serial", "100000"), ("parallel", "1")):
        monkeypatch.setenv("TIPWEEK_PARALLEL_MIN", threshold)
        shutil.rmtree(project.root / CACHE_DIR, ignore_errors=True)
        shutil.rmtree(project.root / "site", ignore_errors=True)
        if warm:
            build(project)
            edit(project, "tips/2025/2025-01-07-tip-1.md", "says hello.", "says hi.")
        site, trees[mode] = build(project)
        counts[mode] = page_counts(site.log)
        stored[mode] = sorted(stored_pages(project))
        if warm:
            edit(project, "tips/2025/2025-01-07-tip-1.md", "says hi.", "says hello.")
    expected = (4, ALL_PAGES - 4) if warm else (ALL_PAGES, 0)
    assert counts == {"serial": expected, "parallel": expected}
    assert trees["parallel"] == trees["serial"]
    assert stored["parallel"] == stored["serial"]
    assert len(trees["serial"]) > ALL_PAGES
    # The workers did render: every page the cache lacked, in the last (parallel) build,
    # and none in the serial one.
    assert pools[0] is None
    assert pools[-1] is not None and pools[-1].delivered == expected[0]


@pytest.mark.forks
@pytest.mark.parametrize("how", ["raises", "killed", "raises-while-keying"])
def test_pages_a_worker_never_sends_are_rendered_here(project, monkeypatch, how):
    """A template worker that fails, or dies, partway: the pages it sent are printed,
    the build renders the rest itself (or keys every page itself, if the worker failed
    before sending the keys), and the site is the serial build's."""
    import os
    import signal

    import tipweek.mkdocs.page_contexts as page_contexts
    import tipweek.speed.template_pool as template_pool

    monkeypatch.setenv("TIPWEEK_PARALLEL_MIN", "100000")
    shutil.rmtree(project.root / CACHE_DIR, ignore_errors=True)
    _, serial = build(project)

    pools = _spy_on_template_workers(monkeypatch)
    monkeypatch.setattr(template_pool, "_BATCH", 1)  # each page sent as soon as it is rendered
    # In a worker (the parent never calls template_pool's names): the third page it
    # renders, or the first page it keys, is its last.
    calls = [0]
    original = template_pool.compress_page

    def failing(html):
        calls[0] += 1
        if calls[0] == 3:
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("a worker's bug")
        return original(html)

    parent, describe = os.getpid(), page_contexts.describe_page

    def keying_fails(page, view):
        if os.getpid() != parent:
            raise RuntimeError("a worker's bug while keying")
        return describe(page, view)

    if how == "raises-while-keying":
        monkeypatch.setattr(page_contexts, "describe_page", keying_fails)
    else:
        monkeypatch.setattr(template_pool, "compress_page", failing)
    monkeypatch.setenv("TIPWEEK_PARALLEL_MIN", "1")
    shutil.rmtree(project.root / CACHE_DIR, ignore_errors=True)
    site, parallel = build(project)
    assert parallel == serial
    assert page_counts(site.log) == (ALL_PAGES, 0)
    if how == "raises-while-keying":
        assert pools == [None]  # keyed here, nothing rendered ahead
    else:
        assert pools[0] is not None and pools[0].delivered == 4  # two from each worker
    # The page cache holds what a serial build stores: the next build renders nothing.
    assert page_counts(build(project)[0].log) == (0, ALL_PAGES)


