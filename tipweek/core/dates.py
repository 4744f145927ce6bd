"""Dates in one place: parsing front-matter dates, "now", and display formats.

Every date that enters tipweek becomes a timezone-aware datetime in the site's
timezone here, so comparisons (is this tip published yet?) never mix naive and
aware values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
DATE_HINT = "YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional +HH:MM offset"
# Dates a tip may carry.  Python's datetime ends at years 1 and 9999, and a
# timezone shift or a week of calendar arithmetic (the queue, neighbours) steps
# past them: a margin of whole years keeps every later step in range.
FIRST_YEAR, LAST_YEAR = 1000, 9998


class DateError(ValueError):
    """A date or time setting that cannot be understood."""


def site_timezone(name: str) -> tzinfo:
    """The tzinfo of an IANA name such as `America/New_York`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DateError(
            f"unknown timezone {name!r} (use an IANA name such as 'Europe/Paris')"
        ) from error


def parse_date(text: str, tz: tzinfo) -> datetime:
    """Parse a front-matter date; a date without a time means midnight in the site's timezone."""
    text = text.strip()
    if _DATE_ONLY.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError as error:
            raise DateError(f"date {text!r} is not a valid date ({error})") from error
        _check_year(text, day.year)
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    if _DATE_TIME.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError as error:
            raise DateError(f"date {text!r} is not a valid date and time ({error})") from error
        _check_year(text, moment.year)
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    raise DateError(f"date {text!r} is not a date in a format tipweek reads ({DATE_HINT})")


def _check_year(text: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            f"date {text!r} is out of range: tipweek reads years {FIRST_YEAR} to {LAST_YEAR}"
        )


def build_now(tz: tzinfo, environ: Mapping[str, str] | None = None) -> datetime:
    """The moment that decides what is published: `SOURCE_DATE_EPOCH` if set, else the clock."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz)
    try:
        seconds = int(epoch)
    except ValueError as error:
        raise DateError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
        ) from error
    try:
        return datetime.fromtimestamp(seconds, timezone.utc).astimezone(tz)
    except (OverflowError, ValueError, OSError) as error:  # past year 9999, or before 1
        raise DateError(f"SOURCE_DATE_EPOCH={epoch!r} is out of range ({error})") from error


def format_date(moment: datetime | date, pattern: str) -> str:
    """strftime, plus `%-m`/`%-d`/`%-H` (no leading zero) on every platform."""
    pattern = (
        pattern.replace("%-m", str(moment.month))
        .replace("%-d", str(moment.day))
        .replace("%-H", str(getattr(moment, "hour", 0)))
    )
    return moment.strftime(pattern)
