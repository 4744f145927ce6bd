"""Shared fixtures: write a tipweek project into tmp_path and build it in-process."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import re
import subprocess
import textwrap
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
import tqdm
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

# tqdm (the importer's progress bar) starts a monitor thread that outlives its bar; with
# another thread running, tipweek rightly refuses to fork workers, so the tests that
# check the forked workers would test the serial path instead.
tqdm.tqdm.monitor_interval = 0

REPO = Path(__file__).resolve().parent.parent
# 2026-01-01T00:00:00Z: "now" for every test build unless a test says otherwise.
DEFAULT_EPOCH = "1767225600"


def tip_text(
    title: str,
    day: date | str,
    body: str = "Some advice for the week.",
    **extra: object,
) -> str:
    """The text of a tip file; extra front-matter keys are dumped as YAML."""
    front = {"title": title, "date": str(day), **extra}
    return (
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body + "\n"
    )


@dataclass
class Site:
    """A built (or failed) test site."""

    root: Path
    site_dir: Path
    log: list[str] = field(default_factory=list)

    def path(self, url: str) -> Path:
        url = url.strip("/")
        target = self.site_dir / url
        return target if url.endswith((".xml", ".html", ".json", ".gz")) else target / "index.html"

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "lxml")

    def feed(self, url: str = "feed.xml") -> feedparser.FeedParserDict:
        return feedparser.parse(self.path(url).read_bytes())

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def tree(self) -> dict[str, bytes]:
        """Every file of the built site by its path, to compare two builds byte for byte."""
        return site_tree(self.site_dir)


def site_tree(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def logged_counts(pattern: re.Pattern[str], messages: list[str]) -> tuple[int, int]:
    """The two numbers of the one log line `pattern` matches, e.g. (rendered, from cache)."""
    found = [pattern.search(message) for message in messages]
    counts = [(int(m.group(1)), int(m.group(2))) for m in found if m]
    assert len(counts) == 1, messages
    return counts[0]


class SiteFactory:
    """Writes tips and config into a fresh project folder, then builds it."""

    def __init__(
        self, root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ):
        self.root = root
        self.monkeypatch = monkeypatch
        self.caplog = caplog

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def add_tip(
        self, title: str, day: date | str, body: str = "Some advice.", **extra: object
    ) -> Path:
        slug = extra.pop("file_slug", None) or title.lower().replace(" ", "-")
        return self.write(
            f"tips/{str(day)[:4]}/{str(day)[:10]}-{slug}.md", tip_text(title, day, body, **extra)
        )

    def add_weekly_tips(
        self, count: int, start: date = date(2015, 1, 6), **extra: object
    ) -> list[Path]:
        """`count` tips on consecutive Tuesdays, titled 'Tip 1' (oldest) … 'Tip N'."""
        return [
            self.add_tip(f"Tip {n}", start + timedelta(weeks=n - 1), f"Body of tip {n}.", **extra)
            for n in range(1, count + 1)
        ]

    def build(
        self,
        plugin_options: dict | None = None,
        *,
        epoch: str | None = DEFAULT_EPOCH,
        strict: bool = True,
        extra_config: dict | None = None,
        command: str = "build",
    ) -> Site:
        """Build in-process; `command="serve"` makes plugins believe `mkdocs serve` runs."""
        config = {
            "site_name": "Tip Site",
            "site_url": "https://example.org/tips/",
            "theme": {"name": "material"},
            "plugins": ["search", {"tipweek": plugin_options or {}}],
            **(extra_config or {}),
        }
        (self.root / "docs").mkdir(exist_ok=True)
        config_file = self.root / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        if epoch is None:
            self.monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            self.monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO):
            cfg = load_config(str(config_file), strict=strict)
            cfg.plugins.on_startup(command=command, dirty=False)
            build(cfg)
        return Site(self.root, self.root / "site", [r.getMessage() for r in self.caplog.records])

    def messages(self) -> list[str]:
        """Log messages of the last build, without the `tipweek: ` plugin-logger prefix."""
        return [r.getMessage().removeprefix("tipweek: ") for r in self.caplog.records]


@pytest.fixture(autouse=True)
def _collector_as_found():
    """A build sets its objects aside from the collector until the next build starts
    (`tipweek/speed/freeze_at_exit.py`); no test inherits that from the one before."""
    yield
    from tipweek.speed import freeze_at_exit

    freeze_at_exit.release()


@pytest.fixture(autouse=True)
def _fresh_plugin_instances():
    """MkDocs keeps a plugin with `on_startup` alive across `load_config` calls in one
    process (for `mkdocs serve`'s rebuilds): within a test, builds share tipweek's
    instance as a preview's rebuilds do; across tests they must not, or one test's
    `mkdocs serve` would make the next one's in-process build a preview."""
    yield
    from mkdocs.config.defaults import MkDocsConfig

    dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()


@pytest.fixture
def make_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> SiteFactory:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return SiteFactory(tmp_path, monkeypatch, caplog)


def add_five_tagged_tips(factory: SiteFactory) -> None:
    """An about page and tips 1 to 5 of 2025 (the 7th of each month), tagged alternately
    "focus" and "habits": the small site the cache tests rebuild again and again."""
    factory.write("docs/about.md", "# About\n\nWho we are.\n")
    for n in range(1, 6):
        tags = ["focus"] if n % 2 else ["habits"]
        factory.add_tip(f"Tip {n}", f"2025-0{n}-07", f"Tip {n} says hello.\n", tags=tags)


def texts(elements: Iterable) -> list[str]:
    return [" ".join(element.get_text(" ", strip=True).split()) for element in elements]


def entry_titles(soup: BeautifulSoup) -> list[str]:
    """Titles of the h-entry excerpts on a listing page, in order."""
    return texts(soup.select(".h-feed article.h-entry .p-name"))


Factory = Callable[..., SiteFactory]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser checks last.

    Their session-wide server and browser threads live until the session ends, and
    tipweek renders in a fork-based pool only when no other thread runs (forking a
    threaded process can copy a held lock), so the tests of that pool come first.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr); argparse's exits count too."""
    from tipweek.cli.main import main

    try:
        code = main(list(args))
    except SystemExit as error:
        code = int(error.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """End a server the test started: politely, then for good if it does not listen."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests of the forked worker pools skip where the system has no fork (Windows):
    there the build does the same work serially (tests/test_platforms.py)."""
    import os

    if item.get_closest_marker("forks") is not None and not hasattr(os, "fork"):
        pytest.skip("needs fork (not on Windows)")


@contextlib.contextmanager
def serve_folder(folder: Path, content_types: dict[str, str] | None = None):
    """A static HTTP server over `folder` on 127.0.0.1, quiet: its base URL, until the
    block ends (a static host that decodes request paths, as real ones do).
    `content_types` gives the Content-Type header of files by name."""
    types = content_types or {}

    def guess_type(handler: http.server.SimpleHTTPRequestHandler, path: str) -> str:
        name = Path(path).name
        return types[name] if name in types else http.server.SimpleHTTPRequestHandler.guess_type(
            handler, path
        )

    quiet = type(
        "Quiet",
        (http.server.SimpleHTTPRequestHandler,),
        {"log_message": lambda *a: None, "guess_type": guess_type},
    )
    handler = functools.partial(quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def errors_of_check_and_build(make_site, capsys) -> tuple[int, list[str], list[str]]:
    """`tipweek check`'s exit code and error lines, and the failed build's error lines."""
    from mkdocs.exceptions import Abort

    code, _, err = run_cli(capsys, "check")
    with pytest.raises(Abort):
        make_site.build()
    built = [m for m in make_site.messages() if ": error: " in m]
    return code, [m for m in err.splitlines() if ": error: " in m], built
