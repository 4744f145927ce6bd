"""The publication calendar: which days tips go out on, which are taken, which are free.

A weekly column has one publication day a week (`publish_weekday`).  Any tip,
draft or not, takes its day: a draft is a tip somebody is writing for that
slot, so `tipweek new` does not hand the slot to a second tip.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from tipweek.core.tips import Tip

DEFAULT_QUEUE_WEEKS = 8


def publication_days(start: date, weekday: int) -> Iterator[date]:
    """Every publication day on or after `start` (weekday: Monday is 0)."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while True:
        yield day
        day += timedelta(weeks=1)


def last_publication_day(today: date, weekday: int) -> date:
    """The latest publication day on or before `today` (weekday: Monday is 0)."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def taken_days(tips: Iterable[Tip]) -> set[date]:
    return {tip.date.date() for tip in tips}


def next_free_day(today: date, weekday: int, taken: set[date]) -> date:
    """The first publication day on or after `today` that has no tip yet."""
    return next(day for day in publication_days(today, weekday) if day not in taken)


@dataclass(frozen=True)
class QueueEntry:
    """One line of `tipweek queue`: a scheduled tip, or a publication day with none."""

    day: date
    tip: Tip | None = None


def queue(tips: Iterable[Tip], now: datetime, weekday: int, weeks: int) -> list[QueueEntry]:
    """Scheduled tips (dated after `now`, drafts included) and the free days of the next weeks.

    Gaps are looked for on the `weeks` publication days from today on;
    scheduled tips are listed however far ahead they are.
    """
    tips = list(tips)
    scheduled = [tip for tip in tips if tip.date > now]
    taken = taken_days(tips)
    upcoming = islice(publication_days(now.date(), weekday), weeks)
    gaps = [day for day in upcoming if day not in taken]
    entries = [QueueEntry(tip.date.date(), tip) for tip in scheduled]
    entries += [QueueEntry(day) for day in gaps]
    return sorted(entries, key=lambda e: (e.day, e.tip is None, e.tip.source if e.tip else ""))
