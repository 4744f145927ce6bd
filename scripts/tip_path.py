"""Which of tipweek's modules one tip passes through in a build, and in which processes.

    python scripts/tip_path.py . tips/2026/2026-02-17-say-their-name-once.md
    TIPWEEK_WITHOUT=all python scripts/tip_path.py . tips/2026/…md   # the plain path

The project is copied into a temporary folder and one word, found nowhere else,
is added to the tip's body there.  A function of tipweek is on the tip's path
when it is called with the tip itself, its page (an object whose `.tip` is the
tip), or a text or bytes holding that word: its Markdown, its HTML, its page,
the excerpt, feed and email edition that carry it.  Forked workers inherit the
hook and report their own modules.  `TIPWEEK_WITHOUT=all` switches every speed
mechanism off; `TIPWEEK_PARALLEL_MIN=1` makes even a small site fork its
workers, as a large one does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

WORD = "qzxjtippathword"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="the folder of mkdocs.yml")
    parser.add_argument("tip", help="the tip's path in the project, as tipweek names it")
    args = parser.parse_args()
    if os.environ.get("TIPWEEK_WITHOUT") == "all":
        from tipweek.speed.switches import MECHANISMS

        os.environ["TIPWEEK_WITHOUT"] = ",".join(MECHANISMS)
    with tempfile.TemporaryDirectory(prefix="tip-path-") as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(
            args.project, project, ignore=shutil.ignore_patterns(".git", ".cache", "site")
        )
        with (project / args.tip).open("a", encoding="utf-8") as tip:
            tip.write(f"\n\nA word to follow: {WORD}.\n")
        found = _trace_build(project, args.tip, Path(scratch) / "reports")
    build, workers = found[str(os.getpid())], [v for k, v in found.items() if k != str(os.getpid())]
    every = set(build).union(*workers)
    print(f"{len(every)} modules: {len(build)} in the build's process", end="")
    print(f", {len(workers)} workers entering {len(set().union(*workers))}" if workers else "")
    for module in sorted(every):
        where = ["build"] if module in build else []
        where += [f"{sum(module in w for w in workers)} workers"] if workers else []
        print(f"  {module:40} {', '.join(w for w in where if not w.startswith('0 '))}")
    return 0


def _trace_build(project: Path, tip: str, reports: Path) -> dict[str, list[str]]:
    """Build `project` with the hook on; the modules on the tip's path, by process."""
    import tipweek

    package = str(Path(tipweek.__file__).parent)
    seen: set[str] = set()

    def on_path(value: Any) -> bool:
        if isinstance(value, str):
            return WORD in value
        if isinstance(value, bytes):
            return WORD.encode() in value
        if type(value).__name__ == "Tip":
            return getattr(value, "source", None) == tip
        owner = getattr(value, "tip", None)
        return type(owner).__name__ == "Tip" and getattr(owner, "source", None) == tip

    build_process = os.getpid()
    reports.mkdir()

    def remember(module: str) -> None:
        seen.add(module)
        if os.getpid() != build_process:  # a worker: said at once, as it may be killed
            with (reports / str(os.getpid())).open("a", encoding="utf-8") as report:
                report.write(module + "\n")

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        name = code.co_filename
        if event != "call" or not name.startswith(package) or not name.endswith(".py"):
            return
        module = os.path.relpath(name, package)
        if module in seen:
            return
        arguments = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        try:
            if any(on_path(frame.f_locals.get(argument)) for argument in arguments):
                remember(module)
        except Exception:  # an object whose attributes cannot be read: not the tip
            pass

    if hasattr(os, "register_at_fork"):  # not on Windows, where nothing forks either
        os.register_at_fork(after_in_child=seen.clear)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(project)
    config = load_config("mkdocs.yml")
    sys.setprofile(hook)
    threading.setprofile(hook)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    found = {
        path.name: [line for line in path.read_text().splitlines() if line.endswith(".py")]
        for path in reports.iterdir()
    }
    found = {pid: modules for pid, modules in found.items() if modules}
    found[str(build_process)] = sorted(seen)
    return found


if __name__ == "__main__":
    sys.exit(main())
