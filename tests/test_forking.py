"""Forked workers, and the collector during and after a build (forking.py, collector.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from tipweek.mkdocs import collector, forking
from tipweek.mkdocs.plugin import TipweekPlugin

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")


def test_the_end_of_a_command_freezes_the_heap_until_the_next_one() -> None:
    assert gc.get_freeze_count() == 0
    try:
        collector.keep_until_exit()
        assert gc.get_freeze_count() > 0
        collector.release()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_heap_frozen_by_someone_else_is_left_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        collector.keep_until_exit()
        collector.release()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_garbage_of_a_finished_command_is_collected_once_the_next_one_starts() -> None:
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    collector.keep_until_exit()
    del node
    gc.collect()
    assert alive() is not None  # frozen: the exiting process would never free it
    collector.release()
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
        collector.release()


def test_a_build_pauses_the_collector_and_sets_its_objects_aside_at_the_end() -> None:
    plugin = TipweekPlugin()
    try:
        collector.start_of_build("build")
        assert not gc.isenabled()
        plugin.on_build_error(error=RuntimeError("a failed build ends too"))
        assert gc.isenabled() and gc.get_freeze_count() > 0  # frozen: nothing left to walk
        collector.start_of_build("build")  # a second build in the same process
        assert not gc.isenabled() and gc.get_freeze_count() == 0
        collector.end_of_build()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        collector.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_next_build_frees_what_the_last_one_left() -> None:
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    try:
        collector.start_of_build("build")
        collector.end_of_build()
        del node
        gc.collect()
        assert alive() is not None  # set aside with the build
        collector.start_of_build("build")
        assert alive() is None  # freed before the collector pauses again
    finally:
        collector.release()


def test_serve_keeps_the_collector_running_and_freezes_nothing() -> None:
    """`mkdocs serve` rebuilds in a process that lives on: its garbage must go."""
    try:
        collector.start_of_build("serve")
        assert gc.isenabled()
        collector.end_of_build()
        assert gc.get_freeze_count() == 0
    finally:
        collector.release()


def test_a_collector_disabled_by_someone_else_stays_disabled() -> None:
    gc.disable()
    try:
        collector.start_of_build("build")
        collector.end_of_build()
        collector.release()
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
