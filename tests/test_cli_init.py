"""`tipweek init`: the starter publication it writes builds, checks and imports.

Each site is made by the command itself (in-process, through `tipweek.cli.main`)
in tmp_path, then built in-process with MkDocs from the mkdocs.yml it wrote.
"""

from __future__ import annotations

import builtins
import logging
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import run_cli
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tipweek.cli.init import QUESTIONS
from tipweek.cli.scaffold import daily_cron, markdown_text, yaml_text

WXR = Path(__file__).parent / "fixtures" / "import" / "wordpress.xml"
STARTER_FILES = {
    ".github/workflows/publish.yml",
    ".github/workflows/tests.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "docs/about.md",
    "docs/assets/stylesheets/site.css",
    "docs/contact.md",
    "docs/subscribe.md",
    "mkdocs.yml",
    "requirements.txt",
    "tips/authors.yml",
    "tips/tags.yml",
}


def epoch(moment: str) -> str:
    """SOURCE_DATE_EPOCH for an ISO moment in UTC."""
    parsed = datetime.fromisoformat(moment).replace(tzinfo=timezone.utc)
    return str(int(parsed.timestamp()))


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def tip_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "tips").rglob("*.md"))


def build_site(root: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Build `root/mkdocs.yml` strictly, as `mkdocs build --strict`; returns the log."""
    caplog.clear()
    with caplog.at_level(logging.INFO):
        cfg = load_config(str(root / "mkdocs.yml"), strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        build(cfg)
    return [record.getMessage() for record in caplog.records]


def html(root: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / url / "index.html").read_text("utf-8"), "lxml")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder; "now" is Thursday 2026-01-01 12:00 UTC; stdin no terminal."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-01-01T12:00:00"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    return tmp_path


def test_init_writes_the_starter_site_and_prints_how_to_preview_and_publish(here, capsys):
    code, out, err = run_cli(capsys, "init", "news")
    assert (code, err) == (0, "")
    tip = "tips/2025/2025-12-30-welcome-to-customer-service-tip-of-the-week.md"
    assert files_under(here / "news") == STARTER_FILES | {tip}
    lines = out.splitlines()
    assert lines[0] == "Created 'Customer Service Tip of the Week' in news/: 13 files"
    assert f"  first tip: news/{tip} (Tuesday 2025-12-30)" in lines
    # What the first build publishes, and when the next tip goes live.
    told = lines[lines.index("What is published when:") + 1 : lines.index("Next:")]
    assert "  the example tip (Tuesday 2025-12-30) is published by the first build" in told
    assert (
        "  a tip dated later waits for its day: `tipweek new` dates the next Tuesday 2026-01-06"
        in told
    )
    assert any("rebuilds the site daily at 00:17 UTC" in line for line in told)
    commands = [line.split("#")[0].strip() for line in lines[lines.index("Next:") + 1 :]]
    assert [c for c in commands if c] == ["cd news", "mkdocs serve", "mkdocs build --strict"]
    # No staging folder is left behind, next to the site or in it.
    assert sorted(p.name for p in here.iterdir()) == ["news"]


def test_the_new_site_builds_strictly_with_its_first_tip_pages_and_feed(
    here, capsys, caplog, monkeypatch
):
    assert (
        run_cli(
            capsys,
            "init",
            "news",
            "--organisation",
            "Northwind",
            "--url",
            "https://tips.example.com/service",
        )[0]
        == 0
    )
    root = here / "news"
    # The day `init` ran: the first build publishes the example tip.
    log = build_site(root, caplog)
    assert not [m for m in log if "WARNING" in m or "warning" in m.lower()]

    home = html(root, "")
    entries = home.select(".h-feed article.h-entry")
    assert [e.select_one(".p-name").get_text(strip=True) for e in entries] == [
        "Welcome to Customer Service Tip of the Week"
    ]
    assert entries[0].select_one("time.dt-published")["datetime"] == "2025-12-30"
    tip = html(root, "2025/12/30/welcome-to-customer-service-tip-of-the-week")
    assert [a.get_text(strip=True) for a in tip.select("article.h-entry .p-category")] == [
        "Welcome"
    ]
    assert tip.select_one(".p-author.h-card .p-name").get_text(strip=True) == "Northwind"
    for page in ("about", "subscribe", "contact"):
        assert "Northwind" in html(root, page).get_text() or page == "subscribe"
    assert "Copyright © 2026 Northwind" in home.select_one(".md-copyright").get_text()
    stylesheets = [link["href"] for link in home.select('link[rel="stylesheet"]')]
    assert "assets/stylesheets/site.css" in stylesheets
    assert (root / "site" / "assets" / "stylesheets" / "site.css").is_file()
    robots = (root / "site" / "robots.txt").read_text("utf-8").splitlines()
    assert "Sitemap: https://tips.example.com/service/sitemap.xml" in robots

    feed = feedparser.parse((root / "site" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert [e.link for e in feed.entries] == [
        "https://tips.example.com/service/2025/12/30/welcome-to-customer-service-tip-of-the-week/"
    ]


@pytest.mark.parametrize("weekday", ["monday", "tuesday", "wednesday", "thursday", "sunday"])
def test_the_first_build_on_the_day_of_init_publishes_the_example_tip(
    here, capsys, caplog, weekday
):
    assert run_cli(capsys, "init", "news", "--weekday", weekday)[0] == 0
    build_site(here / "news", caplog)
    [entry] = html(here / "news", "").select(".h-feed article.h-entry")
    assert entry.select_one(".p-name").get_text(strip=True).startswith("Welcome to")
    assert not any("No tips have been published yet" in m for m in caplog.messages)
    assert (here / "news" / "site" / "feed.xml").is_file()


def test_init_help_does_not_offer_config(capsys):
    code, out, _err = run_cli(capsys, "init", "--help")
    assert code == 0 and "--name" in out and "--config" not in out
    code, _out, err = run_cli(capsys, "init", "news", "--config", "x.yml")
    assert code == 2 and "unrecognized arguments: --config" in err
    # `check`, which reads a site's mkdocs.yml, still takes it.
    assert "--config" in run_cli(capsys, "check", "--help")[1]


@pytest.mark.parametrize(
    ("now", "zone", "weekday", "expected"),
    [
        # Thursday 2026-01-01 in UTC: the Tuesday before.
        ("2026-01-01T12:00:00", "UTC", "tuesday", "2025-12-30"),
        # On the publication day itself, that very day.
        ("2026-01-06T08:00:00", "UTC", "tue", "2026-01-06"),
        # Tuesday 03:00 in UTC is still Monday in Los Angeles: Monday is today there...
        ("2026-01-06T03:00:00", "America/Los_Angeles", "monday", "2026-01-05"),
        # ...and in UTC it is Tuesday: Monday was yesterday.
        ("2026-01-06T03:00:00", "UTC", "Monday", "2026-01-05"),
        # Monday 23:00 UTC is Tuesday in Auckland: today there.
        ("2026-01-05T23:00:00", "Pacific/Auckland", "tuesday", "2026-01-06"),
        # ...and Monday 09:00 UTC is Monday there: Tuesday was six days ago.
        ("2026-01-05T09:00:00", "Pacific/Auckland", "tuesday", "2025-12-30"),
    ],
)
def test_the_example_tip_is_dated_on_the_last_publication_day_in_the_sites_timezone(
    here, capsys, monkeypatch, now, zone, weekday, expected
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(now))
    code, _out, err = run_cli(capsys, "init", "news", "--timezone", zone, "--weekday", weekday)
    assert (code, err) == (0, "")
    [tip] = tip_files(here / "news")
    assert Path(tip).name.startswith(expected)
    front = yaml.safe_load((here / "news" / tip).read_text("utf-8").split("---\n")[1])
    assert front["date"] == date.fromisoformat(expected)


def test_tipweek_check_passes_and_tipweek_new_takes_the_following_week(here, capsys, monkeypatch):
    assert run_cli(capsys, "init", "news", "--weekday", "friday")[0] == 0
    monkeypatch.chdir(here / "news")
    assert run_cli(capsys, "check", "--strict") == (
        0,
        "1 tip file checked: 0 errors, 0 warnings\n",
        "",
    )
    code, out, _err = run_cli(capsys, "new", "Second Tip")
    assert (code, out) == (0, "tips/2026/2026-01-02-second-tip.md\n")
    code, out, _err = run_cli(capsys, "new", "Third Tip")
    assert (code, out) == (0, "tips/2026/2026-01-09-third-tip.md\n")


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_a_folder_that_holds_anything_is_refused_and_left_untouched(here, capsys, existing):
    (here / "news" / existing).parent.mkdir(parents=True)
    (here / "news" / existing).write_text("mine\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "init", "news", "--name", "X")
    assert code == 2
    assert out == ""
    assert err == "tipweek init: error: news: the folder is not empty; nothing was written\n"
    assert files_under(here / "news") == {existing}
    assert sorted(p.name for p in here.iterdir()) == ["news"]


def test_a_broken_mkdocs_yml_in_the_current_folder_does_not_stop_init(here, capsys):
    (here / "mkdocs.yml").write_text("plugins:\n  - tipweek:\n      timezone: Nowhere/X\n")
    code, _out, err = run_cli(capsys, "init", "news")
    assert (code, err) == (0, "")
    assert (here / "news" / "mkdocs.yml").is_file()


def test_a_file_in_the_way_is_refused(here, capsys):
    (here / "news").write_text("a file\n", encoding="utf-8")
    code, _out, err = run_cli(capsys, "init", "news")
    assert code == 2
    assert err == "tipweek init: error: news: exists and is not a folder; nothing was written\n"


def test_an_empty_existing_folder_is_used(here, capsys):
    (here / "news").mkdir()
    assert run_cli(capsys, "init", "news")[0] == 0
    assert files_under(here / "news") >= STARTER_FILES
    assert not [p for p in (here / "news").iterdir() if p.name.startswith(".tipweek-init")]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--timezone",
            "Mars/Olympus",
            "--timezone: unknown timezone 'Mars/Olympus' (use an IANA name such as 'Europe/Paris')",
        ),
        (
            "--weekday",
            "someday",
            "--weekday 'someday' is not a day of the week (monday, tuesday, wednesday, thursday, friday, saturday, sunday)",
        ),
        (
            "--weekday",
            "t",
            "--weekday 't' is not a day of the week (monday, tuesday, wednesday, thursday, friday, saturday, sunday)",
        ),
        (
            "--url",
            "tips.example.org",
            "--url 'tips.example.org' is not a web address such as https://tips.example.org/",
        ),
        (
            "--url",
            "ftp://example.org/",
            "--url 'ftp://example.org/' is not a web address such as https://tips.example.org/",
        ),
        (
            "--url",
            "https://example.org/?page=1",
            "--url 'https://example.org/?page=1' must not have a ?query or #fragment",
        ),
        ("--name", "   ", "--name is empty"),
        ("--organisation", "", "--organisation is empty"),
    ],
)
def test_invalid_values_are_usage_errors_and_nothing_is_written(
    here, capsys, option, value, message
):
    code, out, err = run_cli(capsys, "init", "news", option, value)
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == f"tipweek init: error: {message}"
    assert err.startswith("usage: tipweek init")
    assert not (here / "news").exists()


def test_names_with_yaml_markdown_and_html_characters_arrive_as_typed(here, capsys, caplog):
    name = 'Tips: "Service" #1 *Weekly*'
    organisation = "Smith & Jones <Support>: [team]_"
    assert run_cli(capsys, "init", "news", "--name", name, "--organisation", organisation)[0] == 0
    root = here / "news"
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8").replace("!!python", "#"))
    assert (config["site_name"], config["site_author"]) == (name, organisation)
    authors = yaml.safe_load((root / "tips" / "authors.yml").read_text("utf-8"))
    assert authors["editors"]["name"] == organisation
    build_site(root, caplog)
    about = html(root, "about")
    assert about.select_one("article h1").get_text(strip=True).removesuffix("¶") == f"About {name}"
    paragraph = about.select_one("article h1 + p")
    assert organisation in paragraph.get_text()
    assert paragraph.select("em, strong, a, support") == []
    assert (
        html(root, "")
        .select_one(".md-copyright")
        .get_text(" ", strip=True)
        .startswith(f"Copyright © 2026 {organisation}")
    )


def test_yaml_and_markdown_quoting_helpers():
    for text in ["a: b", '"quoted"', "it's", "#hash", "- dash", "back\\slash", "ünï"]:
        assert yaml.safe_load(f"key: {yaml_text(text)}") == {"key": text}
    assert markdown_text("*a* _b_ [c](d) <e> & `f`") == (
        "\\*a\\* \\_b\\_ \\[c\\](d) &lt;e&gt; &amp; \\`f\\`"
    )


@pytest.mark.parametrize(
    ("zone", "cron", "utc"),
    [
        ("UTC", "17 0 * * *", "00:17"),
        ("America/New_York", "17 5 * * *", "05:17"),  # EST -5, EDT -4: after midnight in both
        ("Europe/Paris", "17 23 * * *", "23:17"),  # the evening before, in UTC
        ("Asia/Kolkata", "47 18 * * *", "18:47"),  # a half-hour offset
        ("Australia/Sydney", "17 14 * * *", "14:17"),  # +10 in winter (July), +11 in summer
    ],
)
def test_the_daily_publish_run_is_just_after_local_midnight_all_year(zone, cron, utc):
    assert daily_cron(zone) == (cron, utc)


def test_the_workflows_install_tipweek_from_requirements_and_publish_on_schedule(here, capsys):
    assert run_cli(capsys, "init", "news", "--timezone", "America/New_York")[0] == 0
    root = here / "news"
    publish = yaml.safe_load((root / ".github/workflows/publish.yml").read_text("utf-8"))
    tests = yaml.safe_load((root / ".github/workflows/tests.yml").read_text("utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    assert publish[True]["schedule"] == [{"cron": "17 5 * * *"}]
    assert (
        publish["jobs"]["deploy"]["environment"]["url"]
        == "${{ steps.deployment.outputs.page_url }}"
    )
    for workflow in (publish, tests):
        steps = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
        assert "python -m pip install -r requirements.txt" in steps
        assert "mkdocs build --strict" in steps
        assert not [s for s in steps if s and "-e ." in s]  # no install from a source tree
    from tipweek import __version__

    requirements = (root / "requirements.txt").read_text("utf-8").splitlines()
    assert f"tipweek[pagefind]>={__version__}" in requirements
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text("utf-8"))
    assert [h["entry"] for r in hooks["repos"] for h in r["hooks"]] == ["tipweek check"]
    assert "/site/" in (root / ".gitignore").read_text("utf-8").splitlines()


def test_from_a_wordpress_export_imports_and_reports_as_tipweek_import_does(here, capsys, caplog):
    code, out, err = run_cli(
        capsys, "init", "old", "--timezone", "America/New_York", "--from", str(WXR)
    )
    assert code == 0
    imported = tip_files(here / "old")
    # The archive replaces the example tip.
    assert imported and not [t for t in imported if "welcome" in t]
    # The same import by `tipweek import` into a second new site gives the same report.
    assert run_cli(capsys, "init", "other", "--timezone", "America/New_York")[0] == 0
    for tip in (here / "other" / "tips").rglob("*.md"):
        tip.unlink()
    expected_code, expected_out, expected_err = run_cli(
        capsys, "--config", "other/mkdocs.yml", "import", str(WXR)
    )
    assert code == expected_code
    report = out.split("\n", 1)[1]  # after the "Created ..." line
    assert expected_out.replace("other/", "old/") in report
    assert err == expected_err
    assert "imported 5 tips, skipped" in out
    assert tip_files(here / "old") == [t for t in tip_files(here / "other")]

    # The imported archive passes the check and builds strictly.
    assert run_cli(capsys, "--config", "old/mkdocs.yml", "check")[0] == 0
    build_site(here / "old", caplog)
    assert (here / "old" / "site" / "2014" / "07" / "29" / "scripts-smart-replies").is_dir()


def test_from_a_source_that_cannot_be_read_leaves_a_whole_site_and_exits_1(here, capsys):
    code, _out, err = run_cli(capsys, "init", "news", "--from", str(here / "missing.xml"))
    assert code == 1
    assert "tipweek import: error:" in err
    assert files_under(here / "news") == STARTER_FILES


def test_a_terminal_without_options_is_asked_each_value_and_asked_again_when_wrong(
    here, capsys, monkeypatch
):
    answers = iter(
        ["Front Desk Friday", "", "https://desk.example.org", "Mars/Base", "Europe/Paris", "fri"]
    )
    questions = []

    def fake_input(prompt: str) -> str:
        questions.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", fake_input)
    code, _out, err = run_cli(capsys, "init", "desk")
    assert code == 0
    assert [q.split(" [")[0] for q in questions] == [
        *(question for _field, question in QUESTIONS[:3]),
        QUESTIONS[3][1],
        QUESTIONS[3][1],
        QUESTIONS[4][1],
    ]
    assert questions[1] == "Published by (your organisation) [Your Organisation]: "
    assert "unknown timezone 'Mars/Base'" in err
    config = (here / "desk" / "mkdocs.yml").read_text("utf-8")
    assert 'site_name: "Front Desk Friday"' in config
    assert 'site_url: "https://desk.example.org/"' in config
    assert 'timezone: "Europe/Paris"' in config
    assert "publish_weekday: friday" in config
    assert 'site_author: "Your Organisation"' in config


def test_options_or_no_terminal_never_prompt(here, capsys, monkeypatch):
    def no_input(prompt: str) -> str:
        raise AssertionError(f"asked {prompt!r}")

    monkeypatch.setattr(builtins, "input", no_input)
    assert run_cli(capsys, "init", "a")[0] == 0  # stdin is not a terminal
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    assert run_cli(capsys, "init", "b", "--weekday", "monday")[0] == 0


def test_ctrl_d_at_a_prompt_cancels_and_writes_nothing(here, capsys, monkeypatch):
    def end_of_input(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(builtins, "input", end_of_input)
    code, _out, err = run_cli(capsys, "init", "news")
    assert code == 130
    assert err.strip() == "tipweek init: cancelled; nothing was written"
    assert not (here / "news").exists()


def test_init_never_imports_mkdocs(here):
    code = textwrap.dedent(
        """
        import sys
        from tipweek.cli.main import main
        assert main(["init", "news"]) == 0
        print(sorted(n for n in sys.modules if n.split(".")[0] in {"mkdocs", "material", "jinja2"}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert (here / "news" / "mkdocs.yml").is_file()


@pytest.mark.parametrize("exists", [False, True])
def test_a_write_that_fails_midway_leaves_no_half_made_site(here, capsys, monkeypatch, exists):
    if exists:
        (here / "news").mkdir()
    write_text = Path.write_text
    written = []

    def fill_the_disk(self: Path, *args: object, **kwargs: object) -> int:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(self)
        return write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fill_the_disk)
    code, out, err = run_cli(capsys, "init", "news")
    assert code == 1
    assert out == ""
    assert err == (
        "tipweek init: error: news: cannot write ([Errno 28] No space left on device); "
        "nothing was written\n"
    )
    assert len(written) == 5
    assert sorted(p.name for p in here.iterdir()) == (["news"] if exists else [])
    if exists:
        assert list((here / "news").iterdir()) == []


def test_a_new_site_searches_with_pagefind(tmp_path, monkeypatch, capsys):
    """New sites get the search that stays fast: `search: pagefind`, no lunr index."""
    monkeypatch.chdir(tmp_path)
    code, _out, _err = run_cli(capsys, "init", "site")
    assert code == 0
    config = yaml.safe_load((tmp_path / "site" / "mkdocs.yml").read_text("utf-8"))
    plugins = config["plugins"]
    assert "search" not in plugins
    assert plugins[0]["tipweek"]["search"] == "pagefind"
