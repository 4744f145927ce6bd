"""Tiny runs of the benchmark, so the script cannot rot: 50 tips, one round, tipweek and
one variant of it; 30 tips with tipweek at HEAD from its own environment (--tipweek-at);
and the pieces of --tipweek-at (constraints, the revision's command, tree comparison).

Nothing here is timed against anything: the tests check that the script lays
out a corpus, builds it, runs the scenarios and reports every measurement in
its JSON, with the tipweek build's output checked by the script itself.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tipweek.cache.markdown_cache import CACHE_DIR, CACHE_FILE, MarkdownCache

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import bench  # noqa: E402
import bench_machine  # noqa: E402
import bench_measure  # noqa: E402
import bench_revisions  # noqa: E402
import bench_tools  # noqa: E402

IN_GIT = (REPO / ".git").exists()


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
        # What was installed, not what a PYTHONPATH of the caller's puts first.
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
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
    # The edit-rebuild scenario kept tipweek's Markdown cache, as an editor's checkout would.
    assert len(MarkdownCache.load(project / CACHE_DIR / CACHE_FILE)) == 50
    built = project / "site"
    assert (built / "feed.xml").is_file() and (built / "page" / "2" / "index.html").is_file()


# Defaults: which scenarios run, where the work directory is -------------------- #


def _chosen(argv: list[str]) -> dict[str, list[str]]:
    args = bench.parse_args(argv)
    return {name: list(bench.scenarios_for(tool, args)) for name, tool in args.tool_table.items()}


def test_the_tipweek_family_previews_by_default_and_material_only_when_asked():
    chosen = _chosen(["--tools", "tipweek,tipweek-lunr,material,pelican", "--without", "forks"])
    for name in ("tipweek", "tipweek-lunr", "tipweek-without-forks"):
        assert "serve-reload" in chosen[name], name
        assert "check-hook" not in chosen[name]
    assert chosen["material"] == ["edit-rebuild"]
    assert chosen["pelican"] == ["edit-rebuild"]
    asked = _chosen(["--tools", "tipweek,material", "--scenarios", "serve-reload"])
    assert asked == {"tipweek": ["serve-reload"], "material": ["serve-reload"]}
    assert _chosen(["--tools", "tipweek", "--scenarios", "none"]) == {"tipweek": []}


def test_tmpfs_and_work_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exit_info:
        bench.parse_args(["--tmpfs", "--work", "somewhere"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_work_directory_is_on_disk_by_default_and_in_memory_with_tmpfs(monkeypatch):
    made = []
    real = bench.tempfile.mkdtemp

    def remember(**kwargs):
        made.append(Path(real(**kwargs)))
        return str(made[-1])

    monkeypatch.setattr(bench.tempfile, "mkdtemp", remember)
    try:
        on_disk = bench.work_directory(bench.parse_args([]))
        assert on_disk.parent == Path(bench.tempfile.gettempdir())
        if bench.TMPFS.is_dir():
            in_memory = bench.work_directory(bench.parse_args(["--tmpfs"]))
            assert in_memory.parent == bench.TMPFS
            info = bench_machine.RunInfo.collect(in_memory)
            assert info.work_filesystem == "tmpfs"
            assert info.storage() == f"Work directory: {in_memory}, in memory (tmpfs)."
    finally:
        for folder in made:
            folder.rmdir()


def test_the_file_system_of_a_path_is_that_of_its_deepest_mount(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "overlay / overlay rw 0 0\n"
        "tmpfs /dev/shm tmpfs rw 0 0\n"
        "/dev/sda1 /srv/my\\040disk ext4 rw 0 0\n"
    )
    assert bench_machine.filesystem(Path("/dev/shm/bench"), mounts) == "tmpfs"
    assert bench_machine.filesystem(Path("/srv/my disk/bench"), mounts) == "ext4"
    assert bench_machine.filesystem(Path("/dev/shmx"), mounts) == "overlay"
    assert bench_machine.filesystem(Path("/x"), tmp_path / "no-such-file") == "unknown"


# --tipweek-at ------------------------------------------------------------------ #


def test_constraints_pin_every_distribution_but_tipweek_and_pip():
    pins = bench_revisions.constraints(
        {"mkdocs": "1.6.1", "tipweek": "0.1.0", "pip": "23.2.1", "odd": "unknown", "lz4": "4.4.5"}
    )
    assert pins == ["lz4==4.4.5", "mkdocs==1.6.1"]
    # From this environment: MkDocs at the version this test runs with, tipweek never.
    here = bench_revisions.constraints(bench_revisions.installed_versions())
    assert f"mkdocs=={importlib.metadata.version('mkdocs')}" in here
    assert f"mkdocs-material=={importlib.metadata.version('mkdocs-material')}" in here
    assert not [pin for pin in here if pin.startswith(("tipweek==", "pip=="))]


def test_version_drift_names_what_the_pins_did_not_hold():
    mine = {"mkdocs": "1.6.1", "markdown": "3.11.3"}
    theirs = {
        "mkdocs": "1.6.1",
        "markdown": "3.8.2",
        "newdep": "2.0",
        "pip": "24.0",
        "tipweek": "0.1.0",
    }
    assert bench_revisions.version_drift(mine, theirs) == [
        "markdown 3.8.2 (running environment: 3.11.3)",
        "newdep 2.0 (not in the running environment, unpinned)",
    ]


def _fake_revision_home(tmp_path: Path, python_script: str, tipweek_script: str = "") -> Path:
    """A revision's folder whose venv has these two scripts as `python` and `tipweek`."""
    home = tmp_path / "tipweek-at" / "abc1234"
    (home / "venv" / "bin").mkdir(parents=True)
    for name, text in (("python", python_script), ("tipweek", tipweek_script)):
        if text:
            (home / "venv" / "bin" / name).write_text(text)
            (home / "venv" / "bin" / name).chmod(0o755)
    return home


def test_a_revision_column_runs_mkdocs_from_its_own_environment(tmp_path, monkeypatch):
    # A python that runs this interpreter: `tipweek check --help` exists.
    home = _fake_revision_home(
        tmp_path,
        f'#!/bin/sh\nexec {sys.executable} "$@"\n',
        f'#!/bin/sh\nexec {sys.executable} -m tipweek "$@"\n',
    )
    revision = bench_revisions.Revision("HEAD~1", "abc1234" + "0" * 33, "abc1234")
    tool = bench_revisions.revision_variant(revision, home)
    python = str(home / "venv" / "bin" / "python")
    assert (tool.name, tool.family, tool.interpreter) == ("tipweek@abc1234", "tipweek", python)
    assert tool.command(tmp_path) == [
        python,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        "mkdocs.yml",
        "-d",
        "site",
    ]
    assert tool.clean_paths == bench_tools.TOOLS["tipweek"].clean_paths
    assert tool.unavailable == ()
    # The working tree's tipweek (on PYTHONPATH here) must not shadow the revision's.
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    assert "PYTHONPATH" not in bench_measure.environment(tool.env)
    assert bench_measure.environment(())["PYTHONPATH"] == str(REPO)


def test_a_revision_without_tipweek_check_skips_those_scenarios_with_a_reason(tmp_path):
    home = _fake_revision_home(tmp_path, "#!/bin/sh\nexit 2\n")
    tool = bench_revisions.revision_variant(
        bench_revisions.Revision("old", "f" * 40, "fffffff"), home
    )
    assert dict(tool.unavailable) == {
        "tipweek-check": "tipweek@fffffff has no `python -m tipweek check`",
        "check-hook": "tipweek@fffffff has no `tipweek check` script",
    }


@pytest.mark.skipif(not IN_GIT, reason="needs the git repository")
def test_revisions_resolve_to_commits_and_a_wrong_one_is_a_usage_error(capsys):
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    revision = bench_revisions.resolve_revision("HEAD")
    assert (revision.sha, revision.short, revision.column) == (
        head,
        head[:7],
        f"tipweek@{head[:7]}",
    )
    with pytest.raises(SystemExit) as exit_info:
        bench.parse_args(["--tipweek-at", "HEAD,no-such-commit"])
    assert exit_info.value.code == 2
    assert "'no-such-commit' is not a commit" in capsys.readouterr().err


def test_the_probe_for_tipweek_check_is_not_fooled_by_a_tipweek_folder_here(tmp_path, monkeypatch):
    # `python -m` looks in the current folder first: run from a checkout, any old commit
    # would seem to have the checkout's `tipweek check`. This python answers like that.
    answers_from_here = "#!/bin/sh\n[ -d tipweek ] && exit 0\nexit 1\n"
    home = _fake_revision_home(tmp_path, answers_from_here, answers_from_here)
    (tmp_path / "tipweek").mkdir()
    monkeypatch.chdir(tmp_path)
    tool = bench_revisions.revision_variant(
        bench_revisions.Revision("old", "f" * 40, "fffffff"), home
    )
    assert [scenario for scenario, _ in tool.unavailable] == ["tipweek-check", "check-hook"]


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


SITE = {
    "index.html": "<p>home</p>",
    "2025/01/07/tip/index.html": "<p>tip</p>",
    "feed.xml": "<rss/>",
}


def test_identical_trees_are_reported_identical_with_their_file_count(tmp_path):
    ours, theirs = _site(tmp_path / "a", SITE), _site(tmp_path / "b", SITE)
    same = bench_revisions.compare_trees("tipweek@7813ef1", ours, theirs)
    assert same.identical
    assert same.describe() == "site identical to tipweek@7813ef1 (3 files)"


def test_a_byte_of_difference_and_a_missing_file_are_named(tmp_path):
    theirs = _site(tmp_path / "b", SITE)
    ours = _site(tmp_path / "a", {**SITE, "feed.xml": "<rss/>\n", "extra/x.html": ""})
    (ours / "2025" / "01" / "07" / "tip" / "index.html").unlink()
    found = bench_revisions.compare_trees("ref", ours, theirs)
    assert not found.identical
    assert found.differing == ["feed.xml"]
    assert found.only_in_reference == ["2025/01/07/tip/index.html"]
    assert found.only_in_this == ["extra/", "extra/x.html"]
    assert found.files == 4
    assert found.describe().startswith("site DIFFERS from ref (4 files): 1 differ: feed.xml; ")


def test_an_extra_empty_folder_is_a_difference(tmp_path):
    ours, theirs = _site(tmp_path / "a", SITE), _site(tmp_path / "b", SITE)
    (ours / "page").mkdir()
    assert bench_revisions.compare_trees("ref", ours, theirs).only_in_this == ["page/"]


@pytest.mark.skipif(not IN_GIT, reason="needs the git repository")
def test_benchmark_smoke_run_of_tipweek_at_head(tmp_path):
    """HEAD from its own environment against the working tree: same site, every scenario."""
    report, work = tmp_path / "bench.json", tmp_path / "work"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            *("--sizes", "30", "--runs", "1", "--tools", "tipweek", "--tipweek-at", "HEAD"),
            *("--scenarios", "edit-rebuild,tipweek-check", "--work", str(work)),
            *("--json", str(report), "--timeout", "300", "--strict"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    column = bench_revisions.resolve_revision("HEAD").column
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["version_drift"] == {column: []}
    working, revision = data["results"]
    assert (working["tool"], revision["tool"]) == ("tipweek", column)
    assert revision["clean"]["ok"] and revision["identity"] is None
    assert all(series["ok"] for series in revision["scenarios"].values())
    assert working["identity"]["reference"] == column
    assert working["identity"]["files"] > 100
    # The working tree builds HEAD's site unless its tipweek/ has uncommitted changes
    # (then the test reports the difference without judging it).
    edited = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "tipweek"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not edited:
        assert working["identity"]["identical"], working["identity"]
        assert f"- tipweek, N=30: site identical to {column} (" in done.stdout
    else:
        assert "- tipweek, N=30: site " in done.stdout
    assert f"| {column} | 30 | " in done.stdout and "| working tree | 30 | " in done.stdout

    home = work / "tipweek-at" / column.removeprefix("tipweek@")
    assert "include-system-site-packages = false" in (home / "venv" / "pyvenv.cfg").read_text()
    assert (
        f"mkdocs=={importlib.metadata.version('mkdocs')}" in (home / "constraints.txt").read_text()
    )
    assert (home / "installed").read_text().strip() == data["config"]["tipweek_at"][0]["sha"]
