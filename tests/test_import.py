"""`tipweek import` of a WordPress export, end to end: files, re-runs, check, build.

The export (tests/fixtures/import/wordpress.xml) holds posts, a page, an
attachment, a menu item, a draft, a private post, a post without a date and
one without a title, two posts with one slug on one day, a caption shortcode,
`<!--more-->`, and a post full of script injection.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tipweek.cli import import_command as command
from tipweek.cli.workspace import load_workspace
from tipweek.core.tips import parse_tip

FIXTURES = Path(__file__).parent / "fixtures" / "import"
WXR = FIXTURES / "wordpress.xml"
TZ_CONFIG = {"timezone": "America/New_York"}
AUTHORS = "# Who writes the tips.\ncasey:\n  name: Casey Morgan\n  bio: Trainer.\n"
IMPORTED = {
    "tips/2014/2014-07-22-review-the-failures-of-others-7-22-14-tow.md",
    "tips/2014/2014-07-29-scripts-smart-replies.md",
    "tips/2014/2014-08-05-same-day.md",
    "tips/2014/2014-08-05-same-day-2.md",
    "tips/2014/2014-08-26-a-post-without-a-title.md",  # an untitled post, titled by its words
}


def make_project(root: Path, plugin_options: dict | None = None) -> Path:
    """A site folder as `tipweek import` finds it: mkdocs.yml, docs/, tips/authors.yml."""
    config = {
        "site_name": "Tip Site",
        "site_url": "https://example.org/tips/",
        "theme": {"name": "material"},
        "plugins": ["search", {"tipweek": plugin_options or dict(TZ_CONFIG)}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "tips").mkdir(exist_ok=True)
    (root / "tips" / "authors.yml").write_text(AUTHORS, encoding="utf-8")
    return root


def run_import(root: Path, *args: str) -> int:
    """Run `tipweek import ARGS` in `root` through the command's own parser and runner."""
    parser = argparse.ArgumentParser(prog="tipweek import")
    command.configure_parser(parser)
    return command.run(parser.parse_args(list(args)), load_workspace(None, root))


def tip_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "tips").rglob("*.md")}


def front(root: Path, relative: str) -> dict:
    text = (root / relative).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def body(root: Path, relative: str) -> str:
    return (root / relative).read_text(encoding="utf-8").split("---\n", 2)[2]


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (root / "tips").rglob("*")
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def test_posts_become_tips_with_their_front_matter(project, capsys):
    assert run_import(project, str(WXR)) == 0
    assert tip_files(project) == IMPORTED

    review = front(project, "tips/2014/2014-07-22-review-the-failures-of-others-7-22-14-tow.md")
    assert review == {
        "title": "Review the Failures of Others",  # the date suffix ' - 7/22/14 TOW' is gone
        "date": "2014-07-22 08:00",  # 12:00 GMT, in the site's America/New_York
        "tags": ["Training", "Phone Skills"],  # category and tag; not the post format
        "author": "pat",
        "slug": "review-the-failures-of-others-7-22-14-tow",
        "summary": "Learn from the calls that went wrong & fix them.",
        "aliases": ["/?p=123"],  # the permalink is the tip's own URL: no redirect needed
    }
    quoted = front(project, "tips/2014/2014-07-29-scripts-smart-replies.md")
    assert quoted["title"] == 'Scripts & \u201cSmart\u201d Replies: Say "No" Nicely'
    assert quoted["author"] == "casey"  # an existing authors.yml key
    assert quoted["tags"] == ["Saying No"]  # WordPress's "Uncategorized" says nothing

    out = capsys.readouterr().out
    assert "WordPress export (WXR 1.2)" in out
    assert "imported 5 tips, skipped 6, failed 0" in out


def test_body_is_markdown_with_the_more_marker_and_caption_content(project):
    run_import(project, str(WXR))
    text = body(project, "tips/2014/2014-07-22-review-the-failures-of-others-7-22-14-tow.md")
    assert text == (
        "\nWhen a colleague's call goes wrong, listen to the recording together.\n"
        "\n<!-- more -->\n\n"
        # The caption's align="alignright" is kept as tipweek's class (its stylesheet floats it).
        '<figure class="tw-right"><img alt="A headset on a desk" '
        'src="https://oldtips.example.com/wp-content/'
        'uploads/2014/07/headset.jpg"><figcaption>A good headset helps.</figcaption></figure>\n\n'
        "Ask three questions:\n\n"
        "- What did the customer need?\n"
        "- What did we say?\n\n"
        "Then **write down** one thing to do differently.\n"
    )
    assert "COMMENT TEXT" not in text


def test_script_handlers_and_javascript_links_are_removed(project):
    run_import(project, str(WXR))
    text = body(project, "tips/2014/2014-07-29-scripts-smart-replies.md")
    assert "<script" not in text and "alert" not in text
    assert "onerror" not in text and "javascript:" not in text
    assert "Never click here, but do [read the guide](https://example.org/guide)." in text
    # Text that merely looks like a tag stays text, escaped for Markdown.
    assert "Write &lt;script> in text is just text, and so is a\\_b\\*c." in text


def test_two_posts_with_one_slug_on_one_day_get_distinct_files(project):
    run_import(project, str(WXR))
    morning = front(project, "tips/2014/2014-08-05-same-day.md")
    evening = front(project, "tips/2014/2014-08-05-same-day-2.md")
    assert (morning["slug"], morning["date"]) == ("same-day", "2014-08-05 08:00")
    assert (evening["slug"], evening["date"]) == ("same-day-2", "2014-08-05 16:00")
    assert evening["aliases"] == ["/2014/08/05/same-day-again/", "/?p=126"]


def test_every_skipped_entry_says_why(project, capsys):
    run_import(project, str(WXR))
    skipped = [line.strip() for line in capsys.readouterr().out.splitlines() if "skipped:" in line]
    assert skipped == [
        'skipped: post 2 "About Us": it is a page, not a post',
        'skipped: post 127 "Unfinished Thoughts": it is a draft (--drafts imports it as a draft)',
        'skipped: post 128 "Team Only: Salary Talks": it is private '
        "(--drafts imports it as a draft)",
        'skipped: post 129 "Lost in Time": it has no publication date',
        'skipped: post 201 "headset.jpg": it is an attachment (a media file), not a post',
        'skipped: post 300 "Home": it is a menu item, not a post',
    ]


def test_missing_authors_are_appended_to_authors_yml(project, capsys):
    run_import(project, str(WXR))
    text = (project / "tips" / "authors.yml").read_text(encoding="utf-8")
    assert text.startswith(AUTHORS)  # the comment and the existing entry are kept
    assert yaml.safe_load(text) == {
        "casey": {"name": "Casey Morgan", "bio": "Trainer."},
        "pat": {"name": "Pat O'Brien"},  # the export's display name for login 'pat'
    }
    assert "added to tips/authors.yml: pat (Pat O'Brien)" in capsys.readouterr().out


def test_importing_twice_imports_nothing_and_changes_no_file(project, capsys):
    assert run_import(project, str(WXR)) == 0
    before = snapshot(project)
    capsys.readouterr()
    assert run_import(project, str(WXR)) == 0
    assert snapshot(project) == before
    out = capsys.readouterr().out
    assert "imported 0 tips, skipped 11, failed 0" in out
    assert 'post 126 "Same Day": already imported as tips/2014/2014-08-05-same-day-2.md' in out


def test_a_renamed_imported_tip_is_still_recognised_by_its_old_url(project, capsys):
    run_import(project, str(WXR))
    old = project / "tips/2014/2014-07-29-scripts-smart-replies.md"
    old.rename(project / "tips/2014/2014-07-29-say-no-nicely.md")
    capsys.readouterr()
    run_import(project, str(WXR))
    assert "already imported as tips/2014/2014-07-29-say-no-nicely.md" in capsys.readouterr().out
    assert not old.exists()


def test_drafts_and_private_posts_come_in_as_drafts_with_drafts(project):
    run_import(project, "--drafts", str(WXR))
    draft = front(project, "tips/2014/2014-08-12-unfinished-thoughts.md")
    assert draft["draft"] is True
    assert draft["date"] == "2014-08-12 09:30"  # a draft has only its local post_date
    assert draft["aliases"] == ["/?p=127"]
    assert front(project, "tips/2014/2014-08-19-team-only.md")["draft"] is True


def test_dry_run_prints_what_it_would_write_and_writes_nothing(project, capsys):
    assert run_import(project, "--dry-run", str(WXR)) == 0
    assert tip_files(project) == set()
    assert (project / "tips" / "authors.yml").read_text(encoding="utf-8") == AUTHORS
    out = capsys.readouterr().out
    assert "would write tips/2014/2014-08-05-same-day-2.md  Same Day" in out
    assert "would add to tips/authors.yml: pat (Pat O'Brien)" in out
    assert "would import 5 tips, skipped 6, failed 0" in out


def test_force_rewrites_an_imported_tip_in_place(project, capsys):
    run_import(project, str(WXR))
    path = project / "tips/2014/2014-08-05-same-day-2.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("The evening post.", "Edited."), encoding="utf-8")
    assert run_import(project, "--force", str(WXR)) == 0
    assert path.read_text(encoding="utf-8") == original
    assert tip_files(project) == IMPORTED
    assert "wrote (replacing) tips/2014/2014-08-05-same-day-2.md" in capsys.readouterr().out


def test_an_existing_tip_with_the_same_date_and_slug_is_not_duplicated(project, capsys):
    existing = project / "tips/2014/2014-08-05-same-day.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("---\ntitle: Mine\ndate: 2014-08-05\n---\nHand-written.\n")
    run_import(project, str(WXR))
    assert existing.read_text(encoding="utf-8").endswith("Hand-written.\n")
    out = capsys.readouterr().out
    assert 'post 125 "Same Day": already imported as tips/2014/2014-08-05-same-day.md' in out
    # The other post of that day is a different post (its old URLs are its own).
    assert front(project, "tips/2014/2014-08-05-same-day-2.md")["aliases"][-1] == "/?p=126"


def test_title_date_pattern_is_configurable(project):
    run_import(project, "--title-date", "", str(WXR))
    review = front(project, "tips/2014/2014-07-22-review-the-failures-of-others-7-22-14-tow.md")
    assert review["title"] == "Review the Failures of Others \u2013 7/22/14 TOW"


def test_an_invalid_title_date_pattern_is_a_usage_error(project, capsys):
    parser = argparse.ArgumentParser(prog="tipweek import")
    command.configure_parser(parser)
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--title-date", "([", str(WXR)])
    assert stop.value.code == 2
    assert "not a valid regular expression" in capsys.readouterr().err


def test_every_written_file_reads_back_as_the_same_tip(project):
    run_import(project, str(WXR))
    workspace = load_workspace(None, project)
    for relative in IMPORTED:
        text = (project / relative).read_text(encoding="utf-8")
        tip, problems = parse_tip(text, relative, workspace.settings.tz)
        assert tip is not None and problems == []


def test_check_passes_on_the_imported_tips(project):
    run_import(project, "--drafts", str(WXR))
    loaded = load_workspace(None, project).load()
    assert loaded.errors == []
    assert len(loaded.tips) == 7
    # Two posts on one day stay two tips on one day; that is history, not a
    # scheduling mistake, so the calendar warnings (which cover the queue) stay quiet.
    assert [(p.path, p.message) for p in loaded.warnings] == []


def test_the_imported_tips_build_and_old_urls_redirect(make_site, capsys):
    make_project(make_site.root)
    assert run_import(make_site.root, str(WXR)) == 0
    site = make_site.build(TZ_CONFIG)  # strict: an imported archive builds warning-free

    page = site.html("2014/07/29/scripts-smart-replies/")
    assert page.select_one("article.h-entry .p-name").get_text(strip=True) == (
        'Scripts & \u201cSmart\u201d Replies: Say "No" Nicely'
    )
    content = page.select_one(".e-content")
    assert content.find_all("script") == []
    assert [tag.name for tag in content.find_all(attrs={"onerror": True})] == []
    assert [a["href"] for a in content.find_all("a")] == ["https://example.org/guide"]
    assert "Write <script> in text is just text" in content.get_text()

    assert site.exists("2014/08/05/same-day/") and site.exists("2014/08/05/same-day-2/")
    redirect = site.html("2014/08/05/same-day-again/")
    assert redirect.find("link", rel="canonical")["href"] == (
        "https://example.org/tips/2014/08/05/same-day-2/"
    )
    home_script = " ".join(s.get_text() for s in site.html("").find_all("script"))
    queries = dict(re.findall(r'"(p=\d+)": "([^"]+)"', home_script))
    assert queries == {
        "p=123": "2014/07/22/review-the-failures-of-others-7-22-14-tow/",
        "p=124": "2014/07/29/scripts-smart-replies/",
        "p=125": "2014/08/05/same-day/",
        "p=126": "2014/08/05/same-day-2/",
        "p=130": "2014/08/26/a-post-without-a-title/",
    }


def test_an_old_url_that_a_page_owns_is_not_claimed(project, capsys):
    (project / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    export = WXR.read_text(encoding="utf-8").replace(
        "https://oldtips.example.com/2014/08/05/same-day-again/",
        "https://oldtips.example.com/about/",
    )
    source = project / "export.xml"
    source.write_text(export, encoding="utf-8")
    assert run_import(project, str(source)) == 0
    assert front(project, "tips/2014/2014-08-05-same-day-2.md")["aliases"] == ["/?p=126"]
    assert (
        "old URL /about/ is not redirected: it is already the page docs/about.md"
        in capsys.readouterr().err
    )
    assert load_workspace(None, project).load().errors == []


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_export_versions_import_alike(project, version):
    text = WXR.read_text(encoding="utf-8").replace("/export/1.2/", f"/export/{version}/")
    source = project / f"export-{version}.xml"
    source.write_text(text.replace("<wp:wxr_version>1.2", f"<wp:wxr_version>{version}"))
    assert run_import(project, str(source)) == 0
    assert tip_files(project) == IMPORTED


def test_the_sample_sites_authors_file_is_only_appended_to(tmp_path):
    root = make_project(tmp_path)
    shutil.copy(Path(__file__).parent.parent / "tips" / "authors.yml", root / "tips")
    original = (root / "tips" / "authors.yml").read_text(encoding="utf-8")
    run_import(root, str(WXR))
    updated = (root / "tips" / "authors.yml").read_text(encoding="utf-8")
    assert updated.startswith(original)
    assert updated[len(original) :].lstrip("\n") == "pat:\n  name: Pat O'Brien\n"


def old_export(count: int) -> str:
    """A WXR 1.0 export as WordPress 2.x wrote it: no CDATA titles, categories without domain."""
    items = "".join(
        f"""<item><title>Tip n&#176;{n} &#8211; 5/5/09</title>
<link>http://old.example/blog/archives/{n}</link>
<dc:creator>admin</dc:creator>
<category>General</category><category domain="tag">Old Tag</category>
<guid isPermaLink="false">http://old.example/blog/?p={n}</guid>
<content:encoded><![CDATA[Line one.
Line two, with a <a href="/blog/archives/{n + 1}">link</a>.]]></content:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2009-05-05 06:00:00</wp:post_date>
<wp:post_date_gmt>2009-05-05 10:00:00</wp:post_date_gmt>
<wp:post_name>tip-{n}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>
"""
        for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.0/">\n<channel><title>Old</title>'
        f"<wp:wxr_version>1.0</wp:wxr_version>\n{items}</channel></rss>\n"
    )


def test_an_old_wordpress_2_export_imports(project):
    source = project / "old.xml"
    source.write_text(old_export(3), encoding="utf-8")
    assert run_import(project, str(source)) == 0
    tip = front(project, "tips/2009/2009-05-05-tip-1.md")
    assert tip == {
        "title": "Tip n\u00b01",
        "date": "2009-05-05 06:00",
        "tags": ["General", "Old Tag"],
        "author": "admin",
        "slug": "tip-1",
        "aliases": ["/blog/archives/1", "/?p=1"],
    }
    assert body(project, "tips/2009/2009-05-05-tip-1.md") == (
        "\nLine one.  \nLine two, with a [link](http://old.example/blog/archives/2).\n"
    )


@pytest.mark.parametrize("terminal", [False, True])
def test_a_progress_bar_only_for_many_posts_in_a_terminal(project, capsys, monkeypatch, terminal):
    source = project / "many.xml"
    source.write_text(old_export(command.PROGRESS_MIN_ENTRIES), encoding="utf-8")
    monkeypatch.setattr(command.sys.stderr, "isatty", lambda: terminal)
    assert run_import(project, str(source)) == 0
    assert len(tip_files(project)) == command.PROGRESS_MIN_ENTRIES
    err = capsys.readouterr().err
    assert ("Reading posts" in err) is terminal


@pytest.mark.parametrize("content", ["", "   ", "<script>pwned()</script>"])
def test_a_post_with_no_text_comes_in_as_a_draft_and_the_site_builds(
    project, capsys, caplog, content
):
    # A published tip with no text is an error in the build; a draft may be empty.
    text = old_export(2).replace(
        '<![CDATA[Line one.\nLine two, with a <a href="/blog/archives/2">link</a>.]]>',
        f"<![CDATA[{content}]]>",
    )
    source = project / "empty.xml"
    source.write_text(text, encoding="utf-8")
    report = project / "report.txt"
    assert run_import(project, str(source), "--report", str(report)) == 0
    assert "imported as a draft" in report.read_text(encoding="utf-8")
    assert front(project, "tips/2009/2009-05-05-tip-1.md")["draft"] is True
    assert "draft" not in front(project, "tips/2009/2009-05-05-tip-2.md")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(project / "mkdocs.yml"), strict=True))
    assert not (project / "site" / "2009" / "05" / "05" / "tip-1").exists()
    assert (project / "site" / "2009" / "05" / "05" / "tip-2" / "index.html").is_file()
