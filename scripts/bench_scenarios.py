"""Builds and scenarios for ``scripts/bench.py``: what is timed, in one tool's project.

A :class:`Context` is one tool's project for one corpus size; :func:`build` is a
clean or incremental build with its output checked. The scenarios (the
:data:`SCENARIOS` table, per tool family) run after the clean builds: an edit and a
rebuild, a restored CI cache, ``tipweek check`` from this environment and from the
pre-commit hook's, and an edit under ``mkdocs serve``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench_measure import (
    REPO,
    RunResult,
    environment,
    measure,
    new_venv,
    peak_rss_mib,
    quiet,
    tail,
)
from bench_tools import Expectations, Tool, check_output, newest
from corpus import TipSpec

SERVE_POLL_SECONDS = 0.1
SERVE_STOP_SECONDS = 10


@dataclass
class Context:
    """One tool's project for one corpus size."""

    tool: Tool
    project: Path
    specs: list[TipSpec]
    timeout: float
    expected: Expectations = field(init=False)

    def __post_init__(self) -> None:
        self.expected = self.tool.expect(self.specs)

    def logs(self, label: str) -> Path:
        return self.project.parent / "logs" / self.tool.name / label


def clean(ctx: Context) -> None:
    for name in ctx.tool.clean_paths:
        shutil.rmtree(ctx.project / name, ignore_errors=True)


def build(ctx: Context, label: str, *, clean_first: bool) -> RunResult:
    """One build, clean or incremental, with its output checked."""
    if clean_first:
        clean(ctx)
    return build_in(ctx, ctx.project, label)


def build_in(ctx: Context, project: Path, label: str) -> RunResult:
    """Build `project` (ctx's project or a copy of it) as it is, with its output checked."""
    cmd = ctx.tool.command(project)
    result = measure(cmd, project, ctx.logs(label), ctx.timeout, ctx.tool.env)
    if result.returncode == 0:
        result.problems += check_output(project, ctx.expected)
    return result


def scenario_edit_rebuild(ctx: Context, round_no: int) -> RunResult:
    """Append a sentence to the newest tip, then rebuild keeping output and caches.

    The newest tip is the usual one to fix, and it is on every first page
    (archive, its tags, feeds), so a correct incremental build must redo those.
    """
    source = ctx.project / ctx.tool.tip_source(newest(ctx.specs))
    with source.open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, added by edit {round_no + 1} of the benchmark.\n")
    return build(ctx, f"edit-rebuild-{round_no + 1}", clean_first=False)


def scenario_ci_cache(ctx: Context, round_no: int) -> RunResult:
    """A restored CI cache: the warmed project, output left behind, in a new folder.

    CI checks the sources out afresh (every modification time is the checkout's)
    and restores ``.cache/`` from an earlier run into a folder that may have
    another name; the site is built into a new ``site_dir``.  The copy and the
    new mtimes are not timed; the build is.  The copy is deleted afterwards.
    """
    copy = ctx.project.parent / f"{ctx.tool.name}-ci-{round_no + 1}"
    shutil.rmtree(copy, ignore_errors=True)
    outputs = {Path(name).parts[0] for name in ctx.expected.files}
    shutil.copytree(
        ctx.project,
        copy,
        ignore=lambda folder, names: _outputs_in(Path(folder), names, ctx.project, outputs),
    )
    now = time.time()
    for folder, _dirs, names in os.walk(copy):
        for name in names:
            os.utime(Path(folder) / name, (now, now))
    try:
        return build_in(ctx, copy, f"ci-cache-{round_no + 1}")
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _outputs_in(folder: Path, names: list[str], project: Path, outputs: set[str]) -> list[str]:
    """What `copytree` leaves out: the built site at the project's top (and any staging
    folder beside it), so the copy builds into a new site_dir."""
    if folder != project:
        return []
    return [name for name in names if any(name.lstrip(".").startswith(out) for out in outputs)]


def scenario_tipweek_check(ctx: Context, round_no: int) -> RunResult:
    """``tipweek check`` over the whole archive (the pre-commit hook)."""
    cmd = [ctx.tool.interpreter, "-m", "tipweek", "check"]
    logs = ctx.logs(f"tipweek-check-{round_no + 1}")
    return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)


def hook_venv(work: Path) -> Path:
    """``WORK/hook-venv``: the environment pre-commit would make for the hook.

    pre-commit installs a ``language: python`` hook's repository, not editable,
    into a virtual environment of its own, without the system's site-packages,
    and runs its ``entry`` (``tipweek check``) from there.  Starting Python is
    part of a hook's time, and in the benchmark's own environment it can cost
    more than in any user's (``.pth`` files of other packages, an editable
    install's import hook), so this measures the hook where it really runs.
    Made once per work directory; the repository is installed again on each
    benchmark run, so the measured code is the working tree's.  Not timed.
    """
    venv = work / "hook-venv"
    python = venv / "bin" / "python"
    installed = venv / "tipweek-installed"  # written last: a half-made venv is made again
    if not installed.exists():
        new_venv(venv, str(REPO))
        installed.touch()
    elif venv not in _HOOK_VENVS_UPDATED:
        quiet(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)]
        )
    _HOOK_VENVS_UPDATED.add(venv)
    return venv


_HOOK_VENVS_UPDATED: set[Path] = set()


def scenario_check_hook(ctx: Context, round_no: int) -> RunResult:
    """``tipweek check`` as pre-commit runs it, from :func:`hook_venv` (or, for another
    commit's tipweek, from its own environment, made the same way by
    :func:`bench_revisions.revision_env`)."""
    logs = ctx.logs(f"check-hook-{round_no + 1}")
    if ctx.tool.python:
        cmd = [str(Path(ctx.tool.python).parent / "tipweek"), "check"]
        return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)
    try:
        venv = hook_venv(ctx.project.parent.parent)
    except (OSError, RuntimeError) as exc:
        return RunResult(0.0, 0.0, 1, problems=[f"cannot make the hook's environment: {exc}"])
    cmd = [str(venv / "bin" / "tipweek"), "check"]
    return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str | None:
    """The page at ``url``, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return None


def _wait_for(url: str, marker: str, deadline: float, server: subprocess.Popen) -> bool:
    """Poll ``url`` until its page has ``marker``; False at ``deadline`` or if the server died."""
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            return False
        page = _fetch(url)
        if page is not None and marker in page:
            return True
        time.sleep(SERVE_POLL_SECONDS)
    return False


def scenario_serve_reload(ctx: Context, round_no: int) -> RunResult:
    """``mkdocs serve`` on 127.0.0.1: edit the newest tip, time until the new text is served.

    The server is started fresh (its first build is not timed) and stopped after
    each round. Timed: from the write of the tip file to the first response of
    the tip's page that contains the edit, i.e. what an editor waits for.
    """
    logs = ctx.logs(f"serve-reload-{round_no + 1}")
    logs.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    url = base + ctx.expected.newest_tip_url
    source = ctx.project / ctx.tool.tip_source(newest(ctx.specs))
    marker = f"Served edit {round_no + 1} {time.time_ns()}."
    serve = ["-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"]
    cmd = [ctx.tool.interpreter, *serve]
    env = environment([("NO_MKDOCS_2_WARNING", "1"), *ctx.tool.env])
    result = RunResult(0.0, 0.0, 0)
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        server = subprocess.Popen(
            cmd,
            cwd=ctx.project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # so stopping it stops its children too
        )
        try:
            first_page = time.perf_counter() + ctx.timeout
            if not _wait_for(url, "<html", first_page, server):
                result.problems.append(f"mkdocs serve never served {url}")
            else:
                with source.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n{marker}\n")
                start = time.perf_counter()
                if _wait_for(url, marker, start + ctx.timeout, server):
                    result.seconds = time.perf_counter() - start
                else:
                    result.problems.append(f"the edit was not served within {ctx.timeout:.0f} s")
        finally:
            result.max_rss_mib = peak_rss_mib(server.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=SERVE_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    if result.problems:
        result.stderr_tail = tail(logs / "stderr.log")
    return result


Scenario = Callable[[Context, int], RunResult]
#: Scenarios run only when asked for: the hook's environment is installed from PyPI.
OPT_IN_SCENARIOS = ("check-hook", "search")
#: Scenarios a tool family runs only when ``--scenarios`` names them: serving Material's
#: blog at N=2,000 takes minutes a round (the tipweek family previews by default).
OPT_IN_FOR: dict[str, tuple[str, ...]] = {"material": ("serve-reload",)}
#: Not a per-tool scenario: `--scenarios search` alone compares tipweek's two searches
#: (scripts/bench_search.py) instead of building the tools.
SEARCH_SCENARIO = "search"

#: Extra measurements per tool, run after the clean builds, ``--runs`` times each,
#: interleaved across tools. Add an entry to measure more: a scenario gets the tool's
#: context and the round number, and returns a RunResult (a failure is reported, never
#: timed as a success).
SCENARIOS: dict[str, dict[str, Scenario]] = {
    "tipweek": {
        "edit-rebuild": scenario_edit_rebuild,
        "ci-cache": scenario_ci_cache,
        "tipweek-check": scenario_tipweek_check,
        "check-hook": scenario_check_hook,
        "serve-reload": scenario_serve_reload,
    },
    "material": {"edit-rebuild": scenario_edit_rebuild, "serve-reload": scenario_serve_reload},
    "pelican": {"edit-rebuild": scenario_edit_rebuild},
    "hugo": {"edit-rebuild": scenario_edit_rebuild},
    "mkdocs-plain": {"edit-rebuild": scenario_edit_rebuild},
}
