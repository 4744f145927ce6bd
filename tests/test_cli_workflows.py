"""The repository publishes itself: GitHub workflows and pre-commit hooks are valid and wired."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
# The official actions, pinned to a major version tag.
REAL_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
    "actions/cache",
}


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as True; GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def actions(workflow: dict) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def test_every_workflow_uses_real_actions_at_a_major_version():
    used = [use for path in WORKFLOWS.glob("*.yml") for use in actions(load(path))]
    assert used
    for use in used:
        name, _, version = use.partition("@")
        assert name in REAL_ACTIONS
        assert re.fullmatch(r"v\d+", version)


def test_tests_run_on_every_push_and_pull_request_with_the_readme_command():
    workflow = load(WORKFLOWS / "tests.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert workflow["on"]["push"] is None  # every branch
    assert commands(workflow) == [
        'python -m pip install -e ".[test]"',
        "ruff check .",
        "tipweek check",
        'python -m pytest -m "not browser"',
        'python -m pytest -m "not browser and not linux_only"',
        # The browser checks: the CI script itself, on Debian, where Chromium is a package.
        "bash .ci/run",
    ]
    assert workflow["jobs"]["browser"]["container"].endswith("-bookworm")


def test_the_tests_run_where_editors_work():
    """Linux, Windows and macOS; Linux-only tests (killing a build) are left out elsewhere."""
    job = load(WORKFLOWS / "tests.yml")["jobs"]["test"]
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    tests = {step["if"]: step["run"] for step in job["steps"] if "pytest" in step.get("run", "")}
    assert tests == {
        "runner.os == 'Linux'": 'python -m pytest -m "not browser"',
        "runner.os != 'Linux'": 'python -m pytest -m "not browser and not linux_only"',
    }


def test_publish_builds_strictly_and_deploys_on_push_daily_and_on_demand():
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in workflow["on"]
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [step.get("run") for step in build["steps"] if "run" in step]
    assert runs[-2:] == ["tipweek check", "mkdocs build --strict"]
    upload = build["steps"][-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == "site"  # mkdocs.yml's site_dir (the default)
    assert "site_dir:" not in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_pre_commit_runs_tipweek_check_on_changed_tips():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    hook = hooks["tipweek-check"]
    assert shlex.split(hook["entry"]) == ["tipweek", "check"]
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("tips/2026/2026-02-17-say-their-name-once.md")
    assert pattern.search("tips/authors.yml")
    assert not pattern.search("docs/about.md")

    (published,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert published["id"] == "tipweek-check"
    assert published["entry"] == hook["entry"] and published["files"] == hook["files"]
    assert published["language"] == "python"


def test_the_publish_workflow_carries_the_cache_between_runs():
    steps = load(WORKFLOWS / "publish.yml")["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    names = [step.get("name", "") for step in steps]
    cache = steps[uses.index("actions/cache")]
    assert cache["with"]["path"] == ".cache/tipweek"
    assert cache["with"]["restore-keys"].startswith("tipweek-")
    # Restored before the build that uses it.
    assert uses.index("actions/cache") < names.index("Build")
