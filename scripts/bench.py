"""Side-by-side build benchmark: tipweek against Material's blog, Pelican and Hugo.

Usage::

    python scripts/bench.py --sizes 500,2000 --runs 3 \\
        --tools tipweek,material,pelican,hugo --json bench.json

For each size N the script generates one synthetic archive (``scripts/corpus.py``),
lays it out once per tool in ``WORK/N/<tool>/`` in that tool's native format,
configured for the same features (a page per tip, a paged archive of 10 with
excerpts, paged tag pages, RSS for the site and, where the tool can, per tag),
then:

1. builds each tool once as a warm-up and checks its output really has the
   features (page 2 of the archive, a tag page, the feed and its item count);
2. runs ``--runs`` rounds of clean builds, interleaved (round 1: A B C D, round
   2: A B C D ...) so that machine noise hits every tool alike; each build
   starts with its output and cache directories deleted, is timed with
   ``time.perf_counter()`` and has its peak RSS read from ``os.wait4``;
3. runs the per-tool *scenarios* (see :data:`bench_scenarios.SCENARIOS`), also
   interleaved: ``edit-rebuild`` appends a sentence to the newest tip and rebuilds
   without deleting output or cache; ``tipweek-check`` times ``python -m tipweek
   check``; ``check-hook`` (only with ``--scenarios``) times ``tipweek check`` as
   pre-commit runs the hook, from its own virtual environment (see
   :func:`bench_scenarios.hook_venv`); ``serve-reload`` (the preview; for Material
   only with ``--scenarios``, as serving its blog at 2,000 tips takes minutes a
   round) starts ``mkdocs serve`` on 127.0.0.1, appends a sentence to the newest
   tip and times until the server returns the tip's page with it; ``ci-cache`` copies the
   warmed project with its ``.cache/`` (not its site) to a new folder, sets every
   file's modification time to now and builds there, as CI does with a restored
   cache (tipweek's target: at most half a clean build).

``--without forks,page-cache`` (or ``--without all``) adds one tool column per
speed mechanism, ``tipweek-without-<name>``: tipweek built with that mechanism
switched off (``TIPWEEK_WITHOUT``, see ``tipweek/core/switches.py``), with every
tipweek scenario; a table then gives each variant's times and memory as a ratio
to full tipweek measured in the same run, which is what each mechanism gains.

``--tipweek-at 7813ef1,3dd5d90`` adds one tool column per commit, ``tipweek@<sha>``:
that commit's tipweek, from ``git archive`` into ``WORK/tipweek-at/<sha>/src``,
installed into a virtual environment beside it (no system site-packages) with every
other distribution pinned to its version here (:func:`bench_revisions.revision_env`; made once per
work directory, not timed), built on the same corpus and ``mkdocs.yml`` through
tipweek's scenarios (``tipweek-check`` and ``check-hook`` are skipped, with a reason,
for a commit without ``tipweek check``). After the clean builds, every tipweek
column's site is compared byte for byte with the first revision's (or, without
revisions, full tipweek's), paths and contents; a table gives each column's times
and memory as a ratio to the first revision's.

The ``tipweek`` column is tipweek as ``tipweek init`` configures it (Pagefind
search); ``tipweek-lunr`` is the same with Material's lunr search. The report's first
lines say so, and where the work directory was: by default a new folder in the
system's temporary folder (on disk), with ``--tmpfs`` one in ``/dev/shm`` (in memory,
where it exists), so the same command measures both; ``--work DIR`` names it.

A build that exits non-zero, or whose output lacks an expected file, is a
failure: it is reported with the tail of its stderr and never timed as a
success. Other tools carry on. The script prints Markdown tables (medians, minima,
peak memory, ratios tipweek/tool) plus the machine and date, and ``--json``
writes every raw measurement, the versions of all tools and the machine.

Exit status: 0 when every clean build succeeded, 1 otherwise (``--strict``
also counts failed scenarios), 2 for bad arguments.

This file is the command line and the benchmark loop; beside it,
``bench_measure.py`` runs and measures one command (:class:`RunResult`, ``measure``,
peak RSS), ``bench_layouts.py`` writes each generator's project and
``bench_tools.py`` holds the registry of tools (``TOOLS``, the ``--without``
variants, the expected output), ``bench_scenarios.py`` the builds and scenarios,
``bench_revisions.py`` ``--tipweek-at`` and the site-tree comparison,
``bench_report.py`` the tables and the JSON, ``bench_machine.py`` the machine, the
versions and the work directory's file system, and ``bench_search.py`` the ``search``
scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_machine import RunInfo
from bench_measure import RunResult, Series, ToolResult, log
from bench_report import report, to_json
from bench_revisions import Revision, prepare_revisions, resolve_revision, site_identity
from bench_scenarios import (
    OPT_IN_FOR,
    OPT_IN_SCENARIOS,
    SCENARIOS,
    SEARCH_SCENARIO,
    Context,
    Scenario,
    build,
)
from bench_tools import TOOLS, Tool, without_variant
from corpus import write_corpus

# The tipweek this script sits in: bench_tools put its folder on sys.path.
from tipweek.speed import switches

DEFAULT_TOOLS = ("tipweek", "tipweek-lunr", "material", "pelican", "hugo")
#: Where ``--tmpfs`` makes the work directory: Linux's memory file system.
TMPFS = Path("/dev/shm")


def prepare(
    n: int,
    work: Path,
    tools: list[Tool],
    seed: int,
    timeout: float,
    broken: dict[str, str] | None = None,
) -> tuple[list[Context], dict[str, str]]:
    """Generate the corpus for size N and lay it out once per tool (but the `broken` ones).

    Returns the contexts of the tools laid out, and why the others could not be.
    """
    size_dir = work / str(n)
    shutil.rmtree(size_dir, ignore_errors=True)
    specs = write_corpus(n, size_dir / "corpus", seed)
    contexts, errors = [], {}
    for tool in tools:
        if broken and tool.name in broken:
            errors[tool.name] = broken[tool.name]
            continue
        project = size_dir / tool.name
        project.mkdir(parents=True)
        try:
            tool.layout(size_dir / "corpus", project, specs)
        except Exception as exc:  # one tool's broken set-up must not stop the others
            errors[tool.name] = f"layout failed: {type(exc).__name__}: {exc}"
            continue
        contexts.append(Context(tool, project, specs, timeout))
    return contexts, errors


def _describe(run: RunResult) -> str:
    if run.ok:
        return f"{run.seconds:.2f} s, {run.max_rss_mib:.0f} MiB"
    return f"FAILED ({'; '.join(run.problems) or f'exit {run.returncode}'})"


def run_size(n: int, work: Path, tools: list[Tool], args: argparse.Namespace) -> list[ToolResult]:
    log(f"== N={n}: generating corpus and laying out {len(tools)} tool(s) in {work / str(n)}")
    contexts, errors = prepare(n, work, tools, args.seed, args.timeout, args.broken)
    results = {tool.name: ToolResult(tool.name, n) for tool in tools}
    for name, error in errors.items():
        results[name].warmup.skipped = results[name].clean.skipped = error
        log(f"   {name}: {error}")

    live = []
    for ctx in contexts:
        run = build(ctx, "warmup", clean_first=True)
        results[ctx.tool.name].warmup.runs.append(run)
        log(f"   warm-up {ctx.tool.name}: {_describe(run)}")
        if run.ok:
            live.append(ctx)
        else:
            results[ctx.tool.name].clean.skipped = f"warm-up failed: {_describe(run)}"

    for round_no in range(args.runs):
        for ctx in live:
            run = build(ctx, f"clean-{round_no + 1}", clean_first=True)
            results[ctx.tool.name].clean.runs.append(run)
            log(f"   round {round_no + 1} {ctx.tool.name}: {_describe(run)}")

    # Before the scenarios, which edit a tip: every site is its last clean build's.
    site_identity(live, results)
    for ctx in live:
        if results[ctx.tool.name].identity:
            log(f"   {ctx.tool.name}: {results[ctx.tool.name].identity.describe()}")
    run_scenarios(live, results, args)
    return list(results.values())


def scenarios_for(tool: Tool, args: argparse.Namespace) -> dict[str, Scenario]:
    """The scenarios `tool` runs: those of its family in ``--scenarios``; by default,
    not its family's opt-in ones (:data:`bench_scenarios.OPT_IN_FOR`)."""
    family = tool.scenarios_of
    left_out = () if args.scenarios_named else OPT_IN_FOR.get(family, ())
    return {
        name: scenario
        for name, scenario in SCENARIOS.get(family, {}).items()
        if name in args.scenarios and name not in left_out
    }


def run_scenarios(
    live: list[Context], results: dict[str, ToolResult], args: argparse.Namespace
) -> None:
    """Each tool's scenarios, interleaved across tools, starting from its last clean build."""
    chosen: dict[str, dict[str, Scenario]] = {}
    for ctx in live:
        chosen[ctx.tool.name] = scenarios_for(ctx.tool, args)
        unavailable = dict(ctx.tool.unavailable)
        for name in chosen[ctx.tool.name]:
            series = results[ctx.tool.name].scenarios.setdefault(name, Series())
            if not results[ctx.tool.name].clean.ok:
                series.skipped = "skipped: clean builds failed"
            elif name in unavailable:
                series.skipped = f"skipped: {unavailable[name]}"
    for round_no in range(args.runs):
        for ctx in live:
            for name, scenario in chosen[ctx.tool.name].items():
                series = results[ctx.tool.name].scenarios[name]
                if series.skipped:
                    continue
                run = scenario(ctx, round_no)
                series.runs.append(run)
                log(f"   round {round_no + 1} {ctx.tool.name} {name}: {_describe(run)}")


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from exc
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return values


def _name_list(known: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown)} (choose from {', '.join(known)})"
            )
        return names

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    all_scenarios = sorted(
        {name for table in SCENARIOS.values() for name in table} | {SEARCH_SCENARIO}
    )
    parser = argparse.ArgumentParser(
        description="Build one synthetic tip archive with tipweek and its competitors.",
    )
    parser.add_argument("--sizes", type=_int_list, default=[500], help="e.g. 500,2000")
    parser.add_argument("--runs", type=int, default=3, help="timed rounds per size")
    parser.add_argument(
        "--tools",
        type=_name_list(list(TOOLS)),
        default=list(DEFAULT_TOOLS),
        help=f"comma list from {', '.join(TOOLS)} (default: {','.join(DEFAULT_TOOLS)})",
    )
    parser.add_argument(
        "--scenarios",
        type=_name_list([*all_scenarios, "none"]),
        help=f"comma list from {', '.join(all_scenarios)}, or none "
        f"(default: all but {', '.join(OPT_IN_SCENARIOS)}, and for "
        + "; ".join(f"{family} all but {', '.join(names)}" for family, names in OPT_IN_FOR.items())
        + ")",
    )
    parser.add_argument(
        "--without",
        type=_name_list([*switches.MECHANISMS, "all"]),
        default=[],
        help="add tipweek with each of these speed mechanisms switched off, one tool column "
        f"each: comma list from {', '.join(switches.MECHANISMS)}, or all",
    )
    parser.add_argument(
        "--tipweek-at",
        type=_revision_list,
        default=[],
        metavar="REV[,REV...]",
        help="add tipweek at each of these commits, one tool column tipweek@<commit> each, "
        "built from its own environment in WORK/tipweek-at/ (made once per work directory)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--work", type=Path, help="work directory (default: a new one in the system's temp dir)"
    )
    where.add_argument(
        "--tmpfs",
        action="store_true",
        help=f"make the work directory in {TMPFS} (in memory) instead of the temp dir (on disk)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp work directory")
    parser.add_argument("--json", type=Path, help="write all measurements to this file")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument("--strict", action="store_true", help="failed scenarios fail too")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    # Named scenarios run for every tool that has them; by default, a tool family's
    # opt-in ones (OPT_IN_FOR) are left out.
    args.scenarios_named = args.scenarios is not None
    if args.scenarios is None:
        args.scenarios = [name for name in all_scenarios if name not in OPT_IN_SCENARIOS]
    args.scenarios = set(args.scenarios) - {"none"}
    if SEARCH_SCENARIO in args.scenarios and len(args.scenarios) > 1:
        parser.error("--scenarios search runs on its own")
    if "all" in args.without:
        args.without = list(switches.MECHANISMS)
    args.tool_table = {name: TOOLS[name] for name in args.tools}
    if args.without and "tipweek" not in args.tool_table:
        # The variants are measured against full tipweek, in the same run.
        args.tool_table = {"tipweek": TOOLS["tipweek"], **args.tool_table}
    for mechanism in dict.fromkeys(args.without):
        variant = without_variant(mechanism)
        args.tool_table[variant.name] = variant
    args.tipweek_at = list({revision.sha: revision for revision in args.tipweek_at}.values())
    args.broken, args.drift = {}, {}
    args.tools = list(args.tool_table)
    return args


def _revision_list(text: str) -> list[Revision]:
    try:
        return [resolve_revision(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def work_directory(args: argparse.Namespace) -> Path:
    """``--work``'s folder, or a new one in the system's temporary folder (on disk), or
    with ``--tmpfs`` in /dev/shm (in memory) where it exists."""
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        return args.work
    parent = None
    if args.tmpfs:
        if TMPFS.is_dir():
            parent = str(TMPFS)
        else:
            log(f"--tmpfs: there is no {TMPFS} here; working in the system's temporary folder")
    return Path(tempfile.mkdtemp(prefix="tipweek-bench-", dir=parent))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if SEARCH_SCENARIO in args.scenarios:
        return search_main(args)
    work = work_directory(args)
    info = RunInfo.collect(work)
    results: list[ToolResult] = []
    try:
        revision_tools, args.broken, args.drift = prepare_revisions(work, args.tipweek_at)
        args.tool_table.update(revision_tools)
        args.tools = list(args.tool_table)
        tools = list(args.tool_table.values())
        for n in args.sizes:
            results += run_size(n, work, tools, args)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"work directory kept: {work}")

    info.load_at_end = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(report(results, args, info))
    if args.json:
        args.json.write_text(json.dumps(to_json(results, args, info), indent=2) + "\n")
        log(f"wrote {args.json}")
    failed = any(not r.clean.ok for r in results)
    if args.strict:
        failed |= any(not s.ok for r in results for s in r.scenarios.values())
    return 1 if failed else 0


def search_main(args: argparse.Namespace) -> int:
    """`--scenarios search`: Pagefind against Material's lunr search (bench_search.py)."""
    import bench_search

    work = work_directory(args)
    info = RunInfo.collect(work)
    try:
        text, raw = bench_search.run(args.sizes, work, args.seed, args.timeout, args.runs)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    header = ["# tipweek search benchmark", "", info.storage(), *info.describe()]
    print("\n".join([*header, "", text]))
    if args.json:
        args.json.write_text(json.dumps({"search": raw, **asdict(info)}, indent=2) + "\n")
    return 1 if any(r["problem"] for r in raw) else 0


if __name__ == "__main__":
    sys.exit(main())
