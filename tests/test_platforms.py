"""The same site on every editor's laptop: builds where Linux's extras are missing.

Windows and macOS lack what a build uses on Linux (`renameat2`, `flock` through
`fcntl`, `sched_getaffinity`, on Windows `fork` and a `ctypes.CDLL(None)` that
works); their absence is simulated here, so the fallbacks of `tipweek/system/`
run wherever the suite runs, and the site they build is compared with Linux's.
Editors' files from Windows (CRLF line endings, a byte-order mark) build the
same site as LF ones.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import threading
from pathlib import Path

import pytest
from conftest import add_five_tagged_tips
from mkdocs.exceptions import Abort

from tipweek.speed import forking
from tipweek.system import build_lock, folders, processes


def leftovers(root: Path) -> list[str]:
    """What a finished build must not leave: its staging folder, old sites being deleted."""
    return sorted(
        p.name for p in root.iterdir() if ".tipweek-new" in p.name or ".tipweek-gone-" in p.name
    )


def cdll_refusing_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ctypes.CDLL(None)` raises TypeError, as Windows' does."""
    real = ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if name is None:
            raise TypeError("argument of type 'NoneType' is not iterable")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    folders._atomic_swap.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_swap_lookup():
    folders._atomic_swap.cache_clear()
    yield
    folders._atomic_swap.cache_clear()


@pytest.fixture
def without_linux_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    """A system with none of Linux's extras: no fork, no sched_getaffinity, no fcntl to
    import, and a `ctypes.CDLL(None)` that raises TypeError (so no renameat2, no prctl)."""
    cdll_refusing_none(monkeypatch)
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError


def test_builds_again_and_again_where_cdll_refuses_none(make_site, monkeypatch):
    cdll_refusing_none(monkeypatch)
    add_five_tagged_tips(make_site)
    for n in range(6, 9):
        make_site.add_tip(f"Tip {n}", f"2025-0{n}-07", "New.")
        site = make_site.build()
        assert site.exists(f"2025/0{n}/07/tip-{n}/")
        assert leftovers(make_site.root) == []


def add_varied_tips(factory, count: int = 12) -> None:
    factory.write("docs/about.md", "# About\n\nWho we are.\n")
    for n in range(1, count + 1):
        factory.add_tip(
            f"Tip {n}",
            f"2025-{(n - 1) % 12 + 1:02d}-07",
            f"Tip {n} says:\n\n- one\n- two\n\n```\ncode {n}\n```\n",
            tags=["focus"] if n % 2 else ["habits", "focus"],
        )


def test_a_build_without_linux_extras_is_the_linux_build(make_site, monkeypatch, request):
    # Linux's build, with forked workers even for these few tips where two cores allow it.
    monkeypatch.setenv(forking.PARALLEL_MIN_ENV, "1")
    add_varied_tips(make_site)
    linux = make_site.build().tree()
    make_site.build()  # an old site to replace, and one before it to delete
    request.getfixturevalue("without_linux_extras")
    assert not processes.can_fork() and not forking.can_fork()
    assert processes.cores() >= 1
    for _ in range(3):
        site = make_site.build()  # any traceback fails the test
        assert site.tree() == linux
        assert leftovers(make_site.root) == []
    assert sorted(make_site.root.glob(".site.tipweek-old*")) == [
        make_site.root / ".site.tipweek-old"
    ]


# --- The folder swap, and its fallback ---------------------------------------------------


def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "new", tmp_path / "site"
    (a / "x").mkdir(parents=True)
    (a / "x" / "index.html").write_text("new")
    b.mkdir()
    (b / "index.html").write_text("old")
    return a, b


@pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")), reason="Linux or macOS")
def test_linux_and_macos_swap_in_one_call(tmp_path, monkeypatch):
    a, b = two_folders(tmp_path)
    monkeypatch.setattr(os, "rename", None)  # no rename may be used
    folders.exchange(a, b)
    assert (b / "x" / "index.html").read_text() == "new"
    assert (a / "index.html").read_text() == "old"


def test_without_a_swap_call_three_renames_do_it_as_windows_allows(tmp_path, monkeypatch):
    cdll_refusing_none(monkeypatch)
    renamed: list[tuple[str, str]] = []
    real = os.rename

    def windows_rename(source, target):
        if os.path.lexists(target):  # Windows refuses to replace what exists
            raise FileExistsError(
                errno.EEXIST, "Cannot create a file when that file already exists"
            )
        renamed.append((Path(source).name, Path(target).name))
        real(source, target)

    monkeypatch.setattr(os, "rename", windows_rename)
    a, b = two_folders(tmp_path)
    (tmp_path / "new-old").mkdir()  # what a killed swap left
    folders.exchange(a, b)
    assert (b / "x" / "index.html").read_text() == "new"
    assert (a / "index.html").read_text() == "old"
    assert renamed == [("site", "new-old"), ("new", "site"), ("new-old", "new")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "site"]


def test_a_swap_cut_short_puts_the_old_site_back(tmp_path, monkeypatch):
    cdll_refusing_none(monkeypatch)
    real = os.rename

    def refuse_the_new_site(source, target):
        if Path(source).name == "new":
            raise PermissionError(errno.EACCES, "Access is denied", str(source))
        real(source, target)

    monkeypatch.setattr(os, "rename", refuse_the_new_site)
    a, b = two_folders(tmp_path)
    with pytest.raises(PermissionError):
        folders.exchange(a, b)
    assert (b / "index.html").read_text() == "old"
    assert (a / "x" / "index.html").read_text() == "new"


def test_a_file_system_that_cannot_swap_is_told_from_a_failed_swap(tmp_path, monkeypatch):
    """EINVAL (a file system without the swap, as some network shares) means: use renames;
    any other error is the editor's to read."""
    swap = folders._atomic_swap()
    if swap is None:
        pytest.skip("no one-call swap on this system")
    missing = tmp_path / "missing"
    with pytest.raises(OSError) as raised:
        swap(missing, tmp_path / "also-missing")
    assert raised.value.errno == errno.ENOENT
    monkeypatch.setattr(ctypes, "get_errno", lambda: errno.EINVAL)
    assert swap(missing, tmp_path / "also-missing") is False


# --- The build lock ----------------------------------------------------------------------


def test_two_builds_of_one_project_take_turns_two_projects_do_not(tmp_path):
    first = build_lock.BuildLock(tmp_path / "one" / ".cache" / "tipweek" / "build.lock")
    first.acquire()
    waited = threading.Event()
    got = threading.Event()
    second = build_lock.BuildLock(first.path)

    def take() -> None:
        second.acquire(waited.set)
        got.set()

    thread = threading.Thread(target=take)
    thread.start()
    try:
        assert waited.wait(30)
        assert not got.is_set()
        other = build_lock.BuildLock(tmp_path / "two" / ".cache" / "tipweek" / "build.lock")
        other.acquire(lambda: pytest.fail("another project's build waited"))
        other.release()
    finally:
        first.release()
        thread.join(30)
    assert got.is_set()
    second.release()


# --- Editors' files from Windows ---------------------------------------------------------


def windows_text(text: str, bom: bool) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize("bom", [False, True], ids=["crlf", "crlf-and-bom"])
def test_tips_saved_on_windows_build_the_same_site(make_site, bom):
    add_varied_tips(make_site)
    make_site.write("tips/tags.yml", "focus:\n  description: Attention.\n")
    make_site.write("tips/authors.yml", "casey:\n  name: Casey\n")
    make_site.add_tip("By Casey", "2025-12-09", "Casey's tip.\n\n> quoted\n", author="casey")
    unix = make_site.build().tree()
    for path in [*make_site.root.glob("tips/**/*.md"), *make_site.root.glob("tips/*.yml")]:
        path.write_bytes(windows_text(path.read_text(encoding="utf-8"), bom))
    assert make_site.build().tree() == unix


@pytest.mark.parametrize("bom", [False, True], ids=["crlf", "crlf-and-bom"])
def test_errors_in_tips_saved_on_windows_name_the_same_lines(make_site, bom):
    make_site.add_weekly_tips(2)
    bad = {
        "tips/2025/2025-07-01-bad-date.md": "---\ntitle: Bad date\ndate: 2025-13-01\n---\nx\n",
        "tips/2025/2025-07-08-no-title.md": "---\ndate: 2025-07-08\ntags: [ok, 5]\n---\nx\n",
        "tips/2025/2025-07-15-broken.md": "---\ntitle: Broken\ndate: 2025-07-15\ntags: [a\n---\n",
    }

    def errors() -> list[str]:
        with pytest.raises(Abort):
            make_site.build()
        return sorted(m for m in make_site.messages() if ": error: " in m)

    for name, text in bad.items():
        make_site.write(name, text)
    unix = errors()
    assert len(unix) == 4
    for name, text in bad.items():
        (make_site.root / name).write_bytes(windows_text(text, bom))
    assert errors() == unix


def test_folders_written_with_backslashes_in_the_config_are_the_same_folders(make_site):
    make_site.write("content/tips/authors.yml", "casey:\n  name: Casey\n")
    make_site.write("content/tips/tags.yml", "focus:\n  description: Attention.\n")
    for n in range(1, 4):
        make_site.write(
            f"content/tips/2025/2025-0{n}-07-tip-{n}.md",
            f"---\ntitle: Tip {n}\ndate: 2025-0{n}-07\nauthor: casey\ntags: [focus]\n---\nHi.\n",
        )
    options = {
        "tips_dir": "content/tips",
        "authors_file": "content/tips/authors.yml",
        "tags_file": "content/tips/tags.yml",
    }
    forward = make_site.build(options).tree()
    assert make_site.build({k: v.replace("/", "\\") for k, v in options.items()}).tree() == forward


def test_a_folder_windows_holds_open_for_a_moment_is_renamed_at_the_next_try(tmp_path, monkeypatch):
    """A virus scanner or an indexer with a file of the site open: Windows refuses the
    rename (PermissionError) until it lets go; the swap tries again."""
    cdll_refusing_none(monkeypatch)
    monkeypatch.setattr(folders, "_REFUSED_TRIES", 5)
    monkeypatch.setattr(folders, "_REFUSED_PAUSE", 0)
    refusals = [2]  # the scanner lets go after two refusals
    real = os.rename

    def scanned_rename(source, target):
        if Path(source).name == "site" and refusals[0]:
            refusals[0] -= 1
            raise PermissionError(errno.EACCES, "Access is denied", str(source))
        real(source, target)

    monkeypatch.setattr(os, "rename", scanned_rename)
    a, b = two_folders(tmp_path)
    folders.exchange(a, b)
    assert refusals == [0]
    assert (b / "x" / "index.html").read_text() == "new"
