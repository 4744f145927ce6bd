"""The file system pushing back: site_dir and .cache that are files, read-only or full;
`tipweek new` with a huge title, and two of them at once.  One line each, never a traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli, site_tree
from jinja2 import FileSystemBytecodeCache
from mkdocs.exceptions import Abort

from tipweek.core.day_claim import STALE_AFTER, claim_path
from tipweek.core.site_dir import os_error_message, unwritable_site_dir
from tipweek.core.site_paths import MAX_NAME_BYTES, NEW_SLUG_CHARS
from tipweek.core.tips import load_tip

REPO = Path(__file__).resolve().parent.parent


def one_error_line(make_site) -> str:
    [line] = [m for m in make_site.messages() if "site_dir" in m]
    assert "\n" not in line and "Traceback" not in line
    return line


def test_a_site_dir_that_is_a_file_is_one_line_and_stays(make_site):
    make_site.add_tip("One", "2025-07-01")
    (make_site.root / "site").write_text("my notes", encoding="utf-8")
    with pytest.raises(Abort):
        make_site.build()
    line = one_error_line(make_site)
    assert (
        line
        == f"site_dir {make_site.root / 'site'} is a file, not a folder; move it away or set site_dir; nothing was built"
    )
    assert (make_site.root / "site").read_text(encoding="utf-8") == "my notes"


def test_a_site_dir_below_a_file_is_one_line(make_site):
    make_site.add_tip("One", "2025-07-01")
    (make_site.root / "out").write_text("x", encoding="utf-8")
    with pytest.raises(Abort):
        make_site.build(extra_config={"site_dir": "out/site"})
    assert "its parent" in one_error_line(
        make_site
    ) and "is a file, not a folder" in one_error_line(make_site)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EROFS, "the file system is read-only"), (errno.EACCES, "permission denied")],
)
def test_a_site_dir_that_cannot_be_written_is_one_line_before_anything_is_touched(
    make_site, monkeypatch, code, reason
):
    make_site.add_tip("One", "2025-07-01")
    first = make_site.build()
    before = first.tree()
    import tipweek.core.site_dir as checks

    def refuse(*args, **kwargs):  # what a read-only mount does (root ignores chmod)
        raise OSError(code, os.strerror(code), str(make_site.root / "site" / ".probe"))

    monkeypatch.setattr(checks.tempfile, "TemporaryFile", refuse)
    make_site.add_tip("Two", "2025-07-08")
    with pytest.raises(Abort):
        make_site.build()
    line = one_error_line(make_site)
    assert line.lower().startswith(
        f"cannot write into site_dir {make_site.root / 'site'}: {reason}"
    )
    assert ".probe" not in line
    assert site_tree(first.site_dir) == before  # the previous site is untouched


def test_a_full_disk_while_mkdocs_writes_is_one_abort_line(make_site, monkeypatch):
    make_site.add_tip("One", "2025-07-01")
    import mkdocs.utils

    def full(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device", source, None, destination)

    monkeypatch.setattr(mkdocs.utils, "copy_file", full)
    with pytest.raises(Abort) as raised:
        make_site.build()
    message = str(raised.value)
    assert message.startswith(f"Aborted: file system error: {make_site.root / 'site'}")
    assert message.endswith(": the disk is full (No space left on device)")
    assert "\n" not in message


def test_a_real_full_disk_is_one_abort_line(make_site, tmp_path):
    """On a 64 KB tmpfs, where this machine allows mounting one (root in CI)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        make_site.add_tip("One", "2025-07-01")
        with pytest.raises(Abort) as raised:
            make_site.build(extra_config={"site_dir": str(mount / "site")})
        assert "the disk is full (No space left on device)" in str(raised.value)
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("where", [".cache", ".cache/tipweek"])
def test_a_cache_that_is_a_file_only_makes_the_build_slower(make_site, where):
    make_site.add_tip("One", "2025-07-01")
    clean = make_site.build().tree()
    import shutil

    shutil.rmtree(make_site.root / ".cache")
    (make_site.root / where).parent.mkdir(parents=True, exist_ok=True)
    (make_site.root / where).write_text("not a folder", encoding="utf-8")
    site = make_site.build()  # strict: no warning either
    assert site.tree() == clean


def test_a_full_disk_under_the_template_cache_only_makes_the_build_slower(make_site, monkeypatch):
    make_site.add_tip("One", "2025-07-01")

    def full(self, bucket):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", full)
    site = make_site.build()
    assert site.exists("/2025/07/01/one/")


def test_os_error_message_names_the_destination_of_a_copy():
    error = OSError(errno.ENOSPC, "No space left on device", "/src/a.js", None, "/site/a.js")
    assert os_error_message(error) == "/site/a.js: the disk is full (No space left on device)"
    assert unwritable_site_dir(Path("/proc/1/nonexistent/site")) is not None


# --- tipweek new ----------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")  # 2026-01-01 12:00 UTC, a Thursday
    (tmp_path / "tips").mkdir()
    return tmp_path


def test_new_with_a_1500_character_title_writes_a_valid_tip(repo, capsys):
    title = " ".join(["word"] * 300)[:1500]
    code, out, err = run_cli(capsys, "new", title)
    assert code == 0, err
    path = repo / out.strip()
    assert len(path.name.encode()) <= MAX_NAME_BYTES
    assert path.name.startswith("2026-01-06-word-word") and len(path.stem) - 11 <= NEW_SLUG_CHARS
    tip, problems = load_tip(path, "x.md", __import__("zoneinfo").ZoneInfo("UTC"))
    assert tip is not None and tip.title == title and problems == []
    assert run_cli(capsys, "check")[0] == 0


def test_new_refuses_a_slug_option_too_long_for_a_file_name(repo, capsys):
    code, _, err = run_cli(capsys, "new", "Title", "--slug", "a" * 300)
    assert code == 2 and "--slug is 300 characters; at most 241 fit" in err
    assert not list((repo / "tips").rglob("*.md"))


def test_new_skips_a_day_another_run_has_claimed(repo, capsys):
    claim = claim_path(repo / "tips", __import__("datetime").date(2026, 1, 6))
    claim.parent.mkdir(parents=True)
    claim.write_text("12345", encoding="ascii")
    code, out, _ = run_cli(capsys, "new", "Second")
    assert (code, out.strip()) == (0, "tips/2026/2026-01-13-second.md")
    assert claim.exists()  # not ours to remove
    assert not [p for p in (repo / "tips/2026").iterdir() if p.suffix == ".claim" and p != claim]


def test_new_takes_over_a_claim_left_by_a_killed_run(repo, capsys):
    claim = claim_path(repo / "tips", __import__("datetime").date(2026, 1, 6))
    claim.parent.mkdir(parents=True)
    claim.write_text("12345", encoding="ascii")
    old = time.time() - STALE_AFTER - 5
    os.utime(claim, (old, old))
    code, out, _ = run_cli(capsys, "new", "First")
    assert (code, out.strip()) == (0, "tips/2026/2026-01-06-first.md")
    assert not claim.exists()


def test_runs_of_new_at_the_same_time_take_different_days(repo):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tipweek", "new", f"Title {n}"],
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    written = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        written.append(out.strip())
    days = sorted(Path(path).name[:10] for path in written)
    assert days == [
        "2026-01-06",
        "2026-01-13",
        "2026-01-20",
        "2026-01-27",
        "2026-02-03",
        "2026-02-10",
    ]
    assert not list((repo / "tips").rglob(".*.claim"))
