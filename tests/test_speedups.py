"""`TIPWEEK_WITHOUT`: each switch turns its speed mechanism off, and the site stays the same.

The benchmark (`scripts/bench.py --without`) compares builds with and without
each mechanism; that comparison means something only if the switch really
stops the mechanism (a spy, the build's own counts) and if the site is the
same byte for byte either way (whole site trees, cold and warm).
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SiteFactory, logged_counts, run_cli
from mkdocs.exceptions import Abort, PluginError

import tipweek.core.front_matter as front_matter
import tipweek.speed.markdown_pool as markdown_pool
import tipweek.speed.template_pool as template_pool
from tipweek.cache.markdown_cache import CACHE_DIR, CACHE_FILE
from tipweek.cache.page_cache import pages_file
from tipweek.speed import freeze_at_exit, switches
from tipweek.speed.forking import PARALLEL_MIN_ENV

TIPS = re.compile(r"(\d+) tips? converted, (\d+) from the Markdown cache")
PAGES = re.compile(r"(\d+) pages? rendered, (\d+) from the page cache")
TIP_COUNT = 12


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch):
    """`without("a,b")` switches mechanisms off for what follows in this test."""

    def switch(names: str) -> None:
        monkeypatch.setenv(switches.ENV, names)
        switches.reset()

    # Pools even for a dozen tips, so the full build really uses every mechanism.
    monkeypatch.setenv(PARALLEL_MIN_ENV, "1")
    switch("")
    yield switch
    switches.reset()  # the environment is restored by monkeypatch; read it afresh


@pytest.fixture
def project(make_site: SiteFactory) -> SiteFactory:
    make_site.write("docs/about.md", "# About\n\nWho we are.\n")
    for n in range(1, TIP_COUNT + 1):
        tags = ["focus", "habits"] if n % 3 else ["listening"]
        body = f"Tip {n} says hello.\n\n<!-- more -->\n\n## Why\n\nBecause {n} matters.\n"
        make_site.add_tip(f"Tip {n}", f"2025-{n:02d}-07", body, tags=tags)
    return make_site


def build(project: SiteFactory, *, cold: bool) -> tuple[list[str], dict[str, bytes]]:
    """Build (after deleting the caches when `cold`); the log and the site's tree."""
    if cold:
        shutil.rmtree(project.root / CACHE_DIR, ignore_errors=True)
    site = project.build({"per_page": 4})
    return site.log, site.tree()


def test_unknown_names_are_refused_with_the_known_ones() -> None:
    assert switches.parse(" forks , page-cache,") == {"forks", "page-cache"}
    assert switches.parse("") == frozenset()
    with pytest.raises(ValueError, match=r"unknown mechanism fork .*known: forks, teardown"):
        switches.parse("fork")


def test_a_misspelt_switch_stops_build_and_check_with_one_line(project, without, capsys) -> None:
    without("forks,page-cashe")
    message = (
        "TIPWEEK_WITHOUT: unknown mechanism page-cashe (known: "
        + ", ".join(switches.MECHANISMS)
        + ")"
    )
    with pytest.raises((Abort, PluginError)):
        project.build()
    assert project.messages() == [message]  # one line (the factory drops "tipweek: ")
    assert not (project.root / "site").exists()
    code, out, err = run_cli(capsys, "check", "--config", str(project.root / "mkdocs.yml"))
    assert (code, out, err) == (2, "", f"tipweek: {message}\n")


def test_a_misspelt_switch_prints_one_line_from_the_real_commands(project) -> None:
    """As a user runs them: `mkdocs build` (which also sends `on_shutdown`, where tipweek's
    teardown asks for a switch) and `tipweek check` print the line and no traceback."""
    project.build()  # writes mkdocs.yml
    env = {**os.environ, switches.ENV: "fork", "NO_MKDOCS_2_WARNING": "1"}
    for command in (["mkdocs", "build", "--quiet"], ["tipweek", "check"]):
        done = subprocess.run(
            [sys.executable, "-m", *command],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode != 0, command
        assert "Traceback" not in done.stderr, done.stderr
        assert "TIPWEEK_WITHOUT: unknown mechanism fork (known: forks," in done.stderr


def test_the_variable_is_read_once(without, monkeypatch) -> None:
    without("forks")
    assert switches.off("forks") and not switches.off("teardown")
    monkeypatch.setenv(switches.ENV, "teardown")
    assert switches.off("forks")  # a build does not change its mind halfway
    switches.reset()
    assert switches.off("teardown") and not switches.off("forks")


@pytest.mark.parametrize("mechanism", list(switches.MECHANISMS))
def test_the_site_is_byte_identical_without_each_mechanism(project, without, mechanism) -> None:
    _, full_cold = build(project, cold=True)
    _, full_warm = build(project, cold=False)
    assert full_warm == full_cold
    without(mechanism)
    _, cold = build(project, cold=True)
    _, warm = build(project, cold=False)
    assert cold == full_cold
    assert warm == full_cold
    assert "search/search_index.json" in cold and len(cold) > TIP_COUNT * 2


def _count_calls(monkeypatch, module, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.forks
def test_without_forks_no_worker_pool_runs(project, without, monkeypatch) -> None:
    markdown_pool_ = _count_calls(monkeypatch, markdown_pool, "fork_streams")
    template_pool_ = _count_calls(monkeypatch, template_pool, "fork_streams")
    build(project, cold=True)
    assert (len(markdown_pool_), len(template_pool_)) == (1, 1)
    without("forks")
    log, _ = build(project, cold=True)
    assert (len(markdown_pool_), len(template_pool_)) == (1, 1)  # no new pool
    # Everything was still rendered, in this process.
    assert logged_counts(TIPS, log) == (TIP_COUNT, 0)


def test_without_teardown_nothing_is_frozen(without) -> None:
    assert gc.get_freeze_count() == 0
    without("teardown")
    try:
        freeze_at_exit.keep_until_exit()
        assert gc.get_freeze_count() == 0
        without("")
        freeze_at_exit.keep_until_exit()
        assert gc.get_freeze_count() > 0
    finally:
        freeze_at_exit.release()
        gc.unfreeze()


def test_without_the_quick_reader_libyaml_reads_every_front_matter(without, monkeypatch) -> None:
    from tipweek.speed import quick_front_matter

    quick = _count_calls(monkeypatch, quick_front_matter, "read_simple_lines")
    yaml_reads = _count_calls(monkeypatch, front_matter, "_read_yaml")
    front = "\ntitle: Listen first\ndate: 2025-07-01\ntags: [a, b]\n"

    def read() -> front_matter.Fields | None:
        # As the plugin and `tipweek check` read a tip: with the reader the switch chooses.
        return front_matter.read_front_matter(
            front, lambda line, message: pytest.fail(message), quick_front_matter.chosen()
        )

    fields = read()
    assert (len(quick), len(yaml_reads)) == (1, 0)
    without("quick-front-matter")
    assert read() == fields
    assert (len(quick), len(yaml_reads)) == (1, 1)


def test_without_the_markdown_cache_every_tip_is_converted_again(project, without) -> None:
    log, _ = build(project, cold=True)
    log, _ = build(project, cold=False)
    assert logged_counts(TIPS, log) == (0, TIP_COUNT)
    without("markdown-cache")
    for cold in (True, False):
        log, _ = build(project, cold=cold)
        assert logged_counts(TIPS, log) == (TIP_COUNT, 0)
    assert not (project.root / CACHE_DIR / CACHE_FILE).exists()


def test_without_the_page_cache_every_page_is_rendered_again(project, without) -> None:
    build(project, cold=True)
    log, _ = build(project, cold=False)
    rendered, cached = logged_counts(PAGES, log)
    assert (rendered, cached) == (0, cached) and cached > TIP_COUNT
    without("page-cache")
    for cold in (True, False):
        log, _ = build(project, cold=cold)
        assert logged_counts(PAGES, log) == (cached, 0)
    assert not pages_file(Path(project.root / CACHE_DIR), "build").exists()
