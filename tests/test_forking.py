"""Work in forked children, and the heap at exit (forking.py, teardown.py)."""

from __future__ import annotations

import gc
import os
import weakref

import pytest

from tipweek.mkdocs import forking, teardown
from tipweek.mkdocs.forking import InBackground
from tipweek.mkdocs.plugin import TipweekPlugin

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")


@needs_fork
def test_the_work_runs_in_a_child_and_its_result_comes_back() -> None:
    parent = os.getpid()
    job = InBackground(lambda: {"pid": os.getpid(), "data": b"\x00" * 300_000})
    result = job.result()
    assert result["pid"] != parent
    assert result["data"] == b"\x00" * 300_000  # more than a pipe holds at once


@needs_fork
def test_changes_made_by_the_child_stay_in_the_child() -> None:
    seen: list[int] = []

    def work() -> int:
        seen.append(1)
        return len(seen)

    assert InBackground(work).result() == 1
    assert seen == []


@needs_fork
def test_a_failing_child_is_replaced_by_running_the_work_here() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return 42

    assert InBackground(work).result() == 42


def test_without_fork_the_work_runs_here() -> None:
    parent = os.getpid()
    assert InBackground(os.getpid, fork=False).result() == parent


def test_an_error_in_the_work_reaches_the_caller() -> None:
    def work() -> int:
        raise ValueError("bad tip")

    with pytest.raises(ValueError, match="bad tip"):
        InBackground(work).result()


def test_the_end_of_a_command_freezes_the_heap_until_the_next_one() -> None:
    assert gc.get_freeze_count() == 0
    try:
        teardown.keep_until_exit()
        assert gc.get_freeze_count() > 0
        teardown.release()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_heap_frozen_by_someone_else_is_left_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        teardown.keep_until_exit()
        teardown.release()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_garbage_of_a_finished_command_is_collected_once_the_next_one_starts() -> None:
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    teardown.keep_until_exit()
    del node
    gc.collect()
    assert alive() is not None  # frozen: the exiting process would never free it
    teardown.release()
    gc.collect()
    assert alive() is None


def test_the_plugin_freezes_at_mkdocs_shutdown_and_releases_at_startup() -> None:
    plugin = TipweekPlugin()
    try:
        plugin.on_shutdown()
        assert gc.get_freeze_count() > 0
        plugin.on_startup(command="build", dirty=False)
        assert gc.get_freeze_count() == 0
    finally:
        teardown.release()
