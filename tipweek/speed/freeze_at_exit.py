"""At the end of `mkdocs build`: the build's objects are set aside from the collector.

A build makes a large graph of objects that refer to each other (pages,
files, the navigation, tips, views, parsed templates), nearly all of it alive
until the build ends.  When the command exits, Python's finalization, and any
collection before it, walk that graph and free it object by object: 0.45 s at
2,000 tips, after the site is written.  So the end of a build moves every
object into the collector's permanent generation (`gc.freeze`), which neither
examines; the operating system takes the memory back when the process exits.
A process that builds again (the tests) hands the last build to the collector
at the start of the next one (`release`).

Measured (no-op rebuild at 2,000 tips, alternated pairs): 2.06x slower
without it.  `TIPWEEK_WITHOUT=teardown` switches it off.  `mkdocs serve`
never freezes a build: it rebuilds in a process that lives on, whose garbage
must go.  A process that froze objects itself is left alone.

(The collector was also paused during builds until measurements at 2,000
tips with Pagefind search put that inside the noise: 1.03x clean, 1.00x
rebuild.  It was removed.)
"""

from __future__ import annotations

import gc

from tipweek.speed import switches

_frozen_by_us = False


def keep_until_exit() -> None:
    """Exclude what exists now from garbage collection (at the end of a command)."""
    global _frozen_by_us
    if _frozen_by_us or gc.get_freeze_count() or switches.off("teardown"):
        return  # ours already, or someone else's: not ours to change
    gc.freeze()
    _frozen_by_us = True


def release() -> None:
    """Undo `keep_until_exit`, if it was ours (a new build starts in this process), and
    let the collector free the last build."""
    global _frozen_by_us
    if _frozen_by_us:
        gc.unfreeze()
        _frozen_by_us = False
        gc.collect()
