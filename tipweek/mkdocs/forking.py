"""Sharing work among forked processes (pure: no MkDocs imports).

Used to convert Markdown, and to key and render pages, on all cores.
Workers are forked, not spawned: they inherit the build's objects (the
parser, the site's files, the pages) instead of pickling them, and only
their results travel back.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tipweek.core import speedups

#: Fewer items than this are done serially; the environment variable overrides it
#: (`TIPWEEK_PARALLEL_MIN=100000` makes a build serial).
PARALLEL_MIN_ENV = "TIPWEEK_PARALLEL_MIN"
PARALLEL_MIN = 200
T = TypeVar("T")


def can_fork() -> bool:
    """Whether forked workers are safe and useful here.

    Not without the `fork` start method (workers inherit the build's objects
    instead of pickling them), nor with other threads running (forking a
    threaded process, such as `mkdocs serve`, can copy a held lock), nor on one core.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if threading.active_count() > 1:
        return False
    return _cores() >= 2


def _cores() -> int:
    return min(len(os.sched_getaffinity(0)), 8) if hasattr(os, "sched_getaffinity") else 1


def pool_size(items: int) -> int:
    """How many forked workers to share `items` among; 0 means: do them here, serially
    (see `can_fork`; also for fewer than `PARALLEL_MIN` items, and without forks for
    measurement: `TIPWEEK_WITHOUT=forks`)."""
    if not items or items < _parallel_min() or not can_fork() or speedups.off("forks"):
        return 0
    return _cores()


def fork_map(work: Callable[[range], T], items: int, workers: int) -> list[T]:
    """`work` on `workers` interleaved shares of `range(items)`, each in a forked process.

    `work` is not pickled: the workers inherit it (and everything it reads)
    when they fork, so it may be a closure over the build's objects.
    """
    global _WORK
    _WORK = work
    # Objects that exist at the fork go to the collector's permanent generation, so a
    # worker's collections never walk (and, by touching, copy) the parent's heap.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            shares = [range(start, items, workers) for start in range(workers)]
            return pool.map(_run_share, shares)
    finally:
        _WORK = None
        gc.unfreeze()


def die_with_parent(parent: int) -> None:
    """In a worker: end as soon as the build does.  A build killed with `kill -9` would
    otherwise leave its workers to finish their share, fail to hand it over and print
    a traceback each into the editor's terminal (Linux's PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the workers finish their share
        return
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(0)


_PR_SET_PDEATHSIG = 1

#: The function `fork_map`'s workers run: set in the parent just before the pool forks.
_WORK: Callable[[range], Any] | None = None


def _run_share(indexes: range) -> Any:
    assert _WORK is not None
    return _WORK(indexes)


def _parallel_min() -> int:
    try:
        return max(1, int(os.environ.get(PARALLEL_MIN_ENV, PARALLEL_MIN)))
    except ValueError:
        return PARALLEL_MIN
