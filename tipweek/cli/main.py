"""`tipweek`, the editors' command line: argparse and dispatch, nothing else.

Conventions of a compiler: problems go to stderr as `path:line: severity:
message`, results (the new file's path, the queue) to stdout; the exit code
is 0 when all is well, 1 when problems were found, 2 for a usage error.

Each command is a module with `configure(parser)` (its arguments) and
`run(args, workspace) -> exit code`: `cli/new.py`, `cli/check.py`,
`cli/queue.py`, `cli/email_command.py` and `cli/import_command.py`.  A new command is one
more row of `SUBCOMMANDS`.  The site comes from `cli/workspace.py`.

Nothing here imports MkDocs or Markdown: `tipweek check` runs as a pre-commit
hook and must start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from tipweek import __version__
from tipweek.cli import check, email_command, import_command, new, queue
from tipweek.cli import init as init_site
from tipweek.cli.workspace import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    UsageError,
    Workspace,
    load_workspace,
)
from tipweek.core.dates import DateError
from tipweek.core.settings import default_settings
from tipweek.core.tips import TipError
from tipweek.speed import switches


class Subcommand(NamedTuple):
    name: str
    summary: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Workspace], int]
    #: Whether it works on an existing site's mkdocs.yml (`init` makes a new one).
    reads_config: bool = True


SUBCOMMANDS: list[Subcommand] = [
    Subcommand("new", "write a new tip on the next free publication day", new.configure, new.run),
    Subcommand("check", "validate every tip (a pre-commit hook)", check.configure, check.run),
    Subcommand("queue", "list scheduled tips and the weeks with none", queue.configure, queue.run),
    Subcommand(
        "import",
        "import posts from an RSS/Atom feed or a WordPress export",
        import_command.configure_parser,
        import_command.run,
    ),
    Subcommand(
        "init",
        "start a new publication in a folder",
        init_site.configure_parser,
        init_site.run,
        reads_config=False,
    ),
    Subcommand(
        "email",
        "write or send the email edition of a tip",
        email_command.configure,
        email_command.run,
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
            parents=[shared] if command.reads_config else [],
            description=command.summary,
            formatter_class=_HelpFormatter,
        )
        command.configure(sub)
        sub.set_defaults(run=command.run, command_parser=sub)
    return parser


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
    unknown_switch = switches.problem()
    if unknown_switch:
        print(f"tipweek: {unknown_switch}", file=sys.stderr)
        return EXIT_USAGE
    cwd = Path.cwd().resolve()
    try:
        # `init` makes a new site: the one in the current folder, even a broken one, is not its.
        if args.command == "init":
            workspace = Workspace(default_settings(cwd), cwd)
        else:
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
