"""The repository's own publication: its sample tips meet the brief and it builds cleanly."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, entry_titles
from lxml import etree
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tipweek.core.archive import Archive
from tipweek.core.dates import build_now
from tipweek.core.project import load_project

# 2026-11-18 12:53 UTC: after the last published sample tip, before the queued ones.
EPOCH = "1795000000"


@pytest.fixture(scope="module")
def project():
    return load_project(
        REPO,
        "tips",
        ZoneInfo("America/New_York"),
        authors_file="tips/authors.yml",
        tags_file="tips/tags.yml",
    )


def test_sample_tips_are_valid_and_warning_free(project):
    assert [str(p) for p in project.problems] == []


def test_sample_tips_cover_what_a_real_archive_has(project):
    tips = project.tips
    assert len(tips) >= 30
    assert len({tip.date.weekday() for tip in tips}) == 1  # one publication weekday
    tag_counts = Counter(slug for slug, tag in Archive(tips).tags.items() for _ in tag.tips)
    assert len(tag_counts) >= 8
    assert max(tag_counts.values()) >= 12
    assert len({tip.author for tip in tips if tip.author}) >= 2
    assert set(project.authors) >= {tip.author for tip in tips if tip.author}
    assert any("<!-- more -->" in tip.body for tip in tips)
    assert any(tip.draft for tip in tips)
    now = build_now(ZoneInfo("America/New_York"), {"SOURCE_DATE_EPOCH": EPOCH})
    assert any(tip.date > now and not tip.draft for tip in tips)


def test_sample_site_builds_strictly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("mkdocs.yml", "docs", "tips"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(tmp_path / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    site = tmp_path / "site"
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert len(entry_titles(home)) == 10
    assert home.select_one("nav.pagination")
    assert (site / "tags" / "training" / "page" / "2" / "index.html").is_file()
    assert (site / "feed.xml").is_file()
    # Crawlers: a robots.txt naming the absolute sitemap.
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://tips.northwind-training.example.org/sitemap.xml" in robots
    # The Contact page's address is a link that opens the reader's mail program.
    contact = BeautifulSoup((site / "contact" / "index.html").read_text("utf-8"), "lxml")
    mail = contact.select("article a[href^='mailto:']")
    assert [a["href"] for a in mail] == ["mailto:tips@northwind-training.example.org"]
    assert mail[0].get_text() == "tips@northwind-training.example.org"


def test_the_sample_sitemap_dates_its_pages_by_git_not_the_build_day(tmp_path, monkeypatch):
    """Built from the repository itself (its git history), with "now" far from any commit."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")  # 2033
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(REPO / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    tree = etree.fromstring((tmp_path / "site" / "sitemap.xml").read_bytes())
    names = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {
        url.findtext("s:loc", namespaces=names): url.findtext("s:lastmod", namespaces=names)
        for url in tree.findall("s:url", names)
    }
    for page in ("about", "contact", "subscribe"):
        committed = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", f"docs/{page}.md"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
        shown = lastmod[f"https://tips.northwind-training.example.org/{page}/"]
        assert shown == (committed or None), page
        assert shown is None or not shown.startswith("2033"), page
