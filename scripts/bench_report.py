"""The report of ``scripts/bench.py``: Markdown tables on stdout, every measurement in JSON.

Tables: the clean builds (medians, minima, CPU, peak memory, ratios tipweek/tool),
the scenarios, the ``tipweek-without-*`` variants and the ``tipweek@<sha>``
revisions as ratios to their baseline in the same run; then whether the sites are
identical, version drift, failures with their stderr, and the machine, date and
versions (``bench_machine.RunInfo``). Its first lines say what the tipweek columns
build and where.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from bench_machine import RunInfo
from bench_measure import SOURCE_DATE_EPOCH, ToolResult
from bench_revisions import REVISION_PREFIX
from bench_tools import WITHOUT_PREFIX


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def ratios(results: list[ToolResult]) -> dict[tuple[str, int], dict[str, float | None]]:
    """tipweek / tool, for time (medians) and memory (peaks), per size."""
    ours = {r.n: r for r in results if r.tool == "tipweek" and r.clean.ok}
    table: dict[tuple[str, int], dict[str, float | None]] = {}
    for result in results:
        base = ours.get(result.n)
        usable = base is not None and result.clean.ok
        table[(result.tool, result.n)] = {
            "time": _ratio(base.clean.median_s, result.clean.median_s) if usable else None,
            "memory": _ratio(base.clean.peak_mib, result.clean.peak_mib) if usable else None,
        }
    return table


def _fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def clean_table(results: list[ToolResult], runs: int) -> str:
    ratio = ratios(results)
    rows = [
        "| tool | N | median s | min s | CPU s | peak MiB | runs ok | tipweek/tool time "
        "| tipweek/tool memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        good = len(r.clean.good)
        median = _fmt(r.clean.median_s) if r.clean.ok else "**FAILED**"
        rows.append(
            f"| {r.tool} | {r.n:,} | {median} | {_fmt(r.clean.min_s)} "
            f"| {_fmt(r.clean.median_cpu_s)} | {_fmt(r.clean.peak_mib, '.0f')} | {good}/{runs} "
            f"| {_fmt(ratio[(r.tool, r.n)]['time'], '.2f', 'x')} "
            f"| {_fmt(ratio[(r.tool, r.n)]['memory'], '.2f', 'x')} |"
        )
    return "\n".join(rows)


def scenario_table(results: list[ToolResult]) -> str:
    rows = [
        "| tool | N | scenario | median s | min s | peak MiB | vs clean build |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, series in r.scenarios.items():
            median = _fmt(series.median_s) if series.ok else "**FAILED**"
            if series.skipped:
                median = "skipped"  # the reason is under Failures
            versus = _ratio(series.median_s, r.clean.median_s) if series.ok else None
            rows.append(
                f"| {r.tool} | {r.n:,} | {name} | {median} | {_fmt(series.min_s)} "
                f"| {_fmt(series.peak_mib, '.0f')} | {_fmt(versus, '.2f', 'x')} |"
            )
    return "\n".join(rows) if len(rows) > 2 else ""


#: The scenarios the with/without table shows, besides the clean build.
WITHOUT_SCENARIOS = ("edit-rebuild", "ci-cache", "tipweek-check", "serve-reload")


def without_table(results: list[ToolResult]) -> str:
    """Each `tipweek-without-*` variant against full tipweek of the same size: medians
    of the clean build and of each scenario, peak memory, each as variant / full."""
    full = {r.n: r for r in results if r.tool == "tipweek"}
    variants = [r for r in results if r.tool.startswith(WITHOUT_PREFIX) and r.n in full]
    if not variants:
        return ""
    labelled = [("(nothing)", r) for r in full.values()]
    labelled += [(r.tool.removeprefix(WITHOUT_PREFIX), r) for r in variants]
    return versus_table("without", full, labelled)


def revision_table(results: list[ToolResult]) -> str:
    """Each `tipweek@<commit>` column, and the working tree's, against the first
    revision of the same size, as :func:`without_table` does for the variants."""
    revisions = [r for r in results if r.tool.startswith(REVISION_PREFIX)]
    first = {}
    for r in revisions:
        first.setdefault(r.n, r)
    if not first:
        return ""
    labelled = [(r.tool, r) for r in revisions]
    labelled += [("working tree", r) for r in results if r.tool == "tipweek" and r.n in first]
    return versus_table("tipweek", first, labelled)


def versus_table(
    label: str, base_of: dict[int, ToolResult], labelled: list[tuple[str, ToolResult]]
) -> str:
    """Rows of (label, result): medians of the clean build and of each scenario, peak
    memory, each as a ratio to `base_of[result.n]`."""
    shown = [name for name in WITHOUT_SCENARIOS if any(name in r.scenarios for _, r in labelled)]
    # CPU (user + system) beside wall time: on a shared machine, the wall clock mostly
    # measures the neighbours; CPU time drifts far less (but forks trade CPU for wall time).
    header = [label, "N", "clean s", "ratio", "CPU ratio", "clean peak MiB", "ratio"]
    for name in shown:
        header += [f"{name} s", "ratio", "CPU ratio"]
    rows = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for name, r in labelled:
        base = base_of[r.n]
        cells = [
            name,
            f"{r.n:,}",
            _fmt(r.clean.median_s) if r.clean.ok else "**FAILED**",
            _fmt(_ratio(r.clean.median_s, base.clean.median_s), ".2f", "x"),
            _fmt(_ratio(r.clean.median_cpu_s, base.clean.median_cpu_s), ".2f", "x"),
            _fmt(r.clean.peak_mib, ".0f"),
            _fmt(_ratio(r.clean.peak_mib, base.clean.peak_mib), ".2f", "x"),
        ]
        for scenario in shown:
            mine, theirs = r.scenarios.get(scenario), base.scenarios.get(scenario)
            ok = mine is not None and mine.ok and theirs is not None and theirs.ok
            if not ok:
                cells += ["-", "-", "-"]
                continue
            cells += [
                _fmt(mine.median_s),
                _fmt(_ratio(mine.median_s, theirs.median_s), ".2f", "x"),
                _fmt(_ratio(mine.median_cpu_s, theirs.median_cpu_s), ".2f", "x"),
            ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def failures(results: list[ToolResult]) -> list[str]:
    """Every failed series with its stderr tail, for the report."""
    lines = []
    for r in results:
        named = [("warm-up", r.warmup), ("clean build", r.clean), *r.scenarios.items()]
        for label, series in named:
            reason = series.failure()
            if not reason or (label == "clean build" and r.clean.skipped):
                continue
            lines.append(f"### {r.tool}, N={r.n:,}, {label}: {reason}")
            tail = next((run.stderr_tail for run in series.runs if run.stderr_tail), "")
            if tail:
                lines += ["```", tail, "```"]
    return lines


def report(results: list[ToolResult], args: argparse.Namespace, info: RunInfo) -> str:
    parts = [*configuration(args), info.storage(), ""]
    parts += [
        f"## Clean builds (median of {args.runs}, after one warm-up; "
        "CPU = user + system; peak = max RSS over the runs)",
        "",
        clean_table(results, args.runs),
    ]
    scenarios = scenario_table(results)
    if scenarios:
        parts += ["", "## Scenarios", "", scenarios]
    variants = without_table(results)
    if variants:
        parts += [
            "",
            "## tipweek without each speed mechanism (time and memory / full tipweek's, "
            "same run; above 1.00x, the mechanism gains)",
            "",
            variants,
        ]
    revisions = revision_table(results)
    if revisions:
        parts += [
            "",
            "## tipweek at each commit (time and memory / the first commit's, same run; "
            "above 1.00x, slower than it)",
            "",
            revisions,
        ]
    same = [f"- {r.tool}, N={r.n:,}: {r.identity.describe()}" for r in results if r.identity]
    if same:
        parts += ["", "## Output identity (each site after its last clean build)", "", *same]
    drift = [f"- {column}: {', '.join(lines)}" for column, lines in args.drift.items() if lines]
    if drift:
        parts += ["", "## Versions that differ from this environment's", "", *drift]
    trouble = failures(results)
    if trouble:
        parts += ["", "## Failures", "", *trouble]
    return "\n".join([*parts, "", *info.describe()])


def configuration(args: argparse.Namespace) -> list[str]:
    """The report's first lines: which configuration the tipweek columns build."""
    lines = []
    if "tipweek" in args.tool_table:
        lines.append(
            "The tipweek column: tipweek as `tipweek init` configures it, with Pagefind "
            "search (`plugins: [tipweek: {search: pagefind}]`, Material theme)."
        )
    if "tipweek-lunr" in args.tool_table:
        lines.append(
            "The tipweek-lunr column: the same with Material's lunr search "
            "(`plugins: [search, tipweek]`)."
        )
    return lines


def to_json(
    results: list[ToolResult], args: argparse.Namespace, info: RunInfo
) -> dict[str, object]:
    ratio = ratios(results)
    return {
        **asdict(info),
        "config": {
            "sizes": args.sizes,
            "runs": args.runs,
            "seed": args.seed,
            "tools": args.tools,
            "scenarios": sorted(args.scenarios),
            "without": args.without,
            "tipweek_at": [asdict(revision) for revision in args.tipweek_at],
            "source_date_epoch": SOURCE_DATE_EPOCH,
            "tmpfs": args.tmpfs,
        },
        "version_drift": args.drift,
        "tools": {
            name: {"summary": tool.summary, "features_missing": tool.features_missing}
            for name, tool in args.tool_table.items()
        },
        "results": [
            {
                "tool": r.tool,
                "n": r.n,
                "warmup": r.warmup.to_json(),
                "clean": r.clean.to_json(),
                "ratios_tipweek_over_tool": ratio[(r.tool, r.n)],
                "scenarios": {name: s.to_json() for name, s in r.scenarios.items()},
                "identity": (
                    {"identical": r.identity.identical, **asdict(r.identity)}
                    if r.identity
                    else None
                ),
            }
            for r in results
        ],
    }
