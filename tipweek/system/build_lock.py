"""One build of a project at a time, on every system.

A lock file in the project's cache folder, held through the `filelock`
library (`flock` on Linux and macOS, `LockFileEx` on Windows): the system
releases it when the build ends in any way, `kill -9` included, so a lock
never outlives its build.  The file itself stays, empty, among the caches.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


class BuildLock:
    """`acquire` waits for another build holding `path` (telling `on_wait` once);
    `release` lets the next one in."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: Any = None  # a filelock.FileLock while held

    def acquire(self, on_wait: Callable[[], None] = lambda: None) -> bool:
        """Whether the lock is held.  Not where its file cannot be made (a file where
        the cache folder goes, a read-only project): the build then runs unguarded, as
        the caches it would guard are off too."""
        if self._lock is not None:
            return True
        # Here, not at the top: the library takes some 50 ms to import, and `tipweek
        # check`, which never builds, imports this module.
        import filelock

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(str(self.path))
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                on_wait()
                lock.acquire()
        except OSError:
            return False
        self._lock = lock
        return True

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()
