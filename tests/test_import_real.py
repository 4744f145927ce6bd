"""Real posts are not refused by bounds meant for hostile files, and links resolve.

Cases found by importing other projects' WordPress exports and feeds; each
export here is written for the test (one post, `tests/import_exports.py`).
"""

from __future__ import annotations

from tests.import_exports import TIP, one_post_export
from tests.test_import import FIXTURES, body, front, make_project, run_import
from tipweek.core.tips import MAX_TAGS, parse_tip


def test_a_post_with_63_categories_imports_with_all_of_them(tmp_path, capsys):
    project = make_project(tmp_path)
    categories = [f"Topic {n}" for n in range(1, 64)]
    export = one_post_export(tmp_path, categories=categories)
    assert run_import(project, str(export)) == 0
    assert front(project, TIP)["tags"] == categories
    assert "imported 1 tip, skipped 0, failed 0" in capsys.readouterr().out


def test_a_post_beyond_the_tag_bound_comes_over_trimmed_and_says_what(tmp_path):
    project = make_project(tmp_path)
    categories = [f"Topic {n}" for n in range(1, MAX_TAGS + 6)]
    export = one_post_export(tmp_path, categories=categories)
    assert run_import(project, str(export), "--report", "report.md") == 0
    assert front(project, TIP)["tags"] == categories[:MAX_TAGS]
    report = (project / "report.md").read_text(encoding="utf-8")
    assert f"{MAX_TAGS + 5} categories and tags; a tip may have at most {MAX_TAGS}" in report
    assert ", ".join(categories[MAX_TAGS:]) in report


def test_a_hand_written_tip_beyond_the_bound_is_still_refused():
    tags = ", ".join(f"t{n}" for n in range(MAX_TAGS + 1))
    text = f"---\ntitle: T\ndate: 2025-01-07\ntags: [{tags}]\n---\nBody\n"
    _tip, problems = parse_tip(text, "tips/t.md", None)
    assert [p.message for p in problems if p.is_error] == [
        f"{MAX_TAGS + 1} tags; a tip may have at most {MAX_TAGS}"
    ]


REAL = FIXTURES / "real"


def test_relative_links_resolve_against_the_feeds_link(tmp_path):
    project = make_project(tmp_path)
    assert run_import(project, str(REAL / "relative-links.rss")) == 0
    text = body(project, "tips/2019/2019-03-12-queue-cards.md")
    assert "[queue cards](https://counter.example.org/notes/cards.html)" in text
    assert "![board](https://counter.example.org/notes/img/board.png)" in text
    assert "[how](#how)" in text  # an anchor within the post stays one


def test_relative_links_resolve_against_xml_base(tmp_path):
    project = make_project(tmp_path)
    assert run_import(project, str(REAL / "relative-links.atom")) == 0
    text = body(project, "tips/2019/2019-03-19-name-badges.md")
    assert "[new badges](https://desk.example.com/journal/badges/order.html)" in text


def test_relative_links_with_nothing_to_resolve_against_become_text_and_are_reported(tmp_path):
    project = make_project(tmp_path)
    source = REAL / "relative-links-nowhere.atom"
    assert run_import(project, str(source), "--report", "report.md") == 0
    text = body(project, "tips/2019/2019-03-26-lost-links.md")
    assert "Read the test page, look at the picture, and at [about](/about/)." in text
    report = (project / "report.md").read_text(encoding="utf-8")
    assert "1 relative link and 1 relative image or media file with no address" in report


def test_a_feed_with_an_html_doctype_is_a_feed_not_a_page(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run_import(project, str(REAL / "html-doctype.rss")) == 0
    assert front(project, "tips/2019/2019-04-02-hold-the-door.md")["title"] == "Hold the Door"
    assert "this is an HTML page" not in capsys.readouterr().err
