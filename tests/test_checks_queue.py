"""Calendar warnings cover the queue, not the archive's history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import tip_text

from tipweek.core.project import load_project, queue_start

UTC = ZoneInfo("UTC")


def warnings_at(root: Path, now: datetime) -> list[str]:
    project = load_project(
        root, "tips", UTC, publish_weekday="tuesday", queue_from=queue_start(now)
    )
    return [f"{p.path}: {p.message}" for p in project.warnings]


def test_old_off_day_tips_are_history_and_queued_ones_are_checked(tmp_path: Path):
    for name, title, day in [
        ("2014-08-08-friday.md", "Old Friday", "2014-08-08"),
        ("2014-08-12-a.md", "Same day A", "2014-08-12"),
        ("2014-08-12-b.md", "Same day B", "2014-08-12"),
        ("2026-01-07-wednesday.md", "Queued Wednesday", "2026-01-07"),
    ]:
        path = tmp_path / "tips" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tip_text(title, day))
    assert warnings_at(tmp_path, datetime(2026, 1, 1, tzinfo=UTC)) == [
        "tips/2026-01-07-wednesday.md: 2026-01-07 is a Wednesday; tips go out on Tuesdays "
        "(publish_weekday in mkdocs.yml)"
    ]
    # A week after its date the Wednesday tip is still this week's news, and still reported.
    assert len(warnings_at(tmp_path, datetime(2026, 1, 13, tzinfo=UTC))) == 1
    assert warnings_at(tmp_path, datetime(2026, 1, 15, tzinfo=UTC)) == []
