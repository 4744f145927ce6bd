"""The end of a build sets its objects aside from the collector (speed/freeze_at_exit.py)."""

from __future__ import annotations

import gc
import weakref

from tipweek.plugin import TipweekPlugin
from tipweek.speed import freeze_at_exit


def test_the_end_of_a_command_freezes_the_heap_until_the_next_one() -> None:
    assert gc.get_freeze_count() == 0
    try:
        freeze_at_exit.keep_until_exit()
        assert gc.get_freeze_count() > 0
        freeze_at_exit.release()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_a_heap_frozen_by_someone_else_is_left_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        freeze_at_exit.keep_until_exit()
        freeze_at_exit.release()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_garbage_of_a_finished_build_is_freed_once_the_next_one_starts() -> None:
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    freeze_at_exit.keep_until_exit()
    del node
    gc.collect()
    assert alive() is not None  # frozen: the exiting process would never free it
    freeze_at_exit.release()
    assert alive() is None  # release collects


def test_the_plugin_sets_a_build_aside_but_never_a_previews() -> None:
    plugin = TipweekPlugin()
    try:
        plugin.on_startup(command="build", dirty=False)
        plugin.on_build_error(error=RuntimeError("a failed build ends too"))
        assert gc.get_freeze_count() > 0
        plugin.on_startup(command="build", dirty=False)  # the next command
        assert gc.get_freeze_count() == 0
        plugin.command = "serve"  # a preview's rebuild ends: its process lives on
        plugin.on_build_error(error=RuntimeError("a failed preview rebuild"))
        assert gc.get_freeze_count() == 0
        plugin.on_shutdown()  # but the end of `mkdocs serve` itself is an exit
        assert gc.get_freeze_count() > 0
    finally:
        freeze_at_exit.release()
        gc.unfreeze()
