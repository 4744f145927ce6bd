"""`tipweek new "Title"`: write a new tip file on the next free publication day.

The day is the next `publish_weekday` (Tuesday by default) that has no tip yet;
`--date` picks another, with a warning if it is not a publication day or is
taken.  An existing file, or a tip with the same slug, is never overwritten:
the file is created with a hard link that fails if the name is taken.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from tipweek.cli.workspace import EXIT_OK, EXIT_PROBLEMS, UsageError, Workspace
from tipweek.core.dates import build_now
from tipweek.core.day_claim import NoFreeDay, claim_free_day, release
from tipweek.core.editorial import file_date
from tipweek.core.options import WEEKDAYS
from tipweek.core.project import Project
from tipweek.core.schedule import next_free_day
from tipweek.core.settings import Settings
from tipweek.core.site_paths import MAX_NEW_SLUG_BYTES, shorten_slug
from tipweek.core.slugs import is_slug, slugify, tag_slug

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a new tip file on the next publication day that has no tip yet "
        "(publish_weekday in mkdocs.yml, Tuesday by default) and print its path. "
        "An existing file or slug is never overwritten."
    )
    parser.add_argument("title", help="the tip's title, e.g. \"Don't Rush to Resolve\"")
    parser.add_argument("--tags", default="", help="comma-separated tags, e.g. complaints,empathy")
    parser.add_argument("--author", help="author key from authors.yml, e.g. casey")
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="publication day instead of the next free one (another weekday is allowed, "
        "with a warning)",
    )
    parser.add_argument("--slug", help="URL slug, when the title has no ASCII letters")
    parser.add_argument("--draft", action="store_true", help="mark the tip as a draft")


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    settings = workspace.settings
    title = " ".join(args.title.split())
    if not title:
        raise UsageError("the title is empty")
    # A slug made from a 1,500-character title would make a file name the disk refuses.
    slug = args.slug if args.slug is not None else shorten_slug(slugify(title))
    if args.slug is not None and not is_slug(args.slug):
        raise UsageError(f"--slug {args.slug!r} must be lowercase ASCII words joined by hyphens")
    if len(slug) > MAX_NEW_SLUG_BYTES:
        raise UsageError(f"--slug is {len(slug):,} characters; at most {MAX_NEW_SLUG_BYTES} fit")
    if not slug:
        raise UsageError(
            f"the title {title!r} has no ASCII letters or digits to make a URL from; "
            "add --slug, e.g. --slug my-tip"
        )
    day = _parse_day(args.date) if args.date else None

    project = workspace.load()
    files = project.files
    taken = {tip.date.date() for tip in project.tips} | {
        d for d in (file_date(path.name) for path in files) if d is not None
    }
    claim = None
    if day is None:
        today = build_now(settings.tz).date()
        try:  # claimed, so a `tipweek new` running at the same time takes another day
            day, claim = claim_free_day(
                workspace.tips_dir,
                taken,
                lambda taken: next_free_day(today, settings.weekday_number, taken),
            )
        except (NoFreeDay, OSError) as error:
            print(f"tipweek new: error: cannot claim a day: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
    else:
        _warn_about_day(day, settings, taken)
    try:
        return _write_new_tip(args, workspace, project, title, slug, day)
    finally:
        if claim is not None:
            release(claim)


def _write_new_tip(
    args: argparse.Namespace,
    workspace: Workspace,
    project: Project,
    title: str,
    slug: str,
    day: date,
) -> int:
    files = project.files
    path = workspace.tips_dir / f"{day.year:04d}" / f"{day.isoformat()}-{slug}.md"
    existing = _tip_with_slug(slug, project, files)
    if path.exists() or existing is not None:
        other = path if path.exists() else existing
        print(
            f"{workspace.show(other)}: error: a tip with the slug '{slug}' already exists; "
            "nothing was written (choose another title, or --slug)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    fields = {
        "title": title,
        "date": day,
        "tags": _known_spellings(_split_tags(args.tags), project),
        "author": args.author,
        "draft": args.draft,
    }
    if args.author and project.authors and args.author not in project.authors:
        known = ", ".join(sorted(project.authors))
        _warning(f"unknown author '{args.author}' (authors.yml has: {known})")
    # Here, not at the top: python-frontmatter is not worth loading for every `check`.
    from tipweek.core.tip_writer import tip_document, write_new

    try:
        write_new(path, tip_document(fields, ""))
    except FileExistsError:
        print(f"{workspace.show(path)}: error: already exists; not written", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"{workspace.show(path)}: error: cannot write: {error.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(workspace.show(path))
    return EXIT_OK


def _parse_day(text: str) -> date:
    try:
        if _ISO_DAY.match(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError(f"--date {text!r} is not a date such as 2026-07-07 (YYYY-MM-DD)")


def _warn_about_day(day: date, settings: Settings, taken: set[date]) -> None:
    weekday = settings.publish_weekday
    if day.weekday() != settings.weekday_number:
        _warning(
            f"{day.isoformat()} is a {WEEKDAYS[day.weekday()].capitalize()}; tips go out on "
            f"{weekday.capitalize()}s (publish_weekday in mkdocs.yml)"
        )
    if day in taken:
        _warning(f"another tip is already dated {day.isoformat()}")


def _tip_with_slug(slug: str, project: Project, files: list[Path]) -> Path | None:
    for tip in project.tips:
        if tip.slug == slug:
            return tip.abs_path
    for path in files:  # files with errors have no Tip, but their name still claims the slug
        if _DATE_PREFIX.sub("", path.stem) == slug:
            return path
    return None


def _split_tags(text: str) -> list[str]:
    return [" ".join(tag.split()) for tag in text.split(",") if tag.strip()]


def _known_spellings(tags: list[str], project: Project) -> list[str]:
    """Write each tag as the archive already spells it (`phone skills`, not `Phone Skills`)."""
    spelled = {}
    for tip in project.tips:
        for name in tip.tags:
            spelled.setdefault(tag_slug(name), name)
    return [spelled.get(tag_slug(tag), tag) for tag in tags]


def _warning(message: str) -> None:
    print(f"tipweek new: warning: {message}", file=sys.stderr)
