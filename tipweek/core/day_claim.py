"""Claim a publication day for `tipweek new`, so two runs at once never take the same one.

Two editors (or a script) running `tipweek new` together both read the tips
folder before either writes, and both pick the same free Tuesday; their files
have different names, so writing them does not clash.  So a run first claims
the day: it creates `tips/YYYY/.YYYY-MM-DD.claim` with O_CREAT|O_EXCL, which
only one process can do, then looks again for a tip dated that day (one
written by a run that finished after this one read the folder).  A run that
loses either race tries the next free day.  The claim is removed once the tip
is written; one left by a killed run is ignored after `STALE_AFTER` seconds.
Hidden files are never read as tips.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

#: A claim older than this was left by a run that died; a live run holds one for milliseconds.
STALE_AFTER = 60.0
#: Days tried before giving up (ten years of weekly tips all claimed at once is not a race).
MAX_TRIES = 520


class NoFreeDay(Exception):
    """Every day tried was taken."""


def claim_path(tips_dir: Path, day: date) -> Path:
    return tips_dir / f"{day.year:04d}" / f".{day.isoformat()}.claim"


def claim_free_day(
    tips_dir: Path, taken: set[date], next_free: Callable[[set[date]], date]
) -> tuple[date, Path]:
    """The first day `next_free(taken)` offers that this process could claim, and its claim.

    `taken` grows with every day found taken meanwhile.  Remove the claim
    (`release`) once the tip is written.
    """
    taken = set(taken)
    for _ in range(MAX_TRIES):
        day = next_free(taken)
        claim = claim_path(tips_dir, day)
        created = _create(claim)  # False: another run holds the day
        if created and not _has_tip(claim.parent, day):
            return day, claim
        if created:
            release(claim)  # a tip dated that day was written after the folder was read
        taken.add(day)
    raise NoFreeDay(f"no free publication day in the next {MAX_TRIES} tried")


def release(claim: Path) -> None:
    claim.unlink(missing_ok=True)


def _create(claim: Path) -> bool:
    """Create the claim file; False if another live run holds it."""
    claim.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if not _is_stale(claim):
                return False
            release(claim)  # left by a killed run: take it over
            continue
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(str(os.getpid()))
        return True
    return False


def _is_stale(claim: Path) -> bool:
    try:
        return time.time() - claim.stat().st_mtime > STALE_AFTER
    except FileNotFoundError:
        return True


def _has_tip(folder: Path, day: date) -> bool:
    prefix = day.isoformat()
    try:
        return any(name.startswith(prefix) and name.endswith(".md") for name in os.listdir(folder))
    except OSError:
        return False
