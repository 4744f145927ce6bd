"""`scripts/tip_path.py` follows one tip of the sample through a build: the plain path
(every speed mechanism off) stays in one process and enters no cache or speed code but
the page cache's hooks, and with the mechanisms on the tip reaches forked workers.

These are the figures docs/dev/internals.md gives ("The plain path"); the test keeps the
script working and the plain path plain.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TIP = "tips/2026/2026-02-17-say-their-name-once.md"


def modules_on_the_path(**environment: str) -> tuple[str, list[str]]:
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "tip_path.py"), str(REPO), TIP],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment},
        timeout=300,
        check=True,
    )
    summary, *rows = [line for line in run.stdout.splitlines() if line.strip()]
    return summary, [row.split()[0] for row in rows]


def test_the_plain_path_is_one_process_and_no_cache_code():
    summary, modules = modules_on_the_path(TIPWEEK_WITHOUT="all")
    assert "workers" not in summary
    for stage in ("core/tips.py", "mkdocs/markdown_conversion.py", "core/views.py", "plugin.py"):
        assert stage in modules
    assert [m for m in modules if m.startswith(("cache/", "speed/"))] == ["speed/page_cache.py"]


@pytest.mark.forks
def test_with_every_mechanism_the_tip_reaches_the_workers_and_the_caches():
    summary, modules = modules_on_the_path(TIPWEEK_PARALLEL_MIN="1")
    assert "workers entering" in summary
    assert {"cache/page_keys.py", "speed/template_pool.py"} <= set(modules)
