"""Processes: forking, how many workers, workers that end with their build, stopping.

Forked workers inherit the build's objects instead of pickling them; where
there is no `fork` (Windows) or forking is unsafe, the build does the same
work serially and produces the same site.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

#: More workers than this cost more in memory than they gain in time.
MAX_WORKERS = 8
_PR_SET_PDEATHSIG = 1  # Linux, <linux/prctl.h>


def can_fork() -> bool:
    """Whether forking is possible and safe now: the system has `fork` (not Windows)
    and no other thread runs (forking a threaded process, such as `mkdocs serve`,
    can copy a lock another thread holds)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    import multiprocessing  # here: `tipweek check` imports this module, and never forks

    return "fork" in multiprocessing.get_all_start_methods()


def fork_if_safe() -> int | None:
    """`os.fork()` (0 in the child, its number in the parent), or None where
    `can_fork` says no or the system has no process to spare."""
    if not can_fork():
        return None
    try:
        return os.fork()
    except OSError:
        return None


def cores() -> int:
    """The cores this process may use, at most `MAX_WORKERS` (`sched_getaffinity`
    where the system has it, which a container's or `taskset`'s limit narrows; else
    every core)."""
    if hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_WORKERS))


def die_with_parent(parent: int) -> None:
    """In a forked worker: end as soon as process `parent` does, even by `kill -9`
    (Linux's PR_SET_PDEATHSIG).  Elsewhere nothing is done: the worker finishes its
    share, finds its pipe closed and leaves."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError, TypeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(0)


def install_sigterm_as_ctrl_c() -> object | None:
    """From now on `SIGTERM` ends the program as Ctrl-C does (KeyboardInterrupt), so
    its clean-up runs instead of none at all.  The handler it replaces, for
    `restore_sigterm`; None where it cannot (not the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signal.SIGTERM, _interrupt)
    except (ValueError, OSError):
        return None


def restore_sigterm(handler: object | None) -> None:
    """Put back the handler `install_sigterm_as_ctrl_c` replaced."""
    if handler is not None and threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signal.SIGTERM, handler)  # type: ignore[arg-type]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
