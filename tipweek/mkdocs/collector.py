"""Python's cyclic garbage collector around a build.

A build makes a large graph of objects that refer to each other (pages,
files, the navigation, tips, views, parsed templates), nearly all of it alive
until the build ends.  The collector's passes over that graph free almost
nothing, yet cost time twice:

- During the build: collections triggered by allocation walk the growing
  graph again and again, and so do those in the forked workers that convert
  Markdown and render templates (a worker inherits the collector's state).
  `start_of_build` pauses the collector and `end_of_build` starts it again.
  Measured at 2,000 tips: a tenth of a template worker's CPU time and 0.08 s
  of a rebuild's own process, with the same peak memory (174-182 MB either
  way; a worker keeps its share's cyclic garbage, about 14 KB a page, until
  it exits).  Objects whose count of references drops to zero are freed at
  once, as always: only reference cycles wait.
- After the build: the first collection once the collector runs again, and
  Python's finalization when the process exits, walk the whole graph and
  free it object by object (0.45 s at 2,000 tips, a seventh of a rebuild),
  after the site is written.  So `end_of_build` first moves every object into
  the collector's permanent generation (`gc.freeze`), which neither examines.
  The operating system takes the memory back when `mkdocs build` exits; a
  process that builds again hands the last build to the collector at the
  start of the next one (`start_of_build`), and `on_shutdown` freezes what is
  left when any command exits (`keep_until_exit`).

`mkdocs serve` keeps the collector running and never freezes a build: it
rebuilds in a process that lives on, whose garbage must go.  A process that
froze objects or disabled the collector itself is left alone.
"""

from __future__ import annotations

import gc

from tipweek.speed import switches

_frozen_by_us = False
_paused_by_us = False


def start_of_build(command: str) -> None:
    """In `on_config`: free what an earlier build of this process left, then pause the
    collector for this build (not under `serve`)."""
    global _paused_by_us
    if _frozen_by_us:
        release()
        gc.collect()  # the last build: with the collector paused, nothing else would free it
    if command == "serve" or not gc.isenabled() or switches.off("paused-collector"):
        return
    gc.disable()
    _paused_by_us = True


def end_of_build() -> None:
    """At the very end of a build, failed or not: set the build's objects aside, then
    let the collector run again."""
    global _paused_by_us
    if _paused_by_us:
        keep_until_exit()
        gc.enable()
        _paused_by_us = False


def keep_until_exit() -> None:
    """Exclude what exists now from garbage collection (at the end of a command)."""
    global _frozen_by_us
    if _frozen_by_us or gc.get_freeze_count() or switches.off("teardown"):
        return  # ours already, or someone else's: not ours to change
    gc.freeze()
    _frozen_by_us = True


def release() -> None:
    """Undo `keep_until_exit` and the pause, if they were ours (a new command starts)."""
    global _frozen_by_us, _paused_by_us
    if _frozen_by_us:
        gc.unfreeze()
        _frozen_by_us = False
    if _paused_by_us:
        gc.enable()
        _paused_by_us = False
