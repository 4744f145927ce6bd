"""`tipweek import` of RSS and Atom feeds, from files and URLs, and of sources it must refuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve_folder

from tests.test_import import FIXTURES, WXR, body, front, make_project, run_import, tip_files
from tipweek.cli.main import main

RSS = FIXTURES / "feed.rss"
ATOM = FIXTURES / "feed.atom"
AUTHORS_OF_THE_SAMPLE = "casey:\n  name: Casey Morgan\njordan:\n  name: Jordan Lee\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    (root / "tips" / "authors.yml").write_text(AUTHORS_OF_THE_SAMPLE, encoding="utf-8")
    return root


def test_rss_items_become_tips(project, capsys):
    assert run_import(project, str(RSS)) == 0
    assert tip_files(project) == {
        "tips/2014/2014-08-05-listen-first.md",
        "tips/2014/2014-07-29-use-their-name.md",
    }
    listen = front(project, "tips/2014/2014-08-05-listen-first.md")
    assert listen == {
        "title": "Listen First",
        "date": "2014-08-05 08:00",
        "tags": ["Listening", "Phone Skills"],
        "author": "jordan",  # 'Jordan Lee' is the name of an existing author
        "slug": "listen-first",  # from the permalink
        "aliases": ["/?p=310"],  # the guid; the permalink is the tip's own URL
    }  # no summary: the description is WordPress's automatic "first words [...]"
    assert body(project, "tips/2014/2014-08-05-listen-first.md") == (
        "\nLet the customer finish. Then answer.\n\n<!-- more -->\n\n"
        "Interrupting costs more time than it saves.![An ear]"
        "(https://oldtips.example.com/wp-content/uploads/2014/08/ear.png)\n"
    )  # the relative image now points at the old site; the feed's footer is gone
    name = front(project, "tips/2014/2014-07-29-use-their-name.md")
    assert name["title"] == "Use Their Name: Once"
    assert name["summary"] == "A name said once is warm; said five times it is a script."
    text = body(project, "tips/2014/2014-07-29-use-their-name.md")
    assert "evil" not in text and "javascript" not in text and "<script" not in text
    out = capsys.readouterr().out
    assert 'skipped: entry 3 "Undated Advice": it has no publication date' in out
    assert "added to" not in out  # both authors were known


def test_atom_entries_become_tips(project, capsys):
    assert run_import(project, str(ATOM)) == 0
    smile = front(project, "tips/2014/2014-09-09-smile-and-dial.md")
    assert smile["title"] == "Smile & Dial: It Shows"  # HTML title: entities and tags resolved
    assert smile["date"] == "2014-09-09 08:00"  # <published>, not <updated>
    assert smile["tags"] == ["Phone Skills", "Attitude"]  # a category's label over its term
    assert smile["author"] == "pat-obrien"
    assert body(project, "tips/2014/2014-09-09-smile-and-dial.md") == (
        "\nCallers hear a smile.\n\n<!-- more -->\n\nPut a mirror by the phone. bad\n"
    )
    written = front(project, "tips/2014/2014-09-16-write-it-down.md")
    assert written["date"] == "2014-09-16 08:00"  # only <updated>: that is the date
    assert "summary" not in written  # feedparser's copy of the content is no excerpt
    untitled = front(project, "tips/2014/2014-09-23-untitled.md")
    assert untitled["title"] == "An entry with no title."  # its first words
    assert "imported 3 tips, skipped 0, failed 0" in capsys.readouterr().out
    authors = (project / "tips" / "authors.yml").read_text(encoding="utf-8")
    assert authors == AUTHORS_OF_THE_SAMPLE + "pat-obrien:\n  name: Pat O'Brien\n"


def test_a_feed_imported_twice_is_imported_once(project, capsys):
    run_import(project, str(RSS))
    run_import(project, str(ATOM))
    before = {p: p.read_bytes() for p in (project / "tips").rglob("*") if p.is_file()}
    capsys.readouterr()
    run_import(project, str(RSS))
    run_import(project, str(ATOM))
    after = {p: p.read_bytes() for p in (project / "tips").rglob("*") if p.is_file()}
    assert after == before
    out = capsys.readouterr().out
    assert out.count("imported 0 tips") == 2


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A local web server serving the fixtures folder; yields its base URL."""
    with serve_folder(FIXTURES) as base:
        yield base


def test_a_feed_is_read_from_a_url(project, server, capsys):
    assert run_import(project, f"{server}/feed.atom") == 0
    assert "tips/2014/2014-09-09-smile-and-dial.md" in tip_files(project)
    assert run_import(project, f"{server}/missing.xml") == 1
    assert "missing.xml: the server answered 404" in capsys.readouterr().err


def test_the_cli_runs_import(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["import", "--dry-run", str(RSS)]) == 0
    assert "would write tips/2014/2014-08-05-listen-first.md  Listen First" in (
        capsys.readouterr().out
    )
    assert tip_files(project) == set()


def _truncated(tmp_path: Path) -> Path:
    data = WXR.read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) // 2])
    return path


def _write(name: str, text: str):
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Old Tips</title>"
    '<link rel="alternate" type="application/rss+xml" href="https://oldtips.example.com/feed/">'
    "</head><body><p>Welcome<br></body></html>\n"
)


@pytest.mark.parametrize(
    ("make_source", "message"),
    [
        (lambda tmp: tmp / "nowhere.xml", "no such file"),
        (lambda tmp: tmp / "docs", "is a folder; give the feed or export file itself"),
        (
            _truncated,
            "the XML stops before it is complete (line 125 is the last); "
            "the file looks truncated: download or export it again",
        ),
        (
            _write("page.html", HTML_PAGE),
            "this is an HTML page, not a feed or a WordPress export; "
            "the page names its feed: https://oldtips.example.com/feed/",
        ),
        (_write("notes.txt", "Just some notes.\n"), "not XML, so not a feed or export"),
        (
            _write("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n'),
            "not an RSS or Atom feed or a WordPress export (its first element is <svg>)",
        ),
        (_write("empty.xml", ""), "the file is empty, not a feed"),
    ],
    ids=["missing", "folder", "truncated", "html", "text", "svg", "empty"],
)
def test_a_bad_source_is_a_clear_error_and_writes_nothing(project, capsys, make_source, message):
    source = make_source(project)
    assert run_import(project, str(source)) == 1
    err = capsys.readouterr().err
    assert err == f"tipweek import: error: {source}: {message}; nothing was imported\n"
    assert tip_files(project) == set()
    assert (project / "tips" / "authors.yml").read_text(encoding="utf-8") == (AUTHORS_OF_THE_SAMPLE)


def test_a_flawed_export_warns_and_imports_what_is_sound(project, capsys):
    flawed = WXR.read_text(encoding="utf-8").replace(
        "<title><![CDATA[Same Day]]></title>", "<title>Same&nbsp;Day</title>", 1
    )
    source = project / "flawed.xml"
    source.write_text(flawed, encoding="utf-8")
    assert run_import(project, str(source)) == 0
    err = capsys.readouterr().err
    assert f"warning: {source}:144: the XML is not well-formed (undefined entity)" in err
    assert len(tip_files(project)) == 5
    assert front(project, "tips/2014/2014-08-05-same-day.md")["title"] == "Same Day"


def test_titles_without_ascii_get_a_stable_slug(project):
    source = project / "feed.xml"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>'
        "<item><title>\u9867\u5ba2\u30b5\u30fc\u30d3\u30b9</title><link>https://old.example/</link>"
        "<guid>https://old.example/?p=9</guid>"
        "<pubDate>Tue, 05 Aug 2014 12:00:00 +0000</pubDate><description>Hi</description></item>"
        "</channel></rss>\n",
        encoding="utf-8",
    )
    assert run_import(project, str(source)) == 0
    assert run_import(project, str(source)) == 0
    assert tip_files(project) == {"tips/2014/2014-08-05-post-1e4666bc.md"}


def test_a_post_that_cannot_be_written_is_reported_as_failed(project, capsys):
    (project / "tips" / "2014").write_text("a file where the year folder should be")
    source = project / "feed.xml"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>'
        "<item><title>Old</title><link>https://old.example/old/</link>"
        "<pubDate>Tue, 05 Aug 2014 12:00:00 +0000</pubDate><description>Hi</description></item>"
        "<item><title>Fine</title><link>https://old.example/fine/</link>"
        "<pubDate>Tue, 11 Aug 2015 12:00:00 +0000</pubDate><description>Ok</description></item>"
        "</channel></rss>\n",
        encoding="utf-8",
    )
    assert run_import(project, str(source)) == 1
    out = capsys.readouterr().out
    assert "imported 1 tip, skipped 0, failed 1" in out
    assert 'failed: entry 1 "Old": cannot write tips/2014/2014-08-05-old.md' in out
    assert tip_files(project) == {"tips/2015/2015-08-11-fine.md"}
