"""`tipweek check [PATH...]`: validate tips like a compiler, fast enough for a pre-commit hook.

Every problem of every file goes to stderr, one per line, as `path:line:
error|warning: message`; a summary line goes to stdout.  Validation is
`load_project`, the same code `mkdocs build` runs, so the two never disagree.
Nothing here imports MkDocs, Markdown or python-frontmatter (a test pins it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tipweek.cli.workspace import EXIT_OK, EXIT_PROBLEMS, UsageError, Workspace
from tipweek.core.dates import build_now
from tipweek.core.editorial import tip_warnings
from tipweek.core.project import display_path
from tipweek.core.tips import Reading, TipError, load_tip
from tipweek.core.wording import count
from tipweek.speed import quick_front_matter


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Validate tips like a compiler: every problem of every file, one per line, as "
        "'path:line: error|warning: message' on stderr. With PATHS, only problems in "
        "those files or folders are shown (the whole archive is still read, for "
        "cross-file checks). Exit 0 if clean, 1 if there are errors (or warnings "
        "with --strict), 2 for a usage error."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="tip files or folders to check")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def run(args: argparse.Namespace, workspace: Workspace) -> int:
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
    # mkdocs.yml's own warnings (unknown options, as MkDocs warns of them) come first;
    # their paths are already as the user named the file.
    for warning in workspace.settings.warnings:
        print(warning, file=sys.stderr)
    for problem in problems:
        print(workspace.diagnostic(problem), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors + len(workspace.settings.warnings)
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
    reading = Reading(quick_front_matter=quick_front_matter.chosen())
    tip, problems = load_tip(
        path, display_path(path, workspace.root), workspace.settings.tz, reading
    )
    if tip is None:
        return problems
    now = build_now(workspace.settings.tz)
    return problems + tip_warnings(tip, workspace.settings.publish_weekday, now=now)
