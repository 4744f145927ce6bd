"""Warm builds equal cold ones, byte for byte, after every kind of edit (issue #14).

For each edit of `cache_edits.EDITS`: build the project (warming the caches),
apply the edit, build again from the warm caches, then build the same project
with no cache at all into another `site_dir`, and compare the two site trees
file by file.  Then the same over seeded random sequences of edits, under
`mkdocs build` and under `mkdocs serve` (one plugin instance across rebuilds).
Every build records what each page's template reads (`read_recording`): a read
its key does not cover fails, whether or not an edit here changes it.  And a
rebuild with nothing changed renders no page and no tip, for every configuration
the table sets up: a key that never hits fails like one that hits wrongly.
"""

from __future__ import annotations

import random

import pytest
from cache_edits import EDITS, UNDOS, Edit, assert_nothing_rendered, new_project, off_lines
from read_recording import recording_reads


def differing(warm: dict[str, bytes], cold: dict[str, bytes]) -> list[str]:
    """The files that are not the same in both trees (missing from one included)."""
    return sorted(name for name in warm.keys() | cold.keys() if warm.get(name) != cold.get(name))


def test_the_table_has_at_least_forty_kinds_of_edit():
    assert len({edit.name for edit in EDITS}) == len(EDITS) >= 40


@pytest.mark.parametrize("edit", EDITS, ids=[edit.name for edit in EDITS])
def test_a_warm_build_after_an_edit_equals_a_cold_build(make_site, edit: Edit):
    """Also: every page rendered reads only what its key covers (`read_recording`), and
    a rebuild with nothing changed renders nothing."""
    project = new_project(make_site)
    with recording_reads() as reads:
        if edit.setup is not None:
            edit.setup(project)
        project.build(edit.command)
        before = project.tree()

        edit.apply(project)
        log = project.build(edit.command)
        warm = project.tree()
        cold = project.cold_tree(edit.command)
        again = project.build(edit.command)

    assert differing(warm, cold) == []
    assert reads.uncovered == set()
    if edit.steps_aside != "page":
        assert reads.pages_checked > 0
    assert_nothing_rendered(again, edit.steps_aside)
    assert project.tree() == warm
    # The edit shows in the site: otherwise this case would test nothing.
    assert differing(before, warm) != []
    if edit.steps_aside is not None:
        assert len(off_lines(log, edit.steps_aside)) == 1, log
    else:  # both caches were in use, so the comparison tested them
        assert off_lines(log, "Markdown") == off_lines(log, "page") == [], log


#: Steps of each random sequence: every step is two builds (warm, then cold).
STEPS = 30


@pytest.mark.parametrize(("command", "seed"), [("build", 14), ("serve", 1414)])
def test_a_seeded_random_sequence_of_edits_keeps_warm_equal_to_cold(make_site, command, seed):
    """Edits in a random (but fixed) order, the caches carried from step to step; under
    `serve`, one plugin instance rebuilds them all, as `mkdocs serve` does."""
    rng = random.Random(seed)
    project = new_project(make_site)
    project.build(command)
    plugin = project.serve_plugins.get("tipweek")
    done: list[str] = []
    for step in range(STEPS):
        edit = rng.choice(EDITS + UNDOS)
        done.append(edit.name)
        if edit.setup is not None:
            edit.setup(project)
        edit.apply(project)
        with recording_reads() as reads:
            project.build(command)
            cold = project.cold_tree(command)
        assert differing(project.tree(), cold) == [], (step, done)
        assert reads.uncovered == set(), (step, done)
    # Where the sequence ended, a rebuild with nothing changed renders nothing (in each
    # cache that is on: the last edits may have switched one off).
    again = project.build(command)
    off = [cache for cache in ("Markdown", "page") if off_lines(again, cache)]
    if len(off) < 2:
        assert_nothing_rendered(again, off[0] if off else None)
    # `serve` rebuilt with one plugin instance; `build` made a new one each time.
    assert (project.serve_plugins.get("tipweek") is plugin is not None) == (command == "serve")
