"""Work in forked children: results come back, failures fall back to the parent."""

from __future__ import annotations

import os

import pytest

from tipweek import forking
from tipweek.forking import InBackground

needs_fork = pytest.mark.skipif(not forking.can_fork(), reason="needs fork and two cores")


@needs_fork
def test_the_work_runs_in_a_child_and_its_result_comes_back() -> None:
    parent = os.getpid()
    job = InBackground(lambda: {"pid": os.getpid(), "data": b"\x00" * 300_000})
    result = job.result()
    assert result["pid"] != parent
    assert result["data"] == b"\x00" * 300_000  # more than a pipe holds at once


@needs_fork
def test_changes_made_by_the_child_stay_in_the_child() -> None:
    seen: list[int] = []

    def work() -> int:
        seen.append(1)
        return len(seen)

    assert InBackground(work).result() == 1
    assert seen == []


@needs_fork
def test_a_failing_child_is_replaced_by_running_the_work_here() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return 42

    assert InBackground(work).result() == 42


def test_without_fork_the_work_runs_here() -> None:
    parent = os.getpid()
    assert InBackground(os.getpid, fork=False).result() == parent


def test_an_error_in_the_work_reaches_the_caller() -> None:
    def work() -> int:
        raise ValueError("bad tip")

    with pytest.raises(ValueError, match="bad tip"):
        InBackground(work).result()
