"""No broken internal link or anchor in the sample site, its feeds included (LinkChecker).

LinkChecker crawls the served site from `/`. Feeds carry absolute URLs on the
production host (`site_url`), which a crawl of 127.0.0.1 would call external; so
every site URL found in a feed (item links, guids, links inside the content) is
mapped to the local server and given to LinkChecker as a start URL too.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from browser.tools import require_module

pytestmark = pytest.mark.browser

# [AnchorCheck] turns on the check of `#fragment` targets. LinkChecker spaces its
# requests to a host 0.1-0.6 s apart; it drops to 1/maxrequestspersecond only for a
# server that answers with a `LinkChecker` header, as our local one does.
LINKCHECKER_CONFIG = """\
[checking]
threads=10
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
"""

# LinkChecker run as root switches to `nobody`, who cannot list a site-packages under
# /root (as in CI containers), so its plugins, AnchorCheck included, silently vanish.
# We crawl our own local build, so run it with the privileges it was started with.
RUN_LINKCHECKER = (
    "import sys, linkcheck.command.linkchecker as cli; "
    "cli.drop_privileges = lambda: None; sys.exit(cli.linkchecker())"
)


def broken_links(start_urls: list[str], work_dir: Path) -> list[str]:
    """LinkChecker's errors and warnings for a crawl from `start_urls`, one line each."""
    require_module("linkcheck")
    config = work_dir / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    report = work_dir / "linkchecker.csv"
    command = [sys.executable, "-c", RUN_LINKCHECKER, "--config", str(config), "--no-status"]
    command += ["--output", "none", "--file-output", f"csv/utf-8/{report}", *start_urls]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr  # 1: problems found; else it broke
    lines = [line for line in report.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return [
        f"{row['url']} (from {row['parentname'] or 'start'}, line {row['line']}): "
        f"{row['result']} {row['warningstring']}".strip()
        for row in csv.DictReader(lines, delimiter=";")
        if row["valid"] != "True" or row["warningstring"]
    ]


def feed_site_urls(site_dir: Path) -> tuple[str, set[str]]:
    """The site URL and every URL on it that any of the site's feeds mentions."""
    site_url = feedparser.parse((site_dir / "feed.xml").read_bytes()).feed.link
    urls: set[str] = set()
    for feed_path in site_dir.rglob("feed.xml"):
        feed = feedparser.parse(feed_path.read_bytes())
        assert feed.bozo == 0, f"{feed_path}: {feed.get('bozo_exception')}"
        for entry in feed.entries:
            urls.update([entry.link, entry.id])
            for html in [entry.summary, *(content.value for content in entry.content)]:
                soup = BeautifulSoup(html, "lxml")
                urls.update(
                    tag.get("href") or tag.get("src") for tag in soup.select("[href],[src]")
                )
    return site_url, {url for url in urls if url and url.startswith(site_url)}


def test_no_broken_internal_links_or_anchors(
    sample_site: Path, site_url: str, tmp_path: Path
) -> None:
    production_url, feed_urls = feed_site_urls(sample_site)
    assert len(feed_urls) > 40, "every published tip is in a feed"
    local_feed_urls = sorted(site_url + url.removeprefix(production_url) for url in feed_urls)

    problems = broken_links([site_url, *local_feed_urls], tmp_path)

    assert problems == [], "\n".join(problems)


def test_the_link_check_reports_missing_pages_and_anchors(tmp_path: Path) -> None:
    """Guards the guard: a dead link and a dead anchor must both come back."""
    from served_site import serve

    site = tmp_path / "site"
    (site / "there").mkdir(parents=True)
    (site / "there" / "index.html").write_text(
        '<!doctype html><title>There</title><h1 id="here">Here</h1>', encoding="utf-8"
    )
    (site / "index.html").write_text(
        '<!doctype html><title>Home</title><a href="there/#here">ok</a>'
        '<a href="there/#gone">dead anchor</a><a href="nowhere/">dead link</a>',
        encoding="utf-8",
    )

    with serve(site) as base_url:
        problems = broken_links([base_url], tmp_path)

    dead_link, dead_anchor = sorted(problems)
    assert dead_link.startswith(f"{base_url}nowhere/ (from {base_url}, line 1): 404")
    assert dead_anchor.startswith(f"{base_url}there/#gone (from {base_url}, line 1): 200 OK")
    assert "Anchor `gone' (decoded: `gone') not found" in dead_anchor
