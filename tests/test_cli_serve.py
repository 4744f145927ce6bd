"""`mkdocs serve` rebuilds when a tip changes, though tips live outside docs/."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import stop_process
from mkdocs.config import load_config

TIP = "---\ntitle: {title}\ndate: {day}\n---\nSome advice.\n"
SITE = "site_name: T\nsite_url: https://example.org/\ntheme: {name: material}\nplugins: [tipweek]\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    write(tmp_path / "mkdocs.yml", SITE)
    write(tmp_path / "docs" / "about.md", "# About\n")
    write(tmp_path / "tips/authors.yml", "casey:\n  name: Casey\n")
    write(tmp_path / "tips/2025/2025-12-23-first.md", TIP.format(title="First", day="2025-12-23"))
    return tmp_path


class RecordingServer:
    """Stands in for MkDocs' LiveReloadServer: records what the plugin asks it to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, *args: object, **kwargs: object) -> None:
        self.watched.append(path)


def test_the_plugin_watches_the_tips_folder_and_side_files(site):
    config = load_config(str(site / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    server = RecordingServer()
    config.plugins.on_serve(server, config=config, builder=lambda: None)
    # Stop the tips folder's guard thread (not through on_shutdown: that freezes the heap
    # for the process's exit, and this process goes on testing).
    config.plugins["tipweek"].folder_guard.stop()
    assert str(site / "tips") in server.watched
    assert str(site / "tips/authors.yml") in server.watched
    # tags.yml does not exist yet: watching the tips folder covers it once it is created.
    assert (site / "tips/tags.yml").is_relative_to(site / "tips")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: What the served sites below build with: a fixed "now", 2026-01-01.
SERVE_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}


def write_small_site(root: Path) -> None:
    """mkdocs.yml, an about page and one tip, First (2025-12-23)."""
    write(root / "mkdocs.yml", SITE)
    write(root / "docs/about.md", "# About\n")
    write(root / "tips/2025/2025-12-23-first.md", TIP.format(title="First", day="2025-12-23"))


@contextlib.contextmanager
def mkdocs_serve(root: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A real `mkdocs serve` of `root` on a free local port: its base URL, until the block
    ends.  Its output goes to `root/serve.log`: a file, not a pipe nobody reads (which
    could fill and block mkdocs)."""
    port = free_port()
    with (root / "serve.log").open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ.copy() if env is None else env,
        )
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            stop_process(server, timeout=10)


def fetch_until(url: str, ready, deadline: float) -> str | None:
    """GET `url` until `ready(html)` holds or the deadline passes."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                html = response.read().decode("utf-8")
            if ready(html):
                return html
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    return None


def test_a_real_mkdocs_serve_picks_up_a_new_tip(site):
    with mkdocs_serve(site) as base:
        home = fetch_until(base, lambda html: "First" in html, time.monotonic() + 60)
        assert home is not None, (site / "serve.log").read_text(encoding="utf-8")
        write(site / "tips/2025/2025-12-30-second.md", TIP.format(title="Second", day="2025-12-30"))
        page = fetch_until(
            base + "2025/12/30/second/", lambda html: "Second" in html, time.monotonic() + 60
        )
        assert page is not None, (site / "serve.log").read_text(encoding="utf-8")
        title = BeautifulSoup(page, "lxml").select_one("article.h-entry .p-name")
        assert title is not None and title.get_text(strip=True) == "Second"
        home = fetch_until(base, lambda html: "Second" in html, time.monotonic() + 10)
        assert home is not None
        names = BeautifulSoup(home, "lxml").select(".h-feed article.h-entry .p-name")
        assert [name.get_text(strip=True) for name in names] == ["Second", "First"]
