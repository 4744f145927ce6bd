"""A tiny run of the benchmark (50 tips, one round, tipweek and one variant of it), so the
script cannot rot.

Nothing here is timed against anything: the test checks that the script lays
out a corpus, builds it, runs the scenarios and reports every measurement in
its JSON, with the tipweek build's output checked by the script itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tipweek.cache.render_cache import CACHE_DIR, CACHE_FILE, RenderCache

REPO = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run_reports_every_measurement(tmp_path):
    report = tmp_path / "bench.json"
    work = tmp_path / "work"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            "--sizes",
            "50",
            "--runs",
            "1",
            "--tools",
            "tipweek",
            "--scenarios",
            "edit-rebuild,ci-cache,tipweek-check,check-hook",
            "--without",
            "page-cache",
            "--work",
            str(work),
            "--json",
            str(report),
            "--timeout",
            "300",
            "--strict",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| tipweek | 50 |" in done.stdout
    assert "| tipweek-without-page-cache | 50 |" in done.stdout
    # The with/without table: full tipweek is its own baseline, the variant a ratio to it.
    assert "| (nothing) | 50 | " in done.stdout and "| page-cache | 50 | " in done.stdout

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["config"]["sizes"] == [50]
    assert data["config"]["without"] == ["page-cache"]
    assert data["versions"]["tipweek"]
    result, variant = data["results"]
    assert (variant["tool"], variant["clean"]["ok"]) == ("tipweek-without-page-cache", True)
    assert set(variant["scenarios"]) == {"edit-rebuild", "ci-cache", "tipweek-check", "check-hook"}
    assert all(series["ok"] for series in variant["scenarios"].values())
    assert (result["tool"], result["n"]) == ("tipweek", 50)
    assert result["warmup"]["ok"] and result["clean"]["ok"]
    [run] = result["clean"]["runs"]
    assert run["returncode"] == 0 and run["problems"] == []
    assert run["seconds"] > 0 and run["max_rss_mib"] > 0
    assert result["ratios_tipweek_over_tool"]["time"] == 1.0

    scenarios = result["scenarios"]
    assert set(scenarios) == {"edit-rebuild", "ci-cache", "tipweek-check", "check-hook"}
    for series in scenarios.values():
        assert series["ok"], series["failure"]
        assert len(series["runs"]) == 1 and series["runs"][0]["seconds"] > 0

    # The hook ran where pre-commit would run it: a venv of its own, tipweek installed
    # into it (not this checkout, not the test's environment).
    hook = work / "hook-venv"
    assert "include-system-site-packages = false" in (hook / "pyvenv.cfg").read_text()
    where = subprocess.run(
        [str(hook / "bin" / "python"), "-c", "import tipweek; print(tipweek.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert Path(where.strip()).is_relative_to(hook)
    hook_log = work / "50" / "logs" / "tipweek" / "check-hook-1" / "stdout.log"
    assert "50 tip files checked: 0 errors" in hook_log.read_text()

    project = work / "50" / "tipweek"
    # The CI-cache build ran in a copy of the project (its site checked by the script),
    # which is gone; the project's own site and cache are the edit-rebuild's.
    assert (work / "50" / "logs" / "tipweek" / "ci-cache-1" / "stderr.log").is_file()
    assert not (work / "50" / "tipweek-ci-1").exists()
    # The variant's builds wrote no page cache: the mechanism really was off.
    assert not (
        work / "50" / "tipweek-without-page-cache" / CACHE_DIR / "pages-build.sqlite"
    ).exists()
    assert (project / CACHE_DIR / "pages-build.sqlite").is_file()
    # The edit-rebuild scenario kept tipweek's render cache, as an editor's checkout would.
    assert len(RenderCache.load(project / CACHE_DIR / CACHE_FILE)) == 50
    built = project / "site"
    assert (built / "feed.xml").is_file() and (built / "page" / "2" / "index.html").is_file()
