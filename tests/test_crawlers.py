"""What crawlers read besides pages: robots.txt and the dates of docs pages (core.crawlers)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tipweek.core.crawlers import content_date, git_dates, parse_git_log, robots_txt


def test_robots_txt_names_the_sitemap_only_with_a_site_url():
    assert robots_txt("https://example.org/tips/") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/tips/sitemap.xml\n"
    )
    assert robots_txt("") == "User-agent: *\nAllow: /\n"


def test_the_newest_commit_of_each_path_wins():
    log = "\x012025-03-04\n\nabout.md\n\n\x012024-01-02\n\nabout.md\ncontact.md\n"
    assert parse_git_log(log) == {"about.md": "2025-03-04", "contact.md": "2024-01-02"}


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"updated": date(2024, 2, 29), "date": date(2020, 1, 1)}, "2024-02-29"),
        ({"date": datetime(2023, 5, 6, 10, 0)}, "2023-05-06"),
        ({"date": "2022-07-08"}, "2022-07-08"),
        ({"updated": "someday", "date": "2022-07-08"}, "2022-07-08"),
        ({"date": "someday"}, None),
        ({}, None),
    ],
)
def test_a_pages_own_date(meta, expected):
    assert content_date(meta) == expected


def test_outside_a_repository_there_are_no_git_dates(tmp_path):
    (tmp_path / "about.md").write_text("# About\n")
    assert git_dates(tmp_path) == {}
