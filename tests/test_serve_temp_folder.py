"""A preview stays in its own folder: real `mkdocs serve` processes, each test with a
temp folder of its own (TMPDIR) so that what a preview leaves there can be listed.

- Stopping a preview with Ctrl-C or SIGTERM leaves nothing in the temp folder (not
  the site before last beside MkDocs' temporary site_dir, as it once did); what
  previews killed outright left there goes when the next preview starts.
- A preview locks only its own project: a lock held on the temp folder (as every
  preview once took) or by another project does not hold it up; a build of the same
  project does, until it ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_cli_serve import TIP, fetch_until, free_port, write, write_small_site

from tipweek.system.build_lock import BuildLock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals as POSIX sends them")

#: Generous: a preview's first build on a loaded machine.
DEADLINE = 90


@contextmanager
def preview(
    root: Path, temp: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`mkdocs serve` of `root` with `temp` as its temp folder: the process and its URL.
    Killed at the end if the test has not stopped it."""
    port = free_port()
    env = {
        **os.environ,
        **(extra_env or {}),
        "TMPDIR": str(temp),
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1767225600",
    }
    with (root / "serve.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            yield process, f"http://127.0.0.1:{port}/"
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def served_title(html: str) -> str:
    title = BeautifulSoup(html, "lxml").select_one("article.h-entry .p-name")
    return title.get_text(strip=True) if title is not None else ""


def log_of(root: Path) -> str:
    return (root / "serve.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
@pytest.mark.parametrize("staged", [False, True], ids=["in-place", "staged"])
def test_stopping_a_preview_leaves_nothing_in_the_temp_folder(tmp_path, how, staged):
    """In place (the default) or staged like a build (which sets the site before last
    aside in the temp folder)."""
    root, temp = tmp_path / "project", tmp_path / "temp"
    temp.mkdir()
    # A preview killed outright left its old site, and the deletion of one before it; a
    # preview still running has its temporary site and the site before it.
    for name in (".mkdocs_killed01.tipweek-old", ".mkdocs_killed01.tipweek-gone-7-0"):
        (temp / name / "2025").mkdir(parents=True)
    running = ["mkdocs_running", ".mkdocs_running.tipweek-old"]
    for name in running:
        (temp / name).mkdir()
    write_small_site(root)
    switches = {"TIPWEEK_WITHOUT": "preview-writes"} if staged else {}
    with preview(root, temp, switches) as (process, base):
        assert fetch_until(base, lambda html: "First" in html, time.monotonic() + DEADLINE), log_of(
            root
        )
        # An edit: the preview rebuilds and sets the site before aside in the temp folder.
        write(root / "tips/2025/2025-12-30-second.md", TIP.format(title="Second", day="2025-12-30"))
        page = fetch_until(
            base + "2025/12/30/second/",
            lambda html: served_title(html) == "Second",
            time.monotonic() + DEADLINE,
        )
        assert page is not None, log_of(root)
        during = [path.name for path in temp.iterdir() if path.name not in running]
        assert any(name.startswith("mkdocs_") for name in during), during
        assert any(name.endswith(".tipweek-old") for name in during) == staged, during
        assert not any("killed01" in name for name in during)
        process.send_signal(how)
        assert process.wait(timeout=DEADLINE) in (0, 1, -how), log_of(root)
    assert sorted(path.name for path in temp.iterdir()) == sorted(running)
    assert "Traceback" not in log_of(root), log_of(root)


def test_a_preview_waits_only_for_its_own_project(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    mine, other = tmp_path / "mine", tmp_path / "other"
    write_small_site(mine)
    write_small_site(other)
    write(other / "tips/2025/2025-12-30-second.md", TIP.format(title="Other", day="2025-12-30"))
    # A build of `mine` is running: it holds the project's lock.
    build = BuildLock(mine / ".cache" / "tipweek" / "build.lock")
    build.acquire()
    # Another program locks the temp folder itself, as every preview once did.
    folder_lock = _lock_folder(temp)
    try:
        with preview(other, temp) as (_, other_base), preview(mine, temp) as (_, mine_base):
            # The other project's preview neither waits for `mine` nor for the temp folder.
            assert fetch_until(other_base, lambda html: "Other" in html, time.monotonic() + 90), (
                log_of(other)
            )
            assert "waiting" not in log_of(other)
            # `mine` waits for its build, and says so.
            deadline = time.monotonic() + DEADLINE
            while "waiting" not in log_of(mine):
                assert time.monotonic() < deadline, log_of(mine)
                time.sleep(0.2)
            assert fetch_until(mine_base, lambda html: True, time.monotonic() + 1) is None
            build.release()
            assert fetch_until(mine_base, lambda html: "First" in html, time.monotonic() + 90), (
                log_of(mine)
            )
    finally:
        build.release()
        os.close(folder_lock)
    # The lock is the project's, never the temp folder's.
    assert (mine / ".cache" / "tipweek" / "build.lock").is_file()


def _lock_folder(folder: Path) -> int:
    import fcntl

    descriptor = os.open(folder, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor
