"""Sharing work among forked processes (pure: no MkDocs imports).

Used to convert Markdown, and to key and render pages, on all cores.
Workers are forked, not spawned: they inherit the build's objects (the
parser, the site's files, the pages) instead of pickling them, and only
their results travel back, as they come: the build takes a worker's first
results while it works on the rest (MkDocs' page loop prints the first pages
while the workers render the last).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from tipweek.speed import switches
from tipweek.system import processes
from tipweek.system.processes import die_with_parent

#: Fewer items than this are done serially; the environment variable overrides it
#: (`TIPWEEK_PARALLEL_MIN=100000` makes a build serial).
PARALLEL_MIN_ENV = "TIPWEEK_PARALLEL_MIN"
PARALLEL_MIN = 200


def can_fork() -> bool:
    """Whether forked workers are safe and useful here: the system can fork now
    (`tipweek.system.processes.can_fork`: not on Windows, not with other threads
    running, such as `mkdocs serve`'s) and there are two cores or more."""
    return processes.can_fork() and processes.cores() >= 2


def pool_size(items: int) -> int:
    """How many forked workers to share `items` among; 0 means: do them here, serially
    (see `can_fork`; also for fewer than `PARALLEL_MIN` items, and without forks for
    measurement: `TIPWEEK_WITHOUT=forks`)."""
    if not items or items < _parallel_min() or not can_fork() or switches.off("forks"):
        return 0
    return processes.cores()


class WorkerGone(Exception):
    """A streaming worker ended (finished, failed or was killed) with nothing more to say."""


class Streams:
    """What `fork_streams`' workers send, message by message, in the order each sends.

    The parent reads whatever any worker has written each time it waits for
    one, so no worker blocks on a full pipe while the parent waits for another.
    Messages come from this build's own children through pipes; nothing is read
    from disk.
    """

    def __init__(self, children: list[tuple[int, int]]) -> None:
        self._pids = [pid for pid, _fd in children]
        self._fds = {fd: worker for worker, (_pid, fd) in enumerate(children)}
        self._buffers = [bytearray() for _ in children]
        self._inbox: list[deque[Any]] = [deque() for _ in children]

    def receive(self, worker: int) -> Any:
        """`worker`'s next message, waiting for it; WorkerGone once there is none to come."""
        inbox = self._inbox[worker]
        while not inbox:
            if worker not in self._fds.values():
                raise WorkerGone(worker)
            self._read_what_is_ready()
        return inbox.popleft()

    def receive_any(self) -> Any:
        """The next message of any worker, waiting for one; WorkerGone once every worker
        has ended and every message has been taken."""
        while True:
            for inbox in self._inbox:
                if inbox:
                    return inbox.popleft()
            if not self._fds:
                raise WorkerGone()
            self._read_what_is_ready()

    def _read_what_is_ready(self) -> None:
        ready, _, _ = select.select(list(self._fds), [], [])
        for fd in ready:
            worker = self._fds[fd]
            data = os.read(fd, _READ_SIZE)
            if not data:  # the worker is done, or dead: what it sent whole still counts
                del self._fds[fd]
                os.close(fd)
                continue
            buffer = self._buffers[worker]
            buffer += data
            start = 0
            while len(buffer) - start >= _LENGTH and len(buffer) - start - _LENGTH >= (
                size := int.from_bytes(buffer[start : start + _LENGTH], "big")
            ):
                body = buffer[start + _LENGTH : start + _LENGTH + size]
                self._inbox[worker].append(pickle.loads(body))
                start += _LENGTH + size
            del buffer[:start]

    def close(self) -> None:
        """End every worker still running and reap them all: no process outlives the build."""
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = {}
        for pid in self._pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, 0)
        self._pids = []


class WorkerItems:
    """One worker's part of `fork_streams`' items: every `workers`-th item from its own
    number on (w, w + workers, ...), so each worker gets early and late items alike,
    and `batches` deals them out `batch` at a time, in order."""

    def __init__(self, worker: int, items: int, workers: int, batch: int):
        self.worker = worker
        self.indexes = range(worker, items, workers)
        self._batch = batch

    def batches(self) -> Iterator[range]:
        """The worker's items, `batch` at a time."""
        for start in range(0, len(self.indexes), self._batch):
            yield self.indexes[start : start + self._batch]


def fork_streams(
    work: Callable[[WorkerItems, Callable[[Any], None]], None],
    items: int,
    workers: int,
    batch: int = 8,
) -> Streams:
    """Fork `workers` processes running `work(share, send)` over `range(items)` (see
    `WorkerItems`); each `send`s picklable messages as it goes, which the parent takes with
    `Streams.receive(w)` or `Streams.receive_any()`.

    `work` is not pickled: the workers inherit it (and everything it reads) when they
    fork, so it may be a closure over the build's objects.  A worker that raises ends
    quietly: its stream simply stops, and the items it had not sent are nobody's (the
    caller does them itself).
    """
    parent = os.getpid()
    children: list[tuple[int, int]] = []
    # Objects that exist at the fork go to the collector's permanent generation, so a
    # worker's collections never walk (and, by touching, copy) the parent's heap.
    gc.freeze()
    try:
        for worker in range(workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    share = WorkerItems(worker, items, workers, batch)
                    _stream_share(work, share, write_end, parent, children)
                finally:
                    os._exit(1)  # never back into the build's code, whatever happened
            os.close(write_end)
            children.append((pid, read_end))
    except OSError:
        Streams(children).close()
        raise
    finally:
        gc.unfreeze()
    return Streams(children)


def _stream_share(
    work: Callable[[WorkerItems, Callable[[Any], None]], None],
    share: WorkerItems,
    pipe: int,
    parent: int,
    siblings: list[tuple[int, int]],
) -> None:
    """In a worker forked by `fork_streams`: run `work`, and leave without running any
    of the build's exit handlers."""
    status = 1
    try:
        for _pid, fd in siblings:  # the parent's ends of the earlier workers' pipes
            os.close(fd)
        die_with_parent(parent)
        with os.fdopen(pipe, "wb") as out:

            def send(message: Any) -> None:
                body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
                out.write(len(body).to_bytes(_LENGTH, "big") + body)
                out.flush()  # now, not when a buffer fills: the parent may be waiting for it

            work(share, send)
        status = 0
    except BaseException:  # Ctrl-C, or a failure the parent meets again and reports
        pass
    finally:
        os._exit(status)


#: A message's length prefix, in bytes; how much is read from a pipe at a time.
_LENGTH = 4
_READ_SIZE = 1 << 20


def _parallel_min() -> int:
    try:
        return max(1, int(os.environ.get(PARALLEL_MIN_ENV, PARALLEL_MIN)))
    except ValueError:
        return PARALLEL_MIN
