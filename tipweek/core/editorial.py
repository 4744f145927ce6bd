"""Softer checks across tips: warnings an editor wants before a tip goes out.

Each file can be valid on its own and still be a mistake next to the others:
a tag spelled `Phone Skills` where every other tip says `phone skills`, a
typo'd tag used once (`emapthy`), two tips on one Tuesday, a tip dated a
Wednesday, a file named for one date but dated another, a tip with no text yet.
These are warnings (the site still builds; `--strict` makes them fail), found
by `load_project`, so `mkdocs build` and `tipweek check` report the same ones.

One of them becomes an error once it matters to readers: a published tip (not a
draft, dated up to now) with no text would go out as an empty page, feed item and
email, so the build refuses it.  A draft may be empty: it is a slot being written.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from tipweek.core import wording
from tipweek.core.options import WEEKDAYS
from tipweek.core.slugs import tag_slug
from tipweek.core.tips import Tip, TipError

_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
# A tag used this rarely, and this close to a more common one, is probably a typo.
RARE_TAG_USES = 2
SIMILAR_TAG_RATIO = 0.85


def in_queue(tip: Tip, queue_from: datetime | None) -> bool:
    """Whether calendar checks apply: drafts, and tips dated from `queue_from` on.

    The weekday and one-tip-a-day rules are about scheduling what goes out
    next; twenty years of imported posts published on other days are history,
    not mistakes, and must not fail a strict build.
    """
    return queue_from is None or tip.draft or tip.date >= queue_from


def tip_warnings(
    tip: Tip,
    publish_weekday: str | None,
    queue_from: datetime | None = None,
    *,
    now: datetime | None = None,
) -> list[TipError]:
    """Warnings about one tip on its own: its body, its file name, its weekday; and
    the error of a published tip with no text (`now` None: every tip counts as published)."""
    problems = []

    def warn(line: int, message: str) -> None:
        problems.append(TipError(tip.source, line, message, "warning", editorial=True))

    if not tip.body.strip() and not tip.draft:
        # body_line may be past the end of the file; the closing '---' always exists.
        if now is None or tip.date <= now:
            problems.append(
                TipError(
                    tip.source,
                    tip.body_line - 1,
                    "the tip has no text after the front matter, and it is published "
                    "(dated up to today): write its text, or mark it 'draft: true'",
                )
            )
        else:
            warn(tip.body_line - 1, "the tip has no text after the front matter")
    day = tip.date.date()
    named = file_date(tip.abs_path.name)
    if named is not None and named != day:
        warn(
            tip.line_of("date"),
            f"date {day.isoformat()} differs from the date in the file name "
            f"({named.isoformat()}); the date line decides the URL, so fix one of them",
        )
    if (
        publish_weekday is not None
        and in_queue(tip, queue_from)
        and day.weekday() != WEEKDAYS.index(publish_weekday)
    ):
        warn(
            tip.line_of("date"),
            f"{day.isoformat()} is a {WEEKDAYS[day.weekday()].capitalize()}; tips go out on "
            f"{publish_weekday.capitalize()}s (publish_weekday in mkdocs.yml)",
        )
    return problems


def archive_warnings(
    tips: Iterable[Tip], listed_tags: Mapping[str, object], queue_from: datetime | None = None
) -> list[TipError]:
    """Warnings that need every tip: shared publication days and tag spellings.

    `listed_tags` is tags.yml by tag slug; a tag listed there is deliberate
    and never reported as a typo of another.
    """
    ordered = sorted(tips, key=lambda tip: tip.source)
    spellings = _spellings(ordered)
    return [
        *_shared_days([tip for tip in ordered if in_queue(tip, queue_from)]),
        *_tag_spellings(ordered, spellings),
        *_tag_typos(ordered, spellings, listed_tags),
    ]


def file_date(name: str) -> date | None:
    """The date a file name starts with (`2025-07-01-title.md`), if any."""
    match = _FILE_DATE.match(name)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _shared_days(tips: list[Tip]) -> list[TipError]:
    """Two tips (drafts aside: a draft may be an alternative) on one publication day."""
    first_on: dict[date, Tip] = {}
    problems = []
    for tip in tips:
        if tip.draft:
            continue
        day = tip.date.date()
        other = first_on.setdefault(day, tip)
        if other is not tip:
            problems.append(
                TipError(
                    tip.source,
                    tip.line_of("date"),
                    f"{other.source} is also dated {day.isoformat()}; one tip per publication day",
                    "warning",
                    editorial=True,
                )
            )
    return problems


def _spellings(tips: list[Tip]) -> dict[str, Counter[str]]:
    """How often each spelling of each tag (by slug) is used."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for tip in tips:
        for name in tip.tags:
            spellings[tag_slug(name)][name] += 1
    return spellings


def _usual(counts: Counter[str]) -> str:
    # The most used spelling wins; on a tie, the first one met (files sort by date).
    return counts.most_common(1)[0][0]


def _tag_spellings(tips: list[Tip], spellings: dict[str, Counter[str]]) -> list[TipError]:
    """A tag written differently from how most tips write it (`Phone Skills`/`phone skills`)."""
    problems = []
    for tip in tips:
        for name in tip.tags:
            counts = spellings[tag_slug(name)]
            usual = _usual(counts)
            if name != usual:
                problems.append(
                    TipError(
                        tip.source,
                        tip.line_of("tags"),
                        f"tag '{name}' is written '{usual}' in "
                        f"{wording.count(counts[usual], 'other tip')}; use one spelling",
                        "warning",
                        editorial=True,
                    )
                )
    return problems


def _tag_typos(
    tips: list[Tip], spellings: dict[str, Counter[str]], listed_tags: Mapping[str, object]
) -> list[TipError]:
    """A rarely used tag that looks like a common one (`emapthy` next to `empathy`)."""
    uses = {slug: counts.total() for slug, counts in spellings.items()}
    common = [slug for slug, count in uses.items() if count > RARE_TAG_USES]
    likely: dict[str, str] = {}
    for slug, count in uses.items():
        if count > RARE_TAG_USES or slug in listed_tags:
            continue
        candidates = [other for other in common if uses[other] > count]
        match = difflib.get_close_matches(slug, candidates, n=1, cutoff=SIMILAR_TAG_RATIO)
        if match:
            likely[slug] = match[0]
    problems = []
    for tip in tips:
        for name in tip.tags:
            target = likely.get(tag_slug(name))
            if target is not None:
                usual = _usual(spellings[target])
                problems.append(
                    TipError(
                        tip.source,
                        tip.line_of("tags"),
                        f"tag '{name}' looks like a misspelling of '{usual}' "
                        f"(used in {uses[target]} tips); if it is a new tag, list it in tags.yml",
                        "warning",
                        editorial=True,
                    )
                )
    return problems
