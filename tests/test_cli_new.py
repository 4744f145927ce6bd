"""`tipweek new`: the next free publication day, complete front matter, never an overwrite."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from tipweek.core.tips import load_tip


def epoch(day: str) -> str:
    """SOURCE_DATE_EPOCH for noon UTC on `day`."""
    moment = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=timezone.utc)
    return str(int(moment.timestamp()))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-01-01"))  # a Thursday
    (tmp_path / "tips").mkdir()
    return tmp_path


def write_tip(root: Path, name: str, text: str) -> Path:
    path = root / "tips" / name[:4] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tip(title: str, day: str, *extra: str) -> str:
    return "\n".join(["---", f"title: {title}", f"date: {day}", *extra, "---", "Body.", ""])


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_new_writes_complete_front_matter_on_the_next_free_tuesday(repo, capsys):
    code, out, err = run_cli(
        capsys, "new", "Don't Rush to Resolve", "--tags", "complaints, empathy", "--author", "casey"
    )
    assert (code, err) == (0, "")
    assert out == "tips/2026/2026-01-06-dont-rush-to-resolve.md\n"
    path = repo / out.strip()
    assert path.read_text(encoding="utf-8") == (
        "---\ntitle: Don't Rush to Resolve\ndate: 2026-01-06\n"
        "tags: [complaints, empathy]\nauthor: casey\n---\n"
    )
    loaded, problems = load_tip(path, out.strip(), timezone.utc)
    assert loaded is not None and [p.is_error for p in problems] == []
    assert loaded.tags == ("complaints", "empathy")


def test_next_free_day_crosses_the_year_and_fills_gaps(repo, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2025-12-24"))  # a Wednesday
    write_tip(repo, "2025-12-30-taken.md", tip("Taken", "2025-12-30"))
    write_tip(repo, "2026-01-13-later.md", tip("Later", "2026-01-13"))
    assert run_cli(capsys, "new", "First")[1] == "tips/2026/2026-01-06-first.md\n"
    assert run_cli(capsys, "new", "Second")[1] == "tips/2026/2026-01-20-second.md\n"


def test_today_counts_when_it_is_a_free_publication_day(repo, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-01-06"))  # a Tuesday
    assert run_cli(capsys, "new", "Today")[1] == "tips/2026/2026-01-06-today.md\n"


def test_drafts_and_broken_files_keep_their_day(repo, capsys):
    write_tip(repo, "2026-01-06-draft.md", tip("Draft", "2026-01-06", "draft: true"))
    write_tip(repo, "2026-01-13-broken.md", "---\ntitle: [unclosed\n---\n")
    assert run_cli(capsys, "new", "Next")[1] == "tips/2026/2026-01-20-next.md\n"


def test_publication_weekday_comes_from_mkdocs_yml(repo, capsys):
    (repo / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, Tips]\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - tipweek:\n      publish_weekday: friday\n      tips_dir: posts\n",
        encoding="utf-8",
    )
    assert run_cli(capsys, "new", "Friday Tip") == (0, "posts/2026/2026-01-02-friday-tip.md\n", "")


def test_ascii_slugs_from_any_title(repo, capsys):
    assert run_cli(capsys, "new", "Café Déjà Vu")[1] == "tips/2026/2026-01-06-cafe-deja-vu.md\n"
    title = front_matter(repo / "tips/2026/2026-01-06-cafe-deja-vu.md")["title"]
    assert title == "Café Déjà Vu"


def test_new_never_overwrites_a_file_or_reuses_a_slug(repo, capsys):
    existing = write_tip(repo, "2025-06-03-close-the-loop.md", tip("Close the Loop", "2025-06-03"))
    before = existing.read_bytes()
    code, out, err = run_cli(capsys, "new", "Close the Loop")
    assert (code, out) == (1, "")
    assert err == (
        "tips/2025/2025-06-03-close-the-loop.md: error: a tip with the slug 'close-the-loop' "
        "already exists; nothing was written (choose another title, or --slug)\n"
    )
    assert existing.read_bytes() == before
    assert sorted(p.name for p in (repo / "tips").rglob("*.md")) == [existing.name]

    same_path = write_tip(repo, "2026-01-06-fresh.md", "not a tip at all\n")
    code, _, err = run_cli(capsys, "new", "Fresh", "--date", "2026-01-06")
    assert code == 1 and "tips/2026/2026-01-06-fresh.md: error:" in err
    assert same_path.read_text(encoding="utf-8") == "not a tip at all\n"


def test_another_weekday_is_allowed_with_a_warning(repo, capsys):
    code, out, err = run_cli(capsys, "new", "Midweek", "--date", "2026-01-07", "--draft")
    assert (code, out) == (0, "tips/2026/2026-01-07-midweek.md\n")
    assert err == (
        "tipweek new: warning: 2026-01-07 is a Wednesday; tips go out on Tuesdays "
        "(publish_weekday in mkdocs.yml)\n"
    )
    assert front_matter(repo / out.strip())["draft"] is True


def test_tags_take_the_archive_spelling_and_unknown_authors_are_flagged(repo, capsys):
    (repo / "tips/authors.yml").write_text("casey:\n  name: Casey Morgan\n", encoding="utf-8")
    write_tip(repo, "2025-12-02-a.md", tip("A", "2025-12-02", "tags: [phone skills]"))
    code, out, err = run_cli(
        capsys, "new", "B", "--tags", "Phone Skills,new one", "--author", "sam"
    )
    assert code == 0
    assert err == "tipweek new: warning: unknown author 'sam' (authors.yml has: casey)\n"
    assert front_matter(repo / out.strip())["tags"] == ["phone skills", "new one"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "tipweek new: error: the title is empty"),
        (
            ["日本語"],
            "tipweek new: error: the title '日本語' has no ASCII letters or digits to make a "
            "URL from; add --slug, e.g. --slug my-tip",
        ),
        (["T", "--date", "2026-13-01"], "tipweek new: error: --date '2026-13-01' is not a date"),
        (["T", "--date", "next tuesday"], "tipweek new: error: --date 'next tuesday' is not"),
        (["T", "--slug", "Not A Slug"], "tipweek new: error: --slug 'Not A Slug' must be"),
        (["T", "--bogus"], "tipweek new: error: unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2_with_the_usage_and_write_nothing(repo, capsys, args, message):
    code, out, err = run_cli(capsys, "new", *args)
    assert (code, out) == (2, "")
    assert err.startswith("usage: tipweek new ")
    assert message in err
    assert list((repo / "tips").rglob("*.md")) == []


def test_title_without_ascii_can_be_given_a_slug(repo, capsys):
    assert (
        run_cli(capsys, "new", "日本語", "--slug", "nihongo")[1]
        == "tips/2026/2026-01-06-nihongo.md\n"
    )


def test_python_dash_m_tipweek_runs_new(repo):
    result = subprocess.run(
        [sys.executable, "-m", "tipweek", "new", "From a Subprocess", "--tags", "email"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "tips/2026/2026-01-06-from-a-subprocess.md\n"
    assert front_matter(repo / result.stdout.strip())["tags"] == ["email"]
