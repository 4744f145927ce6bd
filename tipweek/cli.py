"""`tipweek`, the editors' command line: new, check, queue (and import).

Conventions of a compiler: problems go to stderr as `path:line: severity:
message`, results (the new file's path, the queue) to stdout; the exit code
is 0 when all is well, 1 when problems were found, 2 for a usage error.

Nothing here imports MkDocs or Markdown: `tipweek check` runs as a pre-commit
hook and must start fast.  Settings come from mkdocs.yml through
`tipweek.settings`, and validation is `load_project`, the same code the build
runs.

Subcommands are rows of `SUBCOMMANDS`; a new one (such as `import`) is one
more `Subcommand(name, summary, configure, run)` row, where `configure(parser)`
adds its arguments and `run(args, workspace) -> exit code` does the work.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from tipweek import __version__
from tipweek.checks import file_date, tip_warnings
from tipweek.dates import DateError, build_now
from tipweek.day_claim import NoFreeDay, claim_free_day, release
from tipweek.defaults import WEEKDAYS
from tipweek.importer import command as import_command
from tipweek.project import Project, display_path, load_project, queue_start
from tipweek.schedule import DEFAULT_QUEUE_WEEKS, next_free_day, queue
from tipweek.settings import (
    Settings,
    default_settings,
    docs_page_urls,
    find_config,
    load_settings,
)
from tipweek.site_paths import MAX_NEW_SLUG_BYTES, shorten_slug
from tipweek.slugs import is_slug, slugify, tag_slug
from tipweek.tips import TipError, load_tip
from tipweek.wording import count

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit 2, with the usage)."""


@dataclass
class Workspace:
    """The site a command works on, and how to show its paths from where the user stands."""

    settings: Settings
    cwd: Path

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def tips_dir(self) -> Path:
        return self.root / self.settings.tips_dir

    def load(self) -> Project:
        """Every tip and side file, validated exactly as `mkdocs build` validates them."""
        settings = self.settings
        return load_project(
            self.root,
            settings.tips_dir,
            settings.tz,
            authors_file=settings.authors_file,
            tags_file=settings.tags_file,
            strict_tags=settings.strict_tags,
            scheme=settings.scheme,
            per_page=settings.per_page,
            page_urls=docs_page_urls(settings),
            publish_weekday=settings.publish_weekday,
            queue_from=queue_start(build_now(settings.tz)),
            theme_dirs=settings.theme_dirs,
        )

    def show(self, path: Path) -> str:
        """A path as the user should type it: relative to the current folder."""
        return Path(os.path.relpath(path, self.cwd)).as_posix()

    def diagnostic(self, problem: TipError) -> str:
        """`path:line: severity: message`, the path made relative to the current folder."""
        path = problem.path
        if self.root != self.cwd and not Path(path).is_absolute():
            path = self.show(self.root / path)
        return f"{path}:{problem.line}: {problem.severity}: {problem.message}"


class Subcommand(NamedTuple):
    name: str
    summary: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Workspace], int]


# --- tipweek new -------------------------------------------------------------


def configure_new(parser: argparse.ArgumentParser) -> None:
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


def run_new(args: argparse.Namespace, workspace: Workspace) -> int:
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
    from tipweek.writer import tip_document, write_new

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


# --- tipweek check -----------------------------------------------------------


def configure_check(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Validate tips like a compiler: every problem of every file, one per line, as "
        "'path:line: error|warning: message' on stderr. With PATHS, only problems in "
        "those files or folders are shown (the whole archive is still read, for "
        "cross-file checks). Exit 0 if clean, 1 if there are errors (or warnings "
        "with --strict), 2 for a usage error."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="tip files or folders to check")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def run_check(args: argparse.Namespace, workspace: Workspace) -> int:
    project = workspace.load()
    problems = list(project.problems)
    files = list(project.files)
    if args.paths:
        targets = [_existing_path(workspace.cwd, name) for name in args.paths]
        problems = [p for p in problems if _is_within(workspace.root / p.path, targets)]
        files = [path for path in files if _is_within(path, targets)]
        tips_dir = workspace.tips_dir.resolve()
        for target in targets:
            if target.is_file() and not _is_within(target, [tips_dir]):
                # A file outside the tips folder is checked on its own.
                problems += _check_alone(target, workspace)
                files.append(target)
    problems.sort(key=lambda p: (p.path, p.line))
    for problem in problems:
        print(workspace.diagnostic(problem), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(
        f"{count(len(files), 'tip file')} checked: "
        f"{count(errors, 'error')}, {count(warnings, 'warning')}"
    )
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def _existing_path(cwd: Path, name: str) -> Path:
    path = cwd / name
    if not path.exists():
        raise UsageError(f"{name}: no such file or folder")
    return path.resolve()


def _is_within(path: Path, targets: list[Path]) -> bool:
    path = path.resolve()
    return any(path == target or path.is_relative_to(target) for target in targets)


def _check_alone(path: Path, workspace: Workspace) -> list[TipError]:
    tip, problems = load_tip(path, display_path(path, workspace.root), workspace.settings.tz)
    if tip is None:
        return problems
    return problems + tip_warnings(tip, workspace.settings.publish_weekday)


# --- tipweek queue -----------------------------------------------------------


def configure_queue(parser: argparse.ArgumentParser) -> None:
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


def run_queue(args: argparse.Namespace, workspace: Workspace) -> int:
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


# --- the command line --------------------------------------------------------

SUBCOMMANDS: list[Subcommand] = [
    Subcommand("new", "write a new tip on the next free publication day", configure_new, run_new),
    Subcommand("check", "validate every tip (a pre-commit hook)", configure_check, run_check),
    Subcommand("queue", "list scheduled tips and the weeks with none", configure_queue, run_queue),
    Subcommand(
        "import",
        "import posts from an RSS/Atom feed or a WordPress export",
        import_command.configure_parser,
        import_command.run,
    ),
]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal's width up front.

    Without one, argparse imports `shutil` (and with it zlib, bz2 and lzma) to ask
    for it, as soon as the first option is added, even when no help is shown: 4 ms
    of each pre-commit `tipweek check`.  The width is found as `shutil` finds it.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or _columns() - 2)


def _columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tipweek",
        formatter_class=_HelpFormatter,
        description="The editors' tools of a tipweek publication.",
        epilog="Exit codes: 0 all is well, 1 problems were found, 2 usage error. "
        "Run 'tipweek COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"tipweek {__version__}")
    config_help = (
        "the site's mkdocs.yml (default: ./mkdocs.yml; without one, every option has its "
        "default and tips are in ./tips)"
    )
    parser.add_argument("--config", metavar="FILE", help=config_help)
    # Also accepted after the command (`tipweek check --config x.yml`), where people type it.
    shared = argparse.ArgumentParser(add_help=False, formatter_class=_HelpFormatter)
    shared.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help=config_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in SUBCOMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            parents=[shared],
            description=command.summary,
            formatter_class=_HelpFormatter,
        )
        command.configure(sub)
        sub.set_defaults(run=command.run, command_parser=sub)
    return parser


def load_workspace(config: str | None, cwd: Path) -> Workspace:
    """The site in `cwd` (or the one `--config` names); raises TipError for a bad mkdocs.yml."""
    if config is None:
        found = find_config(cwd)
        if found is None:
            return Workspace(default_settings(cwd), cwd)
        return Workspace(load_settings(found, found.name), cwd)
    path = cwd / config
    if not path.is_file():
        raise UsageError(f"--config {config}: no such file")
    return Workspace(load_settings(path, config), cwd)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Report it with the command's own usage, which lists the options it does take.
        (getattr(args, "command_parser", None) or parser).error(
            f"unrecognized arguments: {' '.join(unknown)}"
        )
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    cwd = Path.cwd().resolve()
    try:
        workspace = load_workspace(args.config, cwd)
        return args.run(args, workspace)
    except UsageError as error:
        args.command_parser.print_usage(sys.stderr)
        print(f"tipweek {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except TipError as error:
        print(str(error), file=sys.stderr)
        return EXIT_PROBLEMS
    except DateError as error:  # an unreadable SOURCE_DATE_EPOCH: the environment, not a tip
        print(f"tipweek {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `tipweek queue | head`: the reader has all it wanted; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
