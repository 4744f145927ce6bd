"""`site_dir` always holds a whole site: the previous one until the new one is complete.

Each test tries to break that promise: an error after MkDocs has emptied its output
folder, `--strict` warnings, `kill -9` / SIGTERM / Ctrl-C at several moments of a
500-tip build, two builds at once, and a `site_dir` that would delete sources.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import REPO, add_five_tagged_tips, site_tree
from mkdocs.exceptions import Abort, PluginError

import tipweek.mkdocs.staged_site as site_dir_module

sys.path.insert(0, str(REPO / "scripts"))
from corpus import write_corpus


def digest(site_dir: Path) -> str:
    """One hash of every file's path and bytes (and every empty folder)."""
    h = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        h.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
        if path.is_file():
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def leftovers(root: Path) -> list[str]:
    """What a finished build must not leave: its staging folder, old sites being deleted."""
    return sorted(
        p.name
        for p in root.iterdir()
        if p.name.endswith(".tipweek-new") or ".tipweek-gone-" in p.name
    )


def test_an_error_after_mkdocs_empties_the_folder_keeps_the_old_site(make_site):
    add_five_tagged_tips(make_site)
    before = make_site.build().tree()
    # A hook that fails on one page, long after MkDocs emptied (today: the staging) folder.
    make_site.write(
        "hooks/fail.py",
        "def on_post_page(output, page, config):\n"
        "    if 'tip-3' in page.url:\n"
        "        raise RuntimeError('the disk is full')\n"
        "    return output\n",
    )
    make_site.add_tip("Tip 6", "2025-06-07", "New.")
    with pytest.raises(RuntimeError, match="the disk is full"):
        make_site.build(extra_config={"hooks": ["hooks/fail.py"]})
    assert site_tree(make_site.root / "site") == before
    assert leftovers(make_site.root) == []


def test_a_tip_error_keeps_the_old_site(make_site):
    add_five_tagged_tips(make_site)
    before = make_site.build().tree()
    make_site.write("tips/2025/2025-06-07-bad.md", "---\ntitle: Bad\ndate: 2025-13-07\n---\nx\n")
    with pytest.raises(Abort):
        make_site.build()
    assert site_tree(make_site.root / "site") == before


def test_strict_warnings_keep_the_old_site(make_site):
    add_five_tagged_tips(make_site)
    before = make_site.build().tree()
    make_site.add_tip("Tip 6", "2025-06-07", "A link to [nowhere](missing.md).")
    with pytest.raises(Abort, match="strict"):
        make_site.build()
    assert site_tree(make_site.root / "site") == before
    assert leftovers(make_site.root) == []
    # Without --strict the same site is published.
    site = make_site.build(strict=False)
    assert site.exists("2025/06/07/tip-6/")


def test_the_new_site_replaces_the_old_one_whole(make_site):
    add_five_tagged_tips(make_site)
    make_site.build()
    (make_site.root / "site" / "stray.txt").write_text("left by hand")
    site = make_site.build()
    assert not (site.site_dir / "stray.txt").exists()
    assert site.exists("2025/05/07/tip-5/")
    assert leftovers(make_site.root) == []


@pytest.mark.skipif(os.name != "posix", reason="deletes the old site in a forked process")
def test_the_old_site_waits_aside_until_the_next_build_deletes_it(make_site, monkeypatch):
    forks: list[int] = []  # the processes that delete an old site
    fork = site_dir_module._fork_if_safe
    monkeypatch.setattr(site_dir_module, "_fork_if_safe", lambda: forks.append(1) or fork())
    add_five_tagged_tips(make_site)
    site_dir, previous = make_site.root / "site", make_site.root / ".site.tipweek-old"
    first = make_site.build().tree()
    assert not previous.exists()  # nothing was replaced
    make_site.add_tip("Tip 6", "2025-06-07", "New.")
    second = make_site.build().tree()
    kept = site_tree(previous)
    # git never offers it for a commit; the site itself holds no such file.
    assert kept.pop(".gitignore").decode().splitlines()[-1] == "*"
    assert kept == first
    assert ".gitignore" not in site_tree(site_dir)
    assert forks == []  # nothing to delete yet
    make_site.add_tip("Tip 7", "2025-07-07", "Newer.")
    make_site.build()
    assert forks == [1]  # the first site, deleted by a forked process
    assert {k: v for k, v in site_tree(previous).items() if k != ".gitignore"} == second
    assert leftovers(make_site.root) == []
    # The build waited for the process that deleted the first site (and for any other
    # it forked): none is left.
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_deletion_cut_short_is_finished_by_the_next_build(make_site):
    add_five_tagged_tips(make_site)
    make_site.build()
    # What a build killed while its old site was being deleted leaves behind; under
    # the name this build would give the site it sets aside (a process number reused).
    make_site.build()
    stranded = make_site.root / f".site.tipweek-gone-{os.getpid()}-0"
    (stranded / "2020" / "01").mkdir(parents=True)
    (stranded / "2020" / "01" / "index.html").write_text("old")
    assert (make_site.root / ".site.tipweek-old").is_dir()
    make_site.build()
    assert not stranded.exists()
    assert not (make_site.root / "site" / "2020").exists()
    assert leftovers(make_site.root) == []


def test_git_does_not_see_the_old_site(make_site):
    add_five_tagged_tips(make_site)
    make_site.write(".gitignore", "site/\n.cache/\n")
    subprocess.run(["git", "init", "-q"], cwd=make_site.root, check=True)
    make_site.build()
    make_site.build()
    assert (make_site.root / ".site.tipweek-old").is_dir()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=make_site.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status and "tipweek-old" not in status, status


def write_project(root: Path, tips: int) -> None:
    write_corpus(tips, root)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "about.md").write_text("# About\n\nUs.\n")
    config = {
        "site_name": "Interrupted",
        "site_url": "https://example.org/",
        "theme": {"name": "material"},
        "plugins": ["search", "tipweek"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


def run_build(root: Path, epoch: str) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a signal reaches the build and its forked workers alike
    )


OLD_EPOCH = "1700000000"  # 2023-11-14: the corpus' tips after this date are not yet published
NEW_EPOCH = "1800000000"  # 2027-01-15: all of them are


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, float]:
    """A 500-tip project; the digests of its old and new site and the new build's duration."""
    root = tmp_path_factory.mktemp("interrupted")
    write_project(root, 500)
    assert run_build(root, NEW_EPOCH).wait() == 0
    new = digest(root / "site")
    start = time.monotonic()
    assert run_build(root, OLD_EPOCH).wait() == 0
    duration = time.monotonic() - start
    old = digest(root / "site")
    assert old != new
    return root, old, new, duration


@pytest.mark.linux_only
@pytest.mark.parametrize(
    "how",
    # By name: Windows has no SIGKILL, and this module must import there.
    [getattr(signal, name) for name in ("SIGKILL", "SIGTERM", "SIGINT") if hasattr(signal, name)],
    ids=lambda s: s.name,
)
@pytest.mark.parametrize("moment", [0.2, 0.6, 0.95])
def test_an_interrupted_build_leaves_the_old_or_the_new_site(big_project, how, moment):
    root, old, new, duration = big_project
    assert digest(root / "site") == old  # each case starts from the old site
    build = run_build(root, NEW_EPOCH)
    time.sleep(duration * moment)
    os.killpg(build.pid, how)
    build.wait()
    assert digest(root / "site") in (old, new), f"a half site after {how.name} at {moment:.0%}"
    # The next build, uninterrupted, completes and cleans up (back to the old site).
    assert run_build(root, OLD_EPOCH).wait() == 0
    assert digest(root / "site") == old
    assert leftovers(root) == []


def children(pid: int) -> list[str]:
    """The process numbers of `pid`'s children (Linux)."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [c for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


@pytest.mark.linux_only
def test_workers_end_with_a_killed_build_and_print_nothing(big_project):
    """`kill -9` of the build alone (not its process group): its forked workers end with
    it instead of finishing their share and printing a traceback each."""
    root, old, _new, duration = big_project
    build = run_build(root, NEW_EPOCH)
    deadline = time.monotonic() + duration * 2
    while len(children(build.pid)) < 2:  # a pool of workers is running
        assert build.poll() is None and time.monotonic() < deadline, "no worker pool seen"
        time.sleep(0.01)
    time.sleep(0.1)  # the workers are into their shares
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    # The pipe closes when its last holder, the build or a worker, is gone.
    stderr = build.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert digest(root / "site") == old
    assert run_build(root, OLD_EPOCH).wait() == 0  # back to the old site for the next test
    assert digest(root / "site") == old


def test_two_builds_at_once_take_turns(big_project):
    root, _old, new, duration = big_project
    first = run_build(root, OLD_EPOCH)
    time.sleep(min(0.5, duration / 4))
    second = run_build(root, NEW_EPOCH)
    assert first.wait() == 0, first.stderr.read().decode() if first.stderr else ""
    assert second.wait() == 0, second.stderr.read().decode() if second.stderr else ""
    assert digest(root / "site") == new
    assert leftovers(root) == []
    assert run_build(root, OLD_EPOCH).wait() == 0


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        ("tips", "is the tips folder"),
        ("tips/2025", "is inside the tips folder"),
        # MkDocs itself refuses a site_dir that is, holds or is in docs_dir.
        ("docs", "should not be within"),
        ("docs/out", "should not be within"),
        (".", "should not be within"),
        ("..", "should not be within"),
        ("overrides", "is the theme's custom_dir"),
        ("overrides/site", "is inside the theme's custom_dir"),
        ("mkdocs.yml", "is a file, not a folder"),
    ],
)
def test_a_site_dir_that_would_delete_sources_is_refused(make_site, site_dir, message):
    add_five_tagged_tips(make_site)
    (make_site.root / "overrides").mkdir()
    (make_site.root / "overrides" / "keep.html").write_text("{# mine #}")
    before = {path: path.read_bytes() for path in make_site.root.rglob("*") if path.is_file()}
    with pytest.raises((Abort, PluginError)):
        make_site.build(
            extra_config={
                "site_dir": site_dir,
                "theme": {"name": "material", "custom_dir": "overrides"},
            }
        )
    assert any(message in line for line in make_site.messages()), make_site.messages()
    after = {path: path.read_bytes() for path in make_site.root.rglob("*") if path.is_file()}
    # mkdocs.yml is rewritten by the factory itself; everything else is untouched.
    before.pop(make_site.root / "mkdocs.yml", None)
    after.pop(make_site.root / "mkdocs.yml", None)
    assert after == before


def test_site_dir_problem_names_every_source_folder(tmp_path):
    from tipweek.core.site_dir import site_dir_problem

    (tmp_path / "repo" / "site" / "tips").mkdir(parents=True)
    (tmp_path / "repo" / "docs").mkdir()
    sources = {
        "tips folder": tmp_path / "repo" / "site" / "tips",
        "docs folder": tmp_path / "repo" / "docs",
        "folder of mkdocs.yml": tmp_path / "repo",
        "git work tree": tmp_path / "repo",
    }
    assert "contains the tips folder" in site_dir_problem(tmp_path / "repo" / "site", sources)
    assert "contains the" in site_dir_problem(tmp_path, sources)
    assert "is the folder of mkdocs.yml" in site_dir_problem(tmp_path / "repo", sources)
    assert site_dir_problem(tmp_path / "repo" / "public", sources) is None
    # A symbolic link is followed: a link to the docs folder is the docs folder.
    (tmp_path / "repo" / "out").symlink_to(tmp_path / "repo" / "docs")
    assert "is the docs folder" in site_dir_problem(tmp_path / "repo" / "out", sources)


def test_tipweek_check_refuses_the_same_site_dir(tmp_path, monkeypatch, capsys):
    from conftest import run_cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "tips").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nsite_dir: tips\nplugins:\n  - tipweek\n")
    code, _out, err = run_cli(capsys, "check")
    assert code == 1
    assert "mkdocs.yml:2: error: site_dir" in err
    assert "is the tips folder; building would delete it" in err
