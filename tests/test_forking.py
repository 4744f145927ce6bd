"""Forked workers, and the heap at exit (forking.py, teardown.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from tipweek.mkdocs import forking, teardown
from tipweek.mkdocs.plugin import TipweekPlugin

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")


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
