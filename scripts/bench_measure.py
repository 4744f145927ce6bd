"""Running and measuring one command for ``scripts/bench.py``.

:func:`measure` runs a build (or any command) with its output in files, times it
with ``time.perf_counter()`` and reads its peak RSS and CPU time from ``os.wait4``;
:func:`peak_rss_mib` reads a live server's peak from ``/proc``. A :class:`Series`
holds the repeated measurements of one thing, a :class:`ToolResult` every series of
one tool at one corpus size. Set-up commands that are not timed (virtual
environments, ``git archive``) run through :func:`quiet`.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench_trees import TreeComparison

REPO = Path(__file__).resolve().parent.parent
#: 2026-01-01T00:00:00Z: after the corpus' newest tip, so every tip is published,
#: and fixed so that builds are reproducible.
SOURCE_DATE_EPOCH = "1767225600"
STDERR_TAIL_LINES = 15


def log(message: str) -> None:
    """Progress, on stderr: stdout carries the report."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# Measuring one command
# --------------------------------------------------------------------------- #


@dataclass
class RunResult:
    """One timed command: wall time, peak RSS of the process tree, outcome."""

    seconds: float
    max_rss_mib: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system, child and its waited-for descendants
    problems: list[str] = field(default_factory=list)  # missing output, timeouts
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def tail(path: Path, lines: int = STDERR_TAIL_LINES) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def environment(extra_env: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """This process's environment for a measured command; a None value removes the variable."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    for name, value in extra_env:
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def measure(
    cmd: Sequence[str],
    cwd: Path,
    log_dir: Path,
    timeout: float,
    extra_env: Sequence[tuple[str, str | None]] = (),
) -> RunResult:
    """Run ``cmd`` in ``cwd``; time it and read its peak RSS from ``os.wait4``.

    Output goes to files, not pipes: we reap the child with ``wait4`` without
    reading, and a full pipe would block it. ``ru_maxrss`` (KiB on Linux) is the
    peak of the child and of any descendants it waited for.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.log", log_dir / "stderr.log"
    env = environment(extra_env)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as exc:
            return RunResult(0.0, 0.0, 127, problems=[f"cannot start {cmd[0]}: {exc}"])
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen from waiting
    cpu = usage.ru_utime + usage.ru_stime
    result = RunResult(seconds, usage.ru_maxrss / 1024, proc.returncode, cpu)
    if proc.returncode != 0:
        if proc.returncode < 0 and seconds >= timeout:
            result.problems.append(f"timed out after {timeout:.0f} s")
        result.stderr_tail = tail(err_path) or tail(out_path)
    return result


def peak_rss_mib(pid: int) -> float:
    """A live process's peak RSS (Linux ``VmHWM``), or 0 where /proc cannot tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def new_venv(venv: Path, *install: str) -> Path:
    """A virtual environment at ``venv`` (emptied first), without the system's
    site-packages, with ``pip install -q *install`` done in it; returns its python."""
    python = venv / "bin" / "python"
    quiet([sys.executable, "-m", "venv", "--clear", str(venv)])
    quiet([str(python), "-m", "pip", "install", "-q", *install])
    return python


def quiet(cmd: list[str]) -> None:
    """Run a set-up command; its output is shown only if it fails (as RuntimeError)."""
    done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{tail}")


# --------------------------------------------------------------------------- #
# Results
# --------------------------------------------------------------------------- #


@dataclass
class Series:
    """Repeated measurements of one thing (clean build or a scenario)."""

    runs: list[RunResult] = field(default_factory=list)
    skipped: str = ""  # why it did not run at all

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    @property
    def good(self) -> list[RunResult]:
        return [run for run in self.runs if run.ok]

    @property
    def median_s(self) -> float | None:
        return statistics.median(r.seconds for r in self.good) if self.good else None

    @property
    def min_s(self) -> float | None:
        return min(r.seconds for r in self.good) if self.good else None

    @property
    def median_cpu_s(self) -> float | None:
        return statistics.median(r.cpu_seconds for r in self.good) if self.good else None

    @property
    def peak_mib(self) -> float | None:
        return max(r.max_rss_mib for r in self.good) if self.good else None

    def failure(self) -> str:
        """A one-line reason why this series is not ok (empty if it is)."""
        if self.skipped:
            return self.skipped
        bad = [run for run in self.runs if not run.ok]
        if not bad:
            return ""
        first = bad[0]
        reason = "; ".join(first.problems) or f"exit {first.returncode}"
        if first.returncode != 0 and first.problems:
            reason = f"exit {first.returncode}; {reason}"
        return f"{len(bad)}/{len(self.runs)} failed: {reason}"

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "failure": self.failure() or None,
            "median_s": self.median_s,
            "min_s": self.min_s,
            "median_cpu_s": self.median_cpu_s,
            "peak_mib": self.peak_mib,
            "runs": [asdict(run) for run in self.runs],
        }


@dataclass
class ToolResult:
    tool: str
    n: int
    warmup: Series = field(default_factory=Series)
    clean: Series = field(default_factory=Series)
    scenarios: dict[str, Series] = field(default_factory=dict)
    identity: TreeComparison | None = None  # its site against the reference's (tipweek family)
