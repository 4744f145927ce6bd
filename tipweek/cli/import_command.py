"""`tipweek import SOURCE`: the command line around source → plan → files.

Output follows the CLI's conventions: what was (or would be) written goes to
stdout, one line per tip, then a summary of what was imported, skipped and
failed, each with its reason; warnings go to stderr.  Exit 0 when every post
was imported or skipped for a reason, 1 when the source cannot be read or a
post failed, 2 for a usage error.

Heavy imports (feedparser, nh3, markdownify) happen in `run`, so `tipweek
check`, which shares the CLI module, still starts fast.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from tipweek.importer import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS, DEFAULT_TITLE_DATE_SUFFIX

if TYPE_CHECKING:
    from tipweek.cli.workspace import Workspace
    from tipweek.importer.plan import Outcome, Plan, PlannedTip

EXIT_OK, EXIT_PROBLEMS = 0, 1
# Below this many entries an import is over before a progress bar means anything.
PROGRESS_MIN_ENTRIES = 50
T = TypeVar("T")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Import the posts of an RSS 2.0 or Atom feed, or of a WordPress export "
        "(Tools > Export), as tip files. Pages, attachments and other post types are "
        "skipped; drafts and private posts too, unless --drafts. Posts imported before "
        "are skipped, and no existing file is ever overwritten (unless --force)."
    )
    parser.add_argument("source", metavar="SOURCE", help="a file path or an http(s) URL")
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="also import drafts, pending, private and password-protected posts, "
        "as tips with 'draft: true'",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be written; write nothing"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rewrite the files of posts that were imported before (edits in them are lost)",
    )
    parser.add_argument(
        "--title-date",
        metavar="REGEX",
        type=_regex,
        default=DEFAULT_TITLE_DATE_SUFFIX,
        help="pattern of a date at the end of old titles, removed from the title "
        "(the date comes from the post); the default removes e.g. ' - 7/22/14 TOW' (any dash); "
        "'' keeps titles as they are",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        help="write every entry of the source and what became of it (written, skipped and "
        "why, what was approximated) to FILE: Markdown, or HTML if FILE ends in .html",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"give up reading the source after this many seconds in all "
        f"(default {DEFAULT_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--max-bytes",
        metavar="SIZE",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse a source larger than this; 500k, 200M, 1G also work "
        f"(default {DEFAULT_MAX_BYTES // 2**20}M)",
    )


def _regex(text: str) -> str:
    try:
        re.compile(text)
    except re.error as error:
        raise argparse.ArgumentTypeError(f"not a valid regular expression: {error}") from None
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError(f"not a number of seconds above 0: {text!r}")
    return value


def _size(text: str) -> int:
    from tipweek.importer.limits import parse_size

    try:
        return parse_size(text)
    except (ValueError, IndexError, KeyError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"not a size: {text!r} (a number of bytes, or with k, M or G)"
        ) from None


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    from tipweek.importer.authors import AuthorBook, AuthorsFileError
    from tipweek.importer.limits import ReadLimits
    from tipweek.importer.plan import ImportOptions, Planner
    from tipweek.importer.source import SourceError, read_source

    settings = workspace.settings
    try:
        source = read_source(args.source, ReadLimits(args.timeout, args.max_bytes))
    except SourceError as error:
        print(f"tipweek import: error: {error}; nothing was imported", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in source.warnings:
        print(
            f"tipweek import: warning: {warning}; importing the entries that could be read",
            file=sys.stderr,
        )
    for note in source.notes:
        print(f"tipweek import: note: {note}", file=sys.stderr)
    authors_path = settings.root / settings.authors_file if settings.authors_file else None
    try:
        authors = AuthorBook.read(authors_path) if authors_path else AuthorBook()
    except AuthorsFileError as error:
        print(f"tipweek import: error: {error}; nothing was imported", file=sys.stderr)
        return EXIT_PROBLEMS

    options = ImportOptions(
        drafts=args.drafts,
        force=args.force,
        title_date_suffix=re.compile(args.title_date) if args.title_date else None,
    )
    planner = Planner(
        settings, options, authors, source.author_names, source.attachments(), source.link
    )
    for post in _progress(source.posts, "Reading posts"):
        planner.add(post)
    plan = planner.finish()

    print(f"{source.kind}: {args.source}, {_count(len(source.posts), 'entry', 'entries')}")
    written = _write(plan, workspace, dry_run=args.dry_run)
    author_notes = _add_authors(plan, written, authors, authors_path, workspace, args.dry_run)
    _summary(plan, written, dry_run=args.dry_run)
    for note in [*plan.notes, *author_notes]:
        print(f"tipweek import: note: {note}", file=sys.stderr)
    if args.report and not _report(args.report, source, plan, written, workspace, args.dry_run):
        return EXIT_PROBLEMS
    approximated = sum(1 for tip in written if tip.notes)
    if approximated and not args.report:
        print(
            f"tipweek import: note: {_count(approximated, 'tip', 'tips')} approximated "
            "something of the old post (shortcodes, embeds, made-up titles...); "
            "--report FILE lists what, post by post",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if plan.failed else EXIT_OK


def _report(
    name: str, source: Any, plan: Plan, written: list[PlannedTip], workspace: Workspace, dry: bool
) -> bool:
    from tipweek.importer.report import report_rows, write_report

    path = workspace.cwd / name  # an absolute name stays as it is
    rows = report_rows(source, plan, written, dry_run=dry)
    try:
        write_report(path, source, rows)
    except OSError as error:
        print(
            f"tipweek import: error: cannot write the report {name} ({error.strerror or error})",
            file=sys.stderr,
        )
        return False
    print(f"report: {name}, {_count(len(rows), 'entry', 'entries')}")
    return True


def _progress(items: list[T], description: str) -> Iterable[T]:
    """A tqdm bar on stderr for long imports in a terminal; the plain list otherwise."""
    if len(items) < PROGRESS_MIN_ENTRIES or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=description, unit="post", file=sys.stderr, leave=False)


def _write(plan: Plan, workspace: Workspace, *, dry_run: bool) -> list[PlannedTip]:
    from tipweek.core.tip_writer import replace_file, write_new
    from tipweek.importer.plan import Outcome

    written = []
    verb = "would write" if dry_run else "wrote"
    for tip in plan.tips:
        if not dry_run:
            try:
                if tip.replaces:
                    replace_file(tip.path, tip.text)
                else:
                    write_new(tip.path, tip.text)
            except OSError as error:
                # write_new refuses a name another process took since the plan was made;
                # a FileExistsError from a blocked folder is an ordinary write failure.
                if isinstance(error, FileExistsError) and tip.path.is_file():
                    reason = f"{tip.source} appeared meanwhile; not written"
                else:
                    reason = f"cannot write {tip.source} ({error.strerror or error})"
                plan.failed.append(Outcome(tip.post, reason))
                continue
        action = f"{verb} (replacing)" if tip.replaces else verb
        print(f"{action} {workspace.show(tip.path)}  {tip.title}")
        written.append(tip)
    return written


def _add_authors(
    plan: Plan,
    written: list[PlannedTip],
    authors: Any,
    path: Any,
    workspace: Workspace,
    dry_run: bool,
) -> list[str]:
    """Append the new authors that written tips name; returns notes for stderr."""
    from tipweek.importer.authors import AuthorsFileError, append_authors

    used = {tip.fields.get("author") for tip in written}
    new = {key: name for key, name in authors.added.items() if key in used}
    if not new or path is None:
        return []
    shown = workspace.show(path)
    listed = ", ".join(f"{key} ({name})" for key, name in new.items())
    if dry_run:
        print(f"would add to {shown}: {listed}")
        return []
    try:
        append_authors(path, new)
    except (AuthorsFileError, OSError) as error:
        return [f"authors not added: {error}"]
    print(f"added to {shown}: {listed}")
    return []


def _summary(plan: Plan, written: list[PlannedTip], *, dry_run: bool) -> None:
    imported = "would import" if dry_run else "imported"
    print(
        f"{imported} {_count(len(written), 'tip', 'tips')}, "
        f"skipped {len(plan.skipped)}, failed {len(plan.failed)}"
    )
    for heading, outcomes in (("skipped", plan.skipped), ("failed", plan.failed)):
        for line in _outcome_lines(outcomes):
            print(f"  {heading}: {line}")


def _outcome_lines(outcomes: list[Outcome]) -> Iterator[str]:
    from tipweek.importer.convert import plain_text

    for outcome in outcomes:
        title = plain_text(outcome.post.title_html)
        named = f' "{title}"' if title else ""
        yield f"{outcome.post.label}{named}: {outcome.reason}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
