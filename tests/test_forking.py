"""Forked workers (speed/forking.py)."""

from __future__ import annotations

import pytest

from tipweek.speed import forking

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")


@needs_fork
def test_streams_hand_over_each_workers_messages_in_order_however_large() -> None:
    """Each message is 300 kB, more than a pipe holds: the parent reads the second
    worker's stream to its end before it reads the first's, and neither worker blocks
    the other."""

    def work(share, send) -> None:
        for index in share.indexes:
            send((index, bytes([index]) * 300_000))

    streams = forking.fork_streams(work, 12, 2)
    try:
        for worker in (1, 0):
            got = [streams.receive(worker) for _ in range(6)]
            assert [index for index, _ in got] == list(range(worker, 12, 2))
            assert all(data == bytes([index]) * 300_000 for index, data in got)
            with pytest.raises(forking.WorkerGone):
                streams.receive(worker)
    finally:
        streams.close()


@needs_fork
def test_a_failing_worker_stream_stops_after_what_it_sent_and_prints_nothing(capfd) -> None:
    def work(share, send) -> None:
        send("first")
        send("second")
        if share.worker == 0:
            raise RuntimeError("a bug in a worker")
        send("third")

    streams = forking.fork_streams(work, 2, 2)
    try:
        assert [streams.receive(0), streams.receive(0)] == ["first", "second"]
        with pytest.raises(forking.WorkerGone):
            streams.receive(0)
        assert [streams.receive(1) for _ in range(3)] == ["first", "second", "third"]
    finally:
        streams.close()
    assert capfd.readouterr() == ("", "")


@needs_fork
def test_closing_streams_ends_workers_still_sending() -> None:
    import os

    def work(share, send) -> None:
        while True:
            send(b"x" * 100_000)

    streams = forking.fork_streams(work, 2, 2)
    pids = list(streams._pids)
    assert streams.receive(0) == b"x" * 100_000
    streams.close()
    for pid in pids:  # ended and reaped: no such child any more
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@needs_fork
@pytest.mark.parametrize("items", [1, 7, 200, 20_001])
def test_every_batch_goes_to_exactly_one_worker(items) -> None:
    def work(share, send) -> None:
        for batch in share.batches():
            send(list(batch))

    streams = forking.fork_streams(work, items, 2, batch=3)
    done: list[int] = []
    try:
        with pytest.raises(forking.WorkerGone):
            while True:
                done.extend(streams.receive_any())
    finally:
        streams.close()
    assert sorted(done) == list(range(items))


@needs_fork
def test_each_worker_does_its_own_interleaved_share_in_order() -> None:
    def work(share, send) -> None:
        for batch in share.batches():
            send((share.worker, list(batch)))

    by_worker = _items_by_worker(forking.fork_streams(work, 40, 2, batch=3))
    assert by_worker == {0: list(range(0, 40, 2)), 1: list(range(1, 40, 2))}


def _items_by_worker(streams: forking.Streams) -> dict[int, list[int]]:
    """Every (worker, batch) message of `streams`, to its end: the items each worker did."""
    by_worker: dict[int, list[int]] = {0: [], 1: []}
    try:
        with pytest.raises(forking.WorkerGone):
            while True:
                worker, batch = streams.receive_any()
                by_worker[worker].extend(batch)
    finally:
        streams.close()
    return by_worker
