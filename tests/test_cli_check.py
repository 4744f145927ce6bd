"""`tipweek check`: every problem of every file, one line each, with its exact line.

The same project is also built with MkDocs, to pin that the build and the CLI
report the very same problems (one source of truth: `load_project`).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import run_cli
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tipweek.cli.main import main

GOOD = "---\ntitle: {title}\ndate: {day}\ntags: [{tags}]\n---\nSome advice.\n"

# Every kind of problem `check` reports, each in its own file, with the line it is on.
BROKEN_FILES = {
    "tips/2025/2025-06-03-bad-date.md": "---\ntitle: Bad date\ndate: 2025-13-01\n---\nBody.\n",
    "tips/2025/2025-06-10-us-date.md": "---\ntitle: US date\ndate: 06/10/2025\n---\nBody.\n",
    "tips/2025/2025-06-17-typo-key.md": (
        "---\ntitle: Typo\ndate: 2025-06-17\ntgas: [training]\n---\nBody.\n"
    ),
    "tips/2025/2025-06-24-broken-yaml.md": (
        "---\ntitle: Broken\ndate: 2025-06-24\ntags: [a\n---\nBody.\n"
    ),
    "tips/2025/2025-07-01-a-list.md": "---\n- title\n- date\n---\nBody.\n",
    "tips/2025/2025-07-08-no-front-matter.md": "Just some text.\n",
    "tips/2025/2025-07-15-latin1.md": "---\ntitle: Caf\xe9\ndate: 2025-07-15\n---\n",
    "tips/2025/2025-07-22-empty.md": "---\ntitle: Empty\ndate: 2025-07-22\n---\n\n",
    "tips/2025/2025-07-29-wednesday.md": "---\ntitle: Midweek\ndate: 2025-07-30\n---\nBody.\n",
    "tips/2025/2025-08-05-first.md": GOOD.format(title="First", day="2025-08-05", tags="training"),
    "tips/2025/2025-08-05-second.md": GOOD.format(
        title="Second", day="2025-08-05", tags="Training"
    ),
    "tips/2025/2025-08-12-typo-tag.md": GOOD.format(title="T", day="2025-08-12", tags="trainnig"),
    "tips/2025/2025-08-19-author.md": (
        "---\ntitle: Who\ndate: 2025-08-19\nauthor: sam\n---\nBody.\n"
    ),
    "tips/2025/2025-08-26-alias.md": (
        "---\ntitle: Alias\ndate: 2025-08-26\naliases: [/about/]\n---\nBody.\n"
    ),
}

EXPECTED = [
    "tips/2025/2025-06-03-bad-date.md:3: error: date '2025-13-01' is not a valid date "
    "(month must be in 1..12)",
    "tips/2025/2025-06-10-us-date.md:3: error: date '06/10/2025' is not a date in a format "
    "tipweek reads (YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional +HH:MM offset)",
    "tips/2025/2025-06-17-typo-key.md:4: warning: unknown front-matter key 'tgas'; "
    "did you mean 'tags'?",
    "tips/2025/2025-06-24-broken-yaml.md:5: error: front matter is not valid YAML: "
    "did not find expected ',' or ']' (while parsing a flow sequence that starts on line 4)",
    "tips/2025/2025-07-01-a-list.md:2: error: front matter must be 'key: value' lines, "
    "not a list or text",
    "tips/2025/2025-07-08-no-front-matter.md:1: error: no front matter: a tip starts with a "
    "'---' line, then 'title:' and 'date:'",
    "tips/2025/2025-07-15-latin1.md:2: error: the file is not UTF-8 text; save it as UTF-8",
    "tips/2025/2025-07-22-empty.md:4: warning: the tip has no text after the front matter",
    "tips/2025/2025-07-29-wednesday.md:3: warning: date 2025-07-30 differs from the date in "
    "the file name (2025-07-29); the date line decides the URL, so fix one of them",
    "tips/2025/2025-07-29-wednesday.md:3: warning: 2025-07-30 is a Wednesday; tips go out on "
    "Tuesdays (publish_weekday in mkdocs.yml)",
    "tips/2025/2025-08-05-second.md:3: warning: tips/2025/2025-08-05-first.md is also dated "
    "2025-08-05; one tip per publication day",
    "tips/2025/2025-08-05-second.md:4: warning: tag 'Training' is written 'training' in 3 "
    "other tips; use one spelling",
    "tips/2025/2025-08-12-typo-tag.md:4: warning: tag 'trainnig' looks like a misspelling of "
    "'training' (used in 4 tips); if it is a new tag, list it in tags.yml",
    "tips/2025/2025-08-19-author.md:4: warning: unknown author 'sam' (authors.yml has: casey)",
    "tips/2025/2025-08-26-alias.md:4: error: URL /about/ is already the page docs/about.md",
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # 2025-05-01: every tip below is still in the queue, where calendar checks apply.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1746057600")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    write(tmp_path, "mkdocs.yml", "site_name: T\nsite_url: https://example.org/\n")
    write(tmp_path, "docs/about.md", "# About\n")
    write(tmp_path, "tips/authors.yml", "casey:\n  name: Casey Morgan\n")
    for n, day in enumerate(["2025-05-06", "2025-05-13"], start=1):
        write(
            tmp_path, f"tips/2025/{day}-ok-{n}.md", GOOD.format(title=n, day=day, tags="training")
        )
    return tmp_path


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("latin-1" if "latin1" in relative else "utf-8"))


def add_plugin(root: Path) -> None:
    """The same site, as a MkDocs site with the tipweek plugin."""
    write(
        root,
        "mkdocs.yml",
        "site_name: T\nsite_url: https://example.org/\ntheme: {name: material}\n"
        "plugins: [tipweek]\n",
    )


def test_a_clean_archive_passes(repo, capsys):
    assert run_cli(capsys, "check") == (0, "2 tip files checked: 0 errors, 0 warnings\n", "")


def test_every_problem_of_every_file_with_its_line(repo, capsys):
    for relative, text in BROKEN_FILES.items():
        write(repo, relative, text)
    code, out, err = run_cli(capsys, "check")
    assert code == 1
    assert err.splitlines() == EXPECTED
    assert out == "16 tip files checked: 7 errors, 8 warnings\n"


def test_warnings_alone_pass_unless_strict(repo, capsys):
    write(repo, "tips/2025/2025-07-22-empty.md", BROKEN_FILES["tips/2025/2025-07-22-empty.md"])
    code, _, err = run_cli(capsys, "check")
    assert code == 0
    assert (
        err
        == "tips/2025/2025-07-22-empty.md:4: warning: the tip has no text after the front matter\n"
    )
    assert run_cli(capsys, "check", "--strict")[0] == 1


def test_paths_limit_the_report_but_cross_file_checks_still_see_everything(repo, capsys):
    for relative, text in BROKEN_FILES.items():
        write(repo, relative, text)
    code, _, err = run_cli(capsys, "check", "tips/2025/2025-08-05-second.md")
    assert code == 0  # warnings only
    assert err.splitlines() == [line for line in EXPECTED if "2025-08-05-second.md" in line]
    code, _, err = run_cli(capsys, "check", "--strict", "tips/2025/2025-08-05-second.md")
    assert code == 1


def test_a_file_outside_the_tips_folder_is_checked_on_its_own(repo, capsys):
    write(repo, "drafts/idea.md", "---\ntitle: Idea\ndate: 2025-02-30\n---\nBody.\n")
    code, out, err = run_cli(capsys, "check", "drafts/idea.md")
    assert (code, out) == (1, "1 tip file checked: 1 error, 0 warnings\n")
    assert err == (
        "drafts/idea.md:3: error: date '2025-02-30' is not a valid date "
        "(day is out of range for month)\n"
    )


def test_a_missing_path_is_a_usage_error(repo, capsys):
    code, out, err = run_cli(capsys, "check", "tips/nope.md")
    assert (code, out) == (2, "")
    assert err.endswith("tipweek check: error: tips/nope.md: no such file or folder\n")


def test_paths_are_shown_relative_to_where_the_editor_stands(repo, capsys, monkeypatch):
    write(repo, "tips/2025/2025-07-22-empty.md", BROKEN_FILES["tips/2025/2025-07-22-empty.md"])
    monkeypatch.chdir(repo / "tips")
    code, _, err = run_cli(capsys, "--config", "../mkdocs.yml", "check")
    assert code == 0
    assert (
        err == "2025/2025-07-22-empty.md:4: warning: the tip has no text after the front matter\n"
    )


def test_a_broken_mkdocs_yml_is_reported_with_its_line(repo, capsys):
    write(repo, "mkdocs.yml", "site_name: T\nplugins:\n  - tipweek:\n      publish_weekday: tues\n")
    code, out, err = run_cli(capsys, "check")
    assert (code, out) == (1, "")
    assert err == (
        "mkdocs.yml:4: error: tipweek option 'publish_weekday' must be one of: monday, "
        "tuesday, wednesday, thursday, friday, saturday, sunday\n"
    )


def test_the_build_reports_exactly_what_check_reports(repo, capsys, caplog):
    for relative, text in BROKEN_FILES.items():
        write(repo, relative, text)
    add_plugin(repo)
    _, _, err = run_cli(capsys, "check")
    caplog.clear()
    # Editorial warnings are logged at INFO by the build, the others at WARNING.
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build(load_config(str(repo / "mkdocs.yml")))
    logged = [
        record.getMessage().removeprefix("tipweek: ")
        for record in caplog.records
        if record.name.endswith("tipweek.plugin") and ": " in record.getMessage()[9:]
    ]
    assert sorted(line for line in logged if ".md:" in line) == sorted(err.splitlines())


def test_strict_build_fails_on_a_warning_about_the_site(repo, capsys, caplog):
    write(
        repo,
        "tips/2025/2025-07-22-typo.md",
        "---\ntitle: T\ndate: 2025-07-22\ntgas: [a]\n---\nText.\n",
    )
    add_plugin(repo)
    with pytest.raises(Abort):
        build(load_config(str(repo / "mkdocs.yml"), strict=True))
    assert (
        "tipweek: tips/2025/2025-07-22-typo.md:4: warning: unknown front-matter key 'tgas'; "
        "did you mean 'tags'?" in caplog.messages
    )


def test_editorial_warnings_do_not_fail_a_strict_build(repo, capsys, caplog):
    # An empty body and a second spelling of a tag are advice for the editor:
    # `tipweek check --strict` fails on them, the site builds all the same.
    write(repo, "tips/2025/2025-07-22-empty.md", BROKEN_FILES["tips/2025/2025-07-22-empty.md"])
    write(
        repo,
        "tips/2025/2025-07-29-caps.md",
        "---\ntitle: C\ndate: 2025-07-29\ntags: [Training]\n---\nText.\n",
    )
    add_plugin(repo)
    assert main(["check", "--strict"]) == 1
    with caplog.at_level(logging.INFO):
        build(load_config(str(repo / "mkdocs.yml"), strict=True))
    assert (
        "tipweek: tips/2025/2025-07-22-empty.md:4: warning: the tip has no text after the "
        "front matter" in caplog.messages
    )


EMPTY_PUBLISHED = (
    "tips/2025/2025-04-29-empty.md:4: error: the tip has no text after the front matter, and "
    "it is published (dated up to today): write its text, or mark it 'draft: true'"
)


@pytest.mark.parametrize("body", ["", "\n", "\n   \n\t\n"])
def test_an_empty_published_tip_is_an_error_in_check_and_build(repo, capsys, caplog, body):
    # Dated two days before "now" (2025-05-01), as `tipweek new` leaves it: front matter only.
    write(
        repo, "tips/2025/2025-04-29-empty.md", "---\ntitle: Empty\ndate: 2025-04-29\n---\n" + body
    )
    code, out, err = run_cli(capsys, "check")
    assert (code, err) == (1, EMPTY_PUBLISHED + "\n")
    assert out == "3 tip files checked: 1 error, 0 warnings\n"
    # The same line from the one file alone.
    assert run_cli(capsys, "check", "tips/2025/2025-04-29-empty.md")[2] == EMPTY_PUBLISHED + "\n"
    add_plugin(repo)
    caplog.clear()
    with pytest.raises(Abort):
        build(load_config(str(repo / "mkdocs.yml")))
    assert "tipweek: " + EMPTY_PUBLISHED in caplog.messages
    assert not (repo / "site" / "2025" / "04" / "29").exists()


def test_an_empty_draft_is_fine_and_an_empty_scheduled_tip_a_warning(repo, capsys, caplog):
    write(
        repo,
        "tips/2025/2025-04-29-idea.md",
        "---\ntitle: Idea\ndate: 2025-04-29\ndraft: true\n---\n",
    )
    write(repo, "tips/2025/2025-05-20-next.md", "---\ntitle: Next\ndate: 2025-05-20\n---\n")
    code, _out, err = run_cli(capsys, "check")
    assert code == 0
    assert (
        err
        == "tips/2025/2025-05-20-next.md:4: warning: the tip has no text after the front matter\n"
    )
    add_plugin(repo)
    build(load_config(str(repo / "mkdocs.yml"), strict=True))  # the site builds
    # Once its day comes, the scheduled one is published: then it is an error.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1747785600")  # 2025-05-21
        code, _out, err = run_cli(capsys, "check")
    assert code == 1 and "2025-05-20-next.md:4: error: the tip has no text" in err


def test_the_sample_tips_and_the_fixtures_have_no_empty_published_tip(capsys, monkeypatch):
    repo_root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo_root)
    code, _out, err = run_cli(capsys, "check")
    assert code == 0, err
    assert "no text after the front matter" not in err


def test_check_never_imports_mkdocs_markdown_or_the_build_machinery(repo):
    # It runs on every commit: a module it loads but does not need is time for nothing
    # (multiprocessing alone costs 30 ms to import).
    code = textwrap.dedent(
        """
        import sys
        from tipweek.cli.main import main
        main(["check"])
        heavy = sorted(
            name for name in sys.modules
            if name.split(".")[0] in {
                "mkdocs", "markdown", "jinja2", "material", "feedparser",
                "multiprocessing", "frontmatter", "lz4", "sqlite3",
            }
        )
        print(heavy)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_check_as_a_subprocess(repo):
    write(
        repo, "tips/2025/2025-06-03-bad-date.md", BROKEN_FILES["tips/2025/2025-06-03-bad-date.md"]
    )
    result = subprocess.run(
        [sys.executable, "-m", "tipweek", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [EXPECTED[0]]
    assert result.stdout == "3 tip files checked: 1 error, 0 warnings\n"


def test_an_unreadable_source_date_epoch_is_a_usage_error_not_a_traceback(
    repo, monkeypatch, capsys
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "tipweek check: error: SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds since 1970\n"
    )


def test_help_is_wrapped_to_the_terminal_width(capsys, monkeypatch):
    # tipweek tells argparse the width itself (sparing the check an import of shutil).
    monkeypatch.setenv("COLUMNS", "50")
    code, out, _ = run_cli(capsys, "check", "--help")
    assert code == 0 and "Validate tips like a compiler" in out
    assert max(len(line) for line in out.splitlines()) <= 50
    monkeypatch.setenv("COLUMNS", "200")
    _, wide, _ = run_cli(capsys, "check", "--help")
    assert len(wide.splitlines()) < len(out.splitlines())
