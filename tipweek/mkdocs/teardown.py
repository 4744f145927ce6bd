"""Let `mkdocs build` exit without the garbage collector's last pass over the site.

A build leaves a large graph of objects that refer to each other (pages,
files, the navigation, tips, views, parsed templates).  When the process
exits, Python's finalization runs the cyclic garbage collector over all of
it and frees it object by object: at 2,000 tips that took 0.45 s, a seventh
of a rebuild, after the site was already written.  The operating system
takes the memory back at exit anyway.

So at the very end of an `mkdocs` command (MkDocs' `on_shutdown` event,
which programmatic builds such as the tests' never send), `keep_until_exit`
moves every object into the collector's permanent generation (`gc.freeze`),
which finalization does not examine.  Only cyclic garbage is affected
(objects whose count of references drops to zero are freed at once, as
always).  Should the same process start another command (`on_startup`),
`release` puts everything back and the collector frees the last build as
usual.  A process that froze objects itself is left alone.
"""

from __future__ import annotations

import gc

from tipweek.core import speedups

_frozen_by_us = False


def keep_until_exit() -> None:
    """At the end of a command: exclude what exists now from garbage collection."""
    global _frozen_by_us
    if _frozen_by_us or gc.get_freeze_count() or speedups.off("teardown"):
        return  # ours already, or someone else's: not ours to change
    gc.freeze()
    _frozen_by_us = True


def release() -> None:
    """At the start of a command: undo `keep_until_exit`, if it ran in this process."""
    global _frozen_by_us
    if _frozen_by_us:
        gc.unfreeze()
        _frozen_by_us = False
