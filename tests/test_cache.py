"""The Markdown cache and the shared Markdown parser: faster rebuilds, byte-identical sites.

Every test compares whole site trees (every file, byte for byte) and reads the
build's own count of cache hits, so a cache that silently stopped working would
fail here just as surely as one that served stale HTML.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import logged_counts, site_tree
from mkdocs.structure.pages import Page

from tipweek.cache.markdown_cache import (
    CACHE_DIR,
    CACHE_FILE,
    MarkdownCache,
    fingerprint,
    stable_repr,
)
from tipweek.mkdocs import tip_texts
from tipweek.mkdocs.generated_pages import TipPage
from tipweek.mkdocs.markdown_conversion import TipConverter
from tipweek.speed import markdown_pool
from tipweek.speed.forking import PARALLEL_MIN_ENV

BODY = """\
Intro paragraph with a [link to about](../../../../about.md) and a [self anchor](#steps).

## Steps

1. Listen[^1].
2. Act on the HTML abbreviation.

Term
:   Definition of it.

!!! note "Remember"
    Be kind.

[^1]: A footnote.

*[HTML]: Hyper Text Markup Language
"""

EXTENSIONS = [
    {"toc": {"permalink": True}},
    "admonition",
    "footnotes",
    "abbr",
    "def_list",
    "attr_list",
    "md_in_html",
    "tables",
]

RENDERED = re.compile(r"(\d+) tips? converted, (\d+) from the Markdown cache")


def cache_counts(messages: list[str]) -> tuple[int, int]:
    """(rendered, from the Markdown cache) as the build reported them."""
    return logged_counts(RENDERED, messages)


@pytest.fixture
def project(make_site):
    make_site.write("docs/about.md", "# About\n\nWho we are.\n")
    for n in range(1, 6):
        make_site.add_tip(f"Tip {n}", f"2025-0{n}-07", f"Tip {n} says hello.\n\n" + BODY)
    return make_site


def build(factory, **options):
    config = {"markdown_extensions": options.pop("extensions", EXTENSIONS)}
    site = factory.build(extra_config=config, **options)
    return site, site_tree(site.site_dir)


def cold_build(factory, **options):
    shutil.rmtree(factory.root / CACHE_DIR, ignore_errors=True)
    return build(factory, **options)


def test_warm_rebuild_after_one_edit_is_byte_identical_to_a_cold_build(project):
    site, _ = build(project)
    assert cache_counts(site.log) == (5, 0)
    tip = project.root / "tips/2025/2025-03-07-tip-3.md"
    tip.write_text(tip.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")

    warm, warm_tree = build(project)
    assert cache_counts(warm.log) == (1, 4)
    assert "One more sentence." in warm.html("2025/03/07/tip-3/").select_one(".e-content").text

    cold, cold_tree = cold_build(project)
    assert cache_counts(cold.log) == (5, 0)
    assert warm_tree == cold_tree


def test_unchanged_rebuild_renders_nothing_and_changes_nothing(project):
    _, first_tree = build(project)
    site, second_tree = build(project)
    assert cache_counts(site.log) == (0, 5)
    assert second_tree == first_tree


def test_excerpts_are_kept_with_the_html_but_follow_the_summary(project, monkeypatch):
    build(project)
    # The warm build takes each excerpt (and the feed's copies) from the Markdown cache...
    calls = []
    monkeypatch.setattr(tip_texts, "tip_text", lambda *a: calls.append(a))
    site, _ = build(project)
    assert cache_counts(site.log) == (0, 5)
    assert calls == []
    monkeypatch.undo()
    # ...but a new summary (front matter only: the Markdown body, and so the
    # Markdown cache's key, is the same) shows on the listings at once.
    project.add_tip("Tip 2", "2025-02-07", "Tip 2 says hello.\n\n" + BODY, summary="Short and new.")
    warm, warm_tree = build(project)
    assert cache_counts(warm.log) == (0, 5)
    assert "Short and new." in warm.html("index.html").text
    _, cold_tree = cold_build(project)
    assert warm_tree == cold_tree


def test_a_markdown_option_change_invalidates_every_tip(project):
    build(project)
    changed = [{"toc": {"permalink": "¶"}}, *EXTENSIONS[1:]]
    warm, warm_tree = build(project, extensions=changed)
    assert cache_counts(warm.log) == (5, 0)
    headings = warm.html("2025/01/07/tip-1/").select(".e-content h2 a.headerlink")
    assert [a.text for a in headings] == ["¶"]
    _, cold_tree = cold_build(project, extensions=changed)
    assert warm_tree == cold_tree


def test_a_plugin_option_change_invalidates_the_cache(project):
    build(project)
    site, _ = build(project, plugin_options={"excerpt_words": 12})
    assert cache_counts(site.log) == (5, 0)


def test_new_site_files_rerender_only_tips_whose_links_were_resolved(project):
    project.add_tip("Plain", "2025-06-03", "No links here, only [the web](https://example.org/).")
    build(project)
    project.write("docs/contact.md", "# Contact\n")
    site, warm_tree = build(project)
    # The five tips linking to about.md are redone; the plain one is not.
    assert cache_counts(site.log) == (5, 1)
    _, cold_tree = cold_build(project)
    assert warm_tree == cold_tree


def test_broken_links_are_reported_on_every_build_not_only_the_first(project):
    project.add_tip("Broken", "2025-06-03", "See [gone](../../../../missing.md).")
    for _ in range(2):
        site = project.build(
            extra_config={"markdown_extensions": EXTENSIONS}, strict=False, plugin_options={}
        )
        assert any("missing.md" in message for message in site.log)
    # The broken tip is rendered every time; the five good ones come from the cache.
    assert cache_counts(site.log) == (1, 5)


def test_shared_parser_renders_exactly_like_mkdocs(project, monkeypatch):
    """Reusing one Markdown instance (stateful extensions: footnotes, abbr) changes nothing."""
    _, ours = cold_build(project)
    with monkeypatch.context() as patch:
        patch.setattr(TipPage, "render", Page.render)
        _, reference = cold_build(project)
    assert ours == reference
    # Footnotes restart at 1 on every tip and abbreviations do not leak between tips.
    for n in range(1, 6):
        soup = project_html(project, f"2025/0{n}/07/tip-{n}/")
        assert [li["id"] for li in soup.select(".footnote li")] == ["fn:1"]
        assert len(soup.select(".e-content abbr")) == 1


def project_html(project, url):
    return BeautifulSoup((project.root / "site" / url / "index.html").read_bytes(), "lxml")


@pytest.mark.parametrize(
    "damage", ["not json at all {", '{"format": 999, "entries": {}}', '["a list"]', ""]
)
def test_a_damaged_or_old_cache_is_ignored_and_replaced(project, damage):
    _, clean_tree = build(project)
    cache_file = project.root / CACHE_DIR / CACHE_FILE
    cache_file.write_text(damage, encoding="utf-8")
    site, tree = build(project)
    assert cache_counts(site.log) == (5, 0)
    assert tree == clean_tree
    assert json.loads(cache_file.read_text(encoding="utf-8"))["format"] >= 1
    assert len(MarkdownCache.load(cache_file)) == 5


def test_damaged_entries_are_rendered_again(project):
    build(project)
    cache_file = project.root / CACHE_DIR / CACHE_FILE
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        del entry["content"]
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    site, _ = build(project)
    assert cache_counts(site.log) == (5, 0)


def test_the_cache_holds_only_the_last_builds_tips(project):
    build(project)
    (project.root / "tips/2025/2025-02-07-tip-2.md").unlink()
    for n in (1, 3):
        tip = project.root / f"tips/2025/2025-0{n}-07-tip-{n}.md"
        tip.write_text(tip.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    build(project)
    assert len(MarkdownCache.load(project.root / CACHE_DIR / CACHE_FILE)) == 4


def test_fingerprints_are_stable_and_order_free():
    def fence(source: str) -> str:
        return source

    first = fingerprint({"b": [1, 2], "a": {"x": fence}}, "text")
    second = fingerprint({"a": {"x": fence}, "b": [1, 2]}, "text")
    assert first == second
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert "0x" not in stable_repr({"fn": fence})


@pytest.fixture
def prerendered(monkeypatch):
    """Force the parallel pre-render on small sites; how many tips it rendered, per build."""
    monkeypatch.setenv(PARALLEL_MIN_ENV, "1")
    counts: list[int] = []
    original = markdown_pool.convert_ahead

    def counting(converter, pages, files):
        counts.append(original(converter, pages, files))
        return counts[-1]

    monkeypatch.setattr(markdown_pool, "convert_ahead", counting)
    return counts


@pytest.mark.forks
def test_a_parallel_cold_build_is_byte_identical_to_a_serial_one(project, prerendered, monkeypatch):
    site, parallel_tree = cold_build(project)
    assert prerendered == [5]
    assert cache_counts(site.log) == (5, 0)
    monkeypatch.setenv(PARALLEL_MIN_ENV, "1000")
    _, serial_tree = cold_build(project)
    assert prerendered == [5, 0]
    assert parallel_tree == serial_tree


@pytest.mark.forks
@pytest.mark.parametrize("how", ["raises", "killed"])
def test_tips_a_markdown_worker_never_sends_are_converted_here(
    project, prerendered, monkeypatch, how
):
    """A Markdown worker that fails, or dies, after its first tip: what it sent is used,
    the build converts the rest itself, and the site is the serial build's."""
    import os
    import signal

    monkeypatch.setenv(PARALLEL_MIN_ENV, "1000")
    _, serial_tree = cold_build(project)
    monkeypatch.setenv(PARALLEL_MIN_ENV, "1")
    monkeypatch.setattr(markdown_pool, "SENT_AT_ONCE", 1)  # each tip sent once converted
    parent, original = os.getpid(), TipConverter._convert
    converted = [0]

    def failing(self, page, files):
        if os.getpid() != parent:
            converted[0] += 1
            if converted[0] == 2:  # this worker's second tip
                if how == "killed":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise RuntimeError("a worker's bug")
        return original(self, page, files)

    monkeypatch.setattr(TipConverter, "_convert", failing)
    site, parallel_tree = cold_build(project)
    assert prerendered == [0, 2]  # one tip from each of the two workers
    assert cache_counts(site.log) == (5, 0)
    assert parallel_tree == serial_tree


@pytest.mark.forks
def test_a_parallel_build_reports_a_broken_link_once_and_renders_only_what_misses(
    project, prerendered
):
    project.add_tip("Broken", "2025-06-03", "See [gone](../../../../missing.md).")
    site = project.build(
        extra_config={"markdown_extensions": EXTENSIONS}, strict=False, plugin_options={}
    )
    assert len([message for message in site.log if "missing.md" in message]) == 1
    # The worker's render of the broken tip is not kept: the build renders it again.
    assert prerendered == [5]
    assert cache_counts(site.log) == (6, 0)
    tip = project.root / "tips/2025/2025-03-07-tip-3.md"
    tip.write_text(tip.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    site = project.build(
        extra_config={"markdown_extensions": EXTENSIONS}, strict=False, plugin_options={}
    )
    # Workers render the edited tip and the broken one; only the edited one is kept.
    assert prerendered == [5, 1]
    assert cache_counts(site.log) == (2, 4)
