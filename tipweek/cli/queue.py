"""`tipweek queue [--weeks N]`: the scheduled tips, and the publication days with none yet.

Results go to stdout (one line per publication day, then a summary); a note
about files with errors goes to stderr, with exit 1, since those tips are
missing from the list.
"""

from __future__ import annotations

import argparse
import sys

from tipweek.cli.workspace import EXIT_OK, EXIT_PROBLEMS, Workspace
from tipweek.core.dates import build_now
from tipweek.core.schedule import DEFAULT_QUEUE_WEEKS, queue
from tipweek.core.wording import count


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "List the scheduled tips (date, title, path), and the publication days of "
        "the next N weeks that have no tip yet."
    )
    parser.add_argument(
        "--weeks",
        type=_positive_int,
        default=DEFAULT_QUEUE_WEEKS,
        metavar="N",
        help=f"how many weeks ahead to look for open days (default {DEFAULT_QUEUE_WEEKS})",
    )


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    settings = workspace.settings
    project = workspace.load()
    now = build_now(settings.tz)
    entries = queue(project.tips, now, settings.weekday_number, args.weeks)
    titles = [f"{e.tip.title}{' [draft]' * e.tip.draft}" for e in entries if e.tip]
    width = min(max((len(t) for t in titles), default=0), 60)
    for entry in entries:
        if entry.tip is None:
            print(f"{entry.day.isoformat()}  (no tip yet)")
        else:
            title = f"{entry.tip.title}{' [draft]' * entry.tip.draft}"
            path = workspace.show(entry.tip.abs_path)
            print(f"{entry.day.isoformat()}  {title:<{width}}  {path}")
    scheduled = sum(1 for e in entries if e.tip)
    weekday = settings.publish_weekday.capitalize()
    print(
        f"{count(scheduled, 'scheduled tip')}; "
        f"{count(len(entries) - scheduled, f'open {weekday}')} "
        f"in the next {count(args.weeks, 'week')}"
    )
    if project.errors:
        broken = len({p.path for p in project.errors})
        print(
            f"tipweek queue: {count(broken, 'file')} with errors not listed; run 'tipweek check'",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
