"""The package stands alone: a wheel built from this repository, in a clean venv elsewhere.

Exactly what a new user does after `pip install tipweek`: `tipweek init site`, then in
`site/` `mkdocs build --strict`, `tipweek check` and `mkdocs serve`, with nothing from
this repository on the path: no editable install, no PYTHONPATH, no system
site-packages.  A template, stylesheet or starter file missing from the package data
fails here, where the editable install used by every other test would hide it.

The wheel is built once (sdist first, then the wheel from the sdist, as `python -m build`
does for a release), so MANIFEST.in is exercised too.  Dependencies come from the
usual index (pip's cache makes a second run quick): about a minute in all.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import stop_process

from tipweek import __version__

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
# What a checkout may hold that is no part of a release (and would slow the copy).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "site", ".cache", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".ruff_cache", "test-artefacts", "bench-out", "screenshots",
)  # fmt: skip
SERVE_TIMEOUT = 60


def clean_env() -> dict[str, str]:
    """The environment without anything that would put this checkout on the path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
        and key != "SOURCE_DATE_EPOCH"
    }
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run(*command: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build", reason="python -m build needs the 'build' package ([test] extra)")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    run(sys.executable, "-m", "build", "--outdir", work / "dist", source, cwd=work)
    [built] = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with only the wheel and its dependencies, with
    the `pagefind` extra that `tipweek init`'s sites search with (as their requirements.txt
    asks)."""
    home = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", home / "env", cwd=home)
    scripts = home / "env" / ("Scripts" if os.name == "nt" else "bin")
    run(scripts / "python", "-m", "pip", "install", "--quiet", f"{wheel}[pagefind]", cwd=home)
    return scripts


def test_the_wheel_carries_every_file_of_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_tree = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tipweek").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert in_tree - names == set()
    assert {name for name in names if not name.startswith("tipweek-")} == in_tree
    # The starter site and the templates in particular, by name.
    assert "tipweek/cli/starter/mkdocs.yml.tmpl" in names
    assert "tipweek/mkdocs/assets/tipweek.css" in names


def test_the_versions_agree(wheel, venv, tmp_path):
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["version"] == __version__
    assert wheel.name.startswith(f"tipweek-{__version__}-")
    metadata = zipfile.ZipFile(wheel).read(f"tipweek-{__version__}.dist-info/METADATA")
    assert f"\nVersion: {__version__}\n" in metadata.decode()
    assert run(venv / "tipweek", "--version", cwd=tmp_path).stdout == f"tipweek {__version__}\n"


def test_a_new_site_from_the_installed_wheel_builds_checks_and_serves(venv, tmp_path):
    # The tipweek that runs is the venv's, not this checkout.
    found = run(venv / "python", "-c", "import tipweek; print(tipweek.__file__)", cwd=tmp_path)
    assert Path(found.stdout.strip()).is_relative_to(venv.parent)

    created = run(venv / "tipweek", "init", "site", "--name", "Front Desk Tips", cwd=tmp_path)
    assert "mkdocs serve" in created.stdout
    site = tmp_path / "site"
    [tip] = (site / "tips").rglob("*.md")

    run(venv / "mkdocs", "build", "--strict", cwd=site)
    home = BeautifulSoup((site / "site" / "index.html").read_text("utf-8"), "lxml")
    assert home.title.get_text(strip=True) == "Front Desk Tips"
    assert home.select_one(".h-feed") is not None  # tipweek's listing template, from the wheel
    assert (site / "site" / "assets" / "tipweek" / "tipweek.css").is_file()
    assert (site / "site" / "feed.xml").is_file()

    checked = run(venv / "tipweek", "check", cwd=site)
    assert checked.stdout == "1 tip file checked: 0 errors, 0 warnings\n"

    page = serve(venv, site)
    # The preview shows the first tip even before its day (scheduled tips are badged).
    titles = [a.get_text(strip=True) for a in page.select(".h-feed .h-entry .p-name")]
    assert titles == ["Welcome to Front Desk Tips"], tip


def serve(venv: Path, site: Path) -> BeautifulSoup:
    """Start `mkdocs serve` on a free port, fetch the home page, stop the server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(venv / "mkdocs"), "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        while True:
            assert server.poll() is None, f"mkdocs serve exited: {server.stderr.read()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    return BeautifulSoup(response.read(), "lxml")
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "mkdocs serve did not answer"
                time.sleep(0.5)
    finally:
        stop_process(server, timeout=20)
        server.stderr.close()


def test_the_starter_files_are_read_from_the_package_not_the_checkout(venv, tmp_path):
    location = run(
        venv / "python",
        "-c",
        "from tipweek.cli.scaffold import starter_root; print(starter_root())",
        cwd=tmp_path,
    ).stdout.strip()
    assert re.search(r"site-packages[/\\]tipweek[/\\]cli[/\\]starter$", location), location
