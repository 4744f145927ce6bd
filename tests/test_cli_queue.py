"""`tipweek queue` and the publication calendar behind it (`tipweek.core.schedule`)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tipweek.cli.main import main
from tipweek.core.schedule import next_free_day, publication_days, queue
from tipweek.core.tips import parse_tip

TUESDAY = 1


def make_tip(title: str, day: str, draft: bool = False):
    text = f"---\ntitle: {title}\ndate: {day}\ndraft: {str(draft).lower()}\n---\nBody.\n"
    tip, problems = parse_tip(text, f"tips/{day[:4]}/{day}-{title.lower()}.md", timezone.utc)
    assert tip is not None, problems
    return tip


@pytest.mark.parametrize(
    ("today", "taken", "expected"),
    [
        ("2026-01-01", [], "2026-01-06"),  # Thursday → the next Tuesday
        ("2026-01-06", [], "2026-01-06"),  # a free Tuesday is today
        ("2026-01-06", ["2026-01-06"], "2026-01-13"),
        ("2025-12-24", ["2025-12-30"], "2026-01-06"),  # across the year
        ("2026-01-01", ["2026-01-06", "2026-01-20"], "2026-01-13"),  # the first gap
        ("2026-01-01", ["2025-12-30", "2026-01-07"], "2026-01-06"),  # off-day tips take no slot
    ],
)
def test_next_free_day(today, taken, expected):
    taken_days = {date.fromisoformat(day) for day in taken}
    assert next_free_day(date.fromisoformat(today), TUESDAY, taken_days).isoformat() == expected


def test_publication_days_of_another_weekday():
    days = publication_days(date(2026, 1, 1), 4)  # Fridays
    assert [next(days).isoformat() for _ in range(3)] == ["2026-01-02", "2026-01-09", "2026-01-16"]


def test_queue_lists_scheduled_tips_and_open_days():
    tips = [
        make_tip("Past", "2025-12-30"),
        make_tip("Soon", "2026-01-13"),
        make_tip("Draft", "2026-01-27", draft=True),
        make_tip("Far", "2026-06-02"),
    ]
    now = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    entries = queue(tips, now, TUESDAY, weeks=4)
    assert [(e.day.isoformat(), e.tip.title if e.tip else None) for e in entries] == [
        ("2026-01-06", None),
        ("2026-01-13", "Soon"),
        ("2026-01-20", None),
        ("2026-01-27", "Draft"),
        ("2026-06-02", "Far"),
    ]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    for name, text in {
        "2025/2025-12-30-published.md": "---\ntitle: Published\ndate: 2025-12-30\n---\nx\n",
        "2026/2026-01-13-listen-first.md": "---\ntitle: Listen First\ndate: 2026-01-13\n---\nx\n",
        "2026/2026-02-03-a-draft.md": (
            "---\ntitle: A Draft\ndate: 2026-02-03\ndraft: true\n---\nx\n"
        ),
    }.items():
        path = tmp_path / "tips" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_queue_output(repo, capsys):
    assert main(["queue", "--weeks", "6"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "2026-01-06  (no tip yet)",
        "2026-01-13  Listen First     tips/2026/2026-01-13-listen-first.md",
        "2026-01-20  (no tip yet)",
        "2026-01-27  (no tip yet)",
        "2026-02-03  A Draft [draft]  tips/2026/2026-02-03-a-draft.md",
        "2026-02-10  (no tip yet)",
        "2 scheduled tips; 4 open Tuesdays in the next 6 weeks",
    ]


def test_queue_mentions_files_it_could_not_read(repo, capsys):
    (repo / "tips/2026/2026-01-20-broken.md").write_text("no front matter\n", encoding="utf-8")
    assert main(["queue", "--weeks", "1"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "2 scheduled tips; 1 open Tuesday in the next 1 week"
    assert err == "tipweek queue: 1 file with errors not listed; run 'tipweek check'\n"


@pytest.mark.parametrize("weeks", ["0", "two"])
def test_weeks_must_be_a_positive_number(repo, capsys, weeks):
    with pytest.raises(SystemExit) as exit_info:
        main(["queue", "--weeks", weeks])
    assert exit_info.value.code == 2
    assert "tipweek queue: error: argument --weeks:" in capsys.readouterr().err
