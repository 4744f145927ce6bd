"""A cache CI can carry, and a `.cache/` that is only ever data (issue #14, items 4 and 5).

- Restored in another folder with every mtime new (a checkout and a restored
  `actions/cache`), or built into a new `site_dir`, a warm cache gives full hits
  and the site equals a cold build's.
- Nothing under `.cache/` is executed or unpickled: a pickle planted at every
  name a build reads there (found by watching a build's opens) never runs.
- A damaged file (truncated, random bytes, a foreign layout, a directory in its
  place) is ignored without a traceback, the site equals a cold build's, and the
  file is written afresh.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cache_edits import Project, new_project, record_opens
from conftest import SiteFactory, logged_counts

from tipweek.cache.markdown_cache import CACHE_DIR, CACHE_FILE

PAGES = re.compile(r"(\d+) pages? rendered, (\d+) from the page cache")
TIPS = re.compile(r"(\d+) tips? converted, (\d+) from the Markdown cache")
#: Published tips of `new_project` (the scheduled one is not).
TIP_COUNT = 6


def page_counts(log: list[str]) -> tuple[int, int]:
    return logged_counts(PAGES, log)


def tip_counts(log: list[str]) -> tuple[int, int]:
    return logged_counts(TIPS, log)


# --- a cache CI can carry ---------------------------------------------------------------


def test_a_cache_restored_in_another_folder_with_new_mtimes_gives_full_hits(
    make_site, tmp_path_factory, monkeypatch
):
    project = new_project(make_site)
    first = project.build()
    pages = sum(page_counts(first))
    assert tip_counts(first) == (TIP_COUNT, 0)

    elsewhere = tmp_path_factory.mktemp("runner") / "checkout"
    shutil.copytree(project.root, elsewhere, ignore=shutil.ignore_patterns("site"))
    now = time.time() + 60  # as a fresh checkout and a restored cache leave them
    for path in [elsewhere, *elsewhere.rglob("*")]:
        os.utime(path, (now, now))
    monkeypatch.chdir(elsewhere)
    moved = Project(
        SiteFactory(elsewhere, monkeypatch, make_site.caplog), project.options, project.config
    )

    log = moved.build(site_dir="public")
    assert tip_counts(log) == (0, TIP_COUNT)
    assert page_counts(log) == (0, pages)
    assert moved.tree("public") == moved.cold_tree() == project.tree()


def test_a_new_site_dir_in_the_same_folder_gives_full_hits(make_site):
    project = new_project(make_site)
    pages = sum(page_counts(project.build()))
    log = project.build(site_dir="site-2")
    assert tip_counts(log) == (0, TIP_COUNT)
    assert page_counts(log) == (0, pages)
    assert project.tree("site-2") == project.tree() == project.cold_tree()


# --- nothing from .cache is executed or unpickled ----------------------------------------


def names_read_under_cache(project: Project) -> set[str]:
    """Every file under `.cache/` a warm build opens, relative to `.cache/tipweek/`."""
    with record_opens() as opened:
        project.build()
        project.build(command="serve", site_dir="site-serve")
    cache = (project.root / CACHE_DIR).resolve()
    found = set()
    for name, how in opened:
        path = Path(project.root, name).resolve()
        if how != "write" and path.is_relative_to(cache):
            found.add(path.relative_to(cache).as_posix())
    return found


class _CreatesMarker:
    """Unpickled, this creates the file `path` (the harmless stand-in for any code)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str, str]]:
        return open, (str(self.path), "w")


def test_a_planted_pickle_is_never_unpickled(make_site, tmp_path_factory):
    project = new_project(make_site)
    read = names_read_under_cache(project)
    # The Markdown cache and each command's page cache, at least; any new name is planted too.
    assert {CACHE_FILE, "pages-build.sqlite", "pages-serve.sqlite"} <= read
    cold = project.cold_tree()

    marker = tmp_path_factory.mktemp("marker") / "unpickled"
    payload = pickle.dumps(_CreatesMarker(marker))
    pickle.loads(payload)  # the payload works: unpickling it creates the marker...
    assert marker.exists()
    marker.unlink()  # ...so from here on, the marker appearing means a build unpickled it
    cache = project.root / CACHE_DIR
    jinja = cache / "jinja"  # Jinja's bytecode cache lived here once
    jinja.mkdir(parents=True, exist_ok=True)
    for path in [*(cache / name for name in read), jinja / "__jinja2_main.cache"]:
        path.write_bytes(payload)

    project.build()
    project.build(command="serve", site_dir="site-serve")
    assert not marker.exists()
    assert project.tree() == cold
    assert json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))["entries"]
    for name in ("pages-build.sqlite", "pages-serve.sqlite"):
        assert _stored_pages(cache / name) > 0


def _stored_pages(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM pages").fetchone()[0]


# --- a damaged file is ignored and rewritten ---------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(14).randbytes(max(path.stat().st_size, 4096)))


def _directory(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def _foreign_json(path: Path) -> None:
    """The same keys, entries of another layout (an old or a tampered file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"] = {key: {"content": 5, "toc": "x", "files": None} for key in data["entries"]}
    path.write_text(json.dumps(data), encoding="utf-8")


def _mistyped_json(path: Path) -> None:
    """Every entry complete, with values of the wrong types (HTML that is a list)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry.update(content=["<p>x</p>"], title=5)
    path.write_text(json.dumps(data), encoding="utf-8")


def _foreign_sqlite(path: Path) -> None:
    """Another table layout under the current format number."""
    with sqlite3.connect(path) as db:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        db.execute("DROP TABLE pages")
        db.execute("CREATE TABLE pages (key TEXT PRIMARY KEY, html INTEGER)")
        db.execute("INSERT INTO pages VALUES ('a', 1)")
        db.execute(f"PRAGMA user_version={version}")


def _garbled_rows(path: Path) -> None:
    """Every stored page's bytes replaced, under its right key."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE pages SET html = randomblob(200)")


def _mistyped_rows(path: Path) -> None:
    """Every stored page of another type (a number, a text that is no compressed page)."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE pages SET html = CASE WHEN rowid % 2 THEN 5 ELSE '[1, 2]' END")


JSON_DAMAGE = {"truncated": _truncate, "random bytes": _random_bytes, "foreign layout": _foreign_json, "wrong types": _mistyped_json, "a directory": _directory}  # fmt: skip
SQLITE_DAMAGE = {"truncated": _truncate, "random bytes": _random_bytes, "foreign layout": _foreign_sqlite, "garbled rows": _garbled_rows, "wrong types": _mistyped_rows, "a directory": _directory}  # fmt: skip
CASES = [(CACHE_FILE, name, damage) for name, damage in JSON_DAMAGE.items()] + [
    ("pages-build.sqlite", name, damage) for name, damage in SQLITE_DAMAGE.items()
]


@pytest.mark.parametrize(
    ("file", "damage"),
    [(file, damage) for file, _, damage in CASES],
    ids=[f"{file}: {name}" for file, name, _ in CASES],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(make_site, file, damage):
    project = new_project(make_site)
    pages = sum(page_counts(project.build()))
    cold = project.tree()
    path = project.root / CACHE_DIR / file
    damage(path)

    log = project.build()  # no traceback: the build completes
    assert project.tree() == cold
    assert path.is_file()
    if file == CACHE_FILE:
        assert tip_counts(log) == (TIP_COUNT, 0)
        assert len(json.loads(path.read_text(encoding="utf-8"))["entries"]) == TIP_COUNT
    else:
        assert page_counts(log)[0] > 0
        assert _stored_pages(path) == pages
    # And the rewritten file serves the next build in full.
    log = project.build()
    assert tip_counts(log) == (0, TIP_COUNT)
    assert page_counts(log) == (0, pages)
    assert project.tree() == cold


def test_page_keys_are_the_same_in_every_process(tmp_path):
    """Python randomises the order of sets per process (hash seeds): a key built from a
    set's order would miss in every other build. Two processes with different seeds must
    describe the sample site's config, the largest key input, alike."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    script = (
        "from pathlib import Path\n"
        "from mkdocs.config import load_config\n"
        "from tipweek.cache.page_keys import config_snapshot\n"
        f"config = load_config({str(REPO / 'mkdocs.yml')!r})\n"
        "config.plugins.on_config(config)\n"
        f"print(config_snapshot(config, Path({str(REPO)!r})))\n"
    )
    snapshots = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        snapshots.append(result.stdout)
    assert snapshots[0] == snapshots[1] == snapshots[2]
