"""`mkdocs serve` with a broken tip: a banner on every page instead of a hung browser,
the real page back once the file is fixed, and tips/ watched again after it comes back."""

from __future__ import annotations

import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import entry_titles
from mkdocs.exceptions import Abort
from test_cli_serve import SERVE_ENV, TIP, fetch_until, mkdocs_serve, write, write_small_site

from tipweek.mkdocs.folder_watch import FolderGuard

BROKEN = "---\ntitle: Broken\ndate: 2025-07-08\nslug: Not A Slug\n---\nBody.\n"
PROBLEM = (
    "tips/2025/2025-07-08-broken.md:4: error: slug 'Not A Slug' must be lowercase ASCII "
    "words joined by hyphens, e.g. 'be-brief'"
)


def problems_on(soup: BeautifulSoup) -> list[str]:
    return [item.get_text() for item in soup.select(".tw-problems li")]


def test_serve_builds_without_the_broken_tip_and_lists_the_problem_on_every_page(make_site):
    make_site.add_tip("Good", "2025-07-01", tags=["focus"])
    make_site.write("docs/about.md", "# About\n")
    make_site.write("tips/2025/2025-07-08-broken.md", BROKEN)
    site = make_site.build(command="serve", strict=False)  # no Abort: the preview goes on
    for url in ("/", "/2025/07/01/good/", "/tags/", "/tags/focus/", "/about/", "/2025/"):
        assert problems_on(site.html(url)) == [PROBLEM], url
    assert entry_titles(site.html("/")) == ["Good"]
    assert not site.exists("/2025/07/08/broken/")
    # The broken tip's reader lands on the 404 page: it lists the problem and reloads.
    not_found = BeautifulSoup(site.path("404.html").read_text(encoding="utf-8"), "lxml")
    assert problems_on(not_found) == [PROBLEM]
    assert any("/livereload/" in script.get_text() for script in not_found.select("script"))
    assert PROBLEM in make_site.messages()

    make_site.write("tips/2025/2025-07-08-broken.md", BROKEN.replace("Not A Slug", "fixed"))
    site = make_site.build(command="serve")
    for url in ("/", "/2025/07/01/good/", "/2025/07/08/fixed/"):
        assert problems_on(site.html(url)) == [], url
    assert entry_titles(site.html("/")) == ["Broken", "Good"]


def test_build_still_fails_and_never_shows_a_banner_or_the_reload_script(make_site):
    make_site.add_tip("Good", "2025-07-01")
    first = make_site.build()
    make_site.write("tips/2025/2025-07-08-broken.md", BROKEN)
    with pytest.raises(Abort):
        make_site.build()
    assert problems_on(first.html("/")) == []
    assert "/livereload/" not in first.path("404.html").read_text(encoding="utf-8")


class FakeServer:
    """MkDocs' LiveReloadServer as the guard sees it: watch and unwatch by path."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def watch(self, path: str) -> None:
        self.calls.append(("watch", path))

    def unwatch(self, path: str) -> None:
        self.calls.append(("unwatch", path))


def test_the_guard_renews_the_watch_when_the_folder_comes_back(tmp_path):
    tips, signal = tmp_path / "tips", tmp_path / ".cache/tipweek/serve"
    tips.mkdir()
    server = FakeServer()
    guard = FolderGuard(server, tips, signal)
    guard.start()
    guard.stop()  # drive it by hand below, without the thread
    assert server.calls == [("watch", str(signal)), ("watch", str(tips))]
    assert guard.check() is False
    tips.rename(tmp_path / "away")
    assert guard.check() is True
    first_signal = (signal / "changed").read_text(encoding="ascii")
    assert server.calls[-1] == ("unwatch", str(tips))
    (tmp_path / "away").rename(tips)
    time.sleep(0.01)
    assert guard.check() is True
    assert server.calls[-1] == ("watch", str(tips))
    assert (signal / "changed").read_text(encoding="ascii") != first_signal


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write_small_site(tmp_path)
    with mkdocs_serve(tmp_path, SERVE_ENV) as base:
        yield tmp_path, base


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # a hang fails here
        return response.read().decode("utf-8")


def test_a_real_serve_shows_the_problem_then_the_fixed_page_and_survives_tips_moving(served):
    root, base = served
    log = root / "serve.log"
    assert fetch_until(base, lambda html: "First" in html, time.monotonic() + 60), log.read_text()
    tip = root / "tips/2025/2025-12-30-second.md"
    write(
        tip, TIP.format(title="Second", day="2025-12-30").replace("date:", "slug: Bad Slug\ndate:")
    )
    page = fetch_until(base, lambda html: "tw-problems" in html, time.monotonic() + 30)
    assert page is not None, log.read_text()
    [problem] = problems_on(BeautifulSoup(page, "lxml"))
    assert problem.startswith("tips/2025/2025-12-30-second.md:3: error: slug 'Bad Slug'")
    # Every request is answered at once while the tip is broken (no "server appears stuck").
    started = time.monotonic()
    get(base + "about/")
    assert time.monotonic() - started < 5

    write(tip, TIP.format(title="Second", day="2025-12-30"))
    fixed = fetch_until(
        base + "2025/12/30/second/", lambda html: "Second" in html, time.monotonic() + 30
    )
    assert fixed is not None and "tw-problems" not in fixed, log.read_text()

    shutil.move(root / "tips", root / "tips-away")
    assert fetch_until(base, lambda html: "Second" not in html, time.monotonic() + 30), (
        log.read_text()
    )
    shutil.move(root / "tips-away", root / "tips")
    assert fetch_until(base, lambda html: "Second" in html, time.monotonic() + 30), log.read_text()
    # The restored folder is watched again: an edit shows up.
    write(root / "tips/2025/2025-12-30-second.md", TIP.format(title="Edited", day="2025-12-30"))
    assert fetch_until(base, lambda html: "Edited" in html, time.monotonic() + 30), log.read_text()
