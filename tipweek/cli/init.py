"""`tipweek init DIR`: start a new publication in an empty folder.

It writes the starter site (`tipweek.cli.scaffold`) into a staging folder and moves it
into place only once every file is written, so an error or Ctrl-C leaves either
no new publication or a whole one, never half of one.  A folder that already
holds anything is refused before a question is asked or a file is written.

Prompts (`input()`) happen only when stdin is a terminal and no option was
given; a script or CI run gets the defaults, never a hanging question.  With
`--from`, the importer runs into the new `tips/` once the site is in place
and reports exactly as `tipweek import` does.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from tipweek.cli.scaffold import SiteValues, daily_cron, example_tip, starter_files
from tipweek.cli.workspace import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, Workspace
from tipweek.core.dates import DateError, build_now, site_timezone
from tipweek.core.options import WEEKDAYS
from tipweek.core.schedule import last_publication_day, next_free_day

EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C

DEFAULTS = SiteValues(
    name="Customer Service Tip of the Week",
    organisation="Your Organisation",
    url="https://example.org/",
    timezone="UTC",
    weekday="tuesday",
)
# The questions asked in a terminal, in order: (field, question).
QUESTIONS = (
    ("name", "Name of the publication"),
    ("organisation", "Published by (your organisation)"),
    ("url", "Address the site will be published at"),
    ("timezone", "Timezone that decides when a tip goes live"),
    ("weekday", "Day of the week tips go out"),
)


class InitError(UsageError):
    """An option value `tipweek init` cannot use (exit 2, with the usage)."""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start a new publication in DIR (a new or empty folder): mkdocs.yml, tips/ with "
        "an example tip on the last publication day (so the first build publishes it), "
        "about/subscribe/contact pages, "
        "GitHub workflows to test and publish, a pre-commit hook. Run in a terminal "
        "without options, it asks for each value."
    )
    parser.add_argument("dir", metavar="DIR", help="the folder to create the publication in")
    for field, question in QUESTIONS:
        default = getattr(DEFAULTS, field)
        parser.add_argument(f"--{field}", help=f"{question.lower()} (default: {default})")
    parser.add_argument(
        "--from",
        dest="source",
        metavar="SOURCE",
        help="import an existing blog's WordPress export or RSS/Atom feed (file or URL) "
        "into tips/, instead of the example tip",
    )


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    target = (workspace.cwd / args.dir).resolve()
    refusal = _refusal(target)
    if refusal:
        print(f"tipweek init: error: {args.dir}: {refusal}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    given = {field: getattr(args, field) for field, _ in QUESTIONS}
    try:
        if all(value is None for value in given.values()) and _interactive():
            values = _ask(DEFAULTS)
        else:
            chosen = {key: value for key, value in given.items() if value is not None}
            values = validated(replace(DEFAULTS, **chosen))
    except (EOFError, KeyboardInterrupt):
        print("\ntipweek init: cancelled; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED

    today = build_now(site_timezone(values.timezone)).date()
    # On or before today: the first `mkdocs build` publishes it, so a new publisher
    # sees a site with a tip, not "No tips have been published yet".
    day = last_publication_day(today, _weekday(values))
    files = starter_files(values)
    first_tip = None
    if args.source is None:
        # Here, not at the top: python-frontmatter is not worth loading for every CLI run.
        from tipweek.core.tip_writer import tip_document

        first_tip, fields, body = example_tip(values, day)
        files[first_tip] = tip_document(fields, body)
    try:
        _write_site(target, files)
    except OSError as error:
        print(
            f"tipweek init: error: {args.dir}: cannot write ({error}); nothing was written",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS

    shown = Path(os.path.relpath(target, workspace.cwd)).as_posix()
    print(f"Created {values.name!r} in {shown}/: {len(files)} files")
    if first_tip:
        print(f"  first tip: {shown}/{first_tip} ({day.strftime('%A')} {day.isoformat()})")
    code = EXIT_OK
    if args.source is not None:
        code = _import(args.source, target, workspace.cwd)
    if not given["url"] and values.url == DEFAULTS.url:
        print(f"  set site_url in {shown}/mkdocs.yml to the address the site will have")
    _when_published(values, today, day if first_tip else None)
    _next_steps(shown)
    return code


def validated(values: SiteValues) -> SiteValues:
    """The values with whitespace tidied and each one checked; raises InitError."""
    name = " ".join(values.name.split())
    organisation = " ".join(values.organisation.split())
    if not name:
        raise InitError("--name is empty")
    if not organisation:
        raise InitError("--organisation is empty")
    return SiteValues(
        name=name,
        organisation=organisation,
        url=check_url(values.url),
        timezone=check_timezone(values.timezone),
        weekday=check_weekday(values.weekday),
    )


def check_url(text: str) -> str:
    """An absolute http(s) address with a host, ending in `/` as MkDocs' site_url should."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise InitError(f"--url {text!r} is not a web address such as https://tips.example.org/")
    if parts.query or parts.fragment:
        raise InitError(f"--url {text!r} must not have a ?query or #fragment")
    return url if url.endswith("/") else url + "/"


def check_timezone(text: str) -> str:
    name = text.strip()
    try:
        site_timezone(name)
    except DateError as error:
        raise InitError(f"--timezone: {error}") from None
    return name


def check_weekday(text: str) -> str:
    """A weekday's full name; a unique beginning (`tue`, `Thurs`) is accepted too."""
    word = text.strip().lower()
    matches = [day for day in WEEKDAYS if len(word) >= 2 and day.startswith(word)]
    if len(matches) != 1:
        raise InitError(f"--weekday {text!r} is not a day of the week ({', '.join(WEEKDAYS)})")
    return matches[0]


def _weekday(values: SiteValues) -> int:
    return WEEKDAYS.index(values.weekday)


def _refusal(target: Path) -> str | None:
    """Why `target` cannot take a new publication, or None if it can."""
    if target.is_dir():
        return "the folder is not empty" if any(target.iterdir()) else None
    if target.exists() or target.is_symlink():
        return "exists and is not a folder"
    return None


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(defaults: SiteValues, ask: Callable[[str], str] | None = None) -> SiteValues:
    """Ask each question with its default; a wrong answer is explained and asked again."""
    checks: dict[str, Callable[[str], str]] = {
        "url": check_url,
        "timezone": check_timezone,
        "weekday": check_weekday,
    }
    ask = ask or input  # looked up now, not at import, so a test or a wrapper can replace it
    answers: dict[str, str] = {}
    for field, question in QUESTIONS:
        default = getattr(defaults, field)
        while True:
            answer = " ".join(ask(f"{question} [{default}]: ").split()) or default
            try:
                answers[field] = checks[field](answer) if field in checks else answer
                break
            except InitError as error:
                print(f"  {error}", file=sys.stderr)
    return validated(SiteValues(**answers))


def _write_site(target: Path, files: dict[str, str]) -> None:
    """Write every file into a staging folder, then move the whole into `target`."""
    # Imported here, as in the rest of the CLI: shutil and tempfile slow every start.
    import shutil
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    exists = target.is_dir()
    # Staged next to the target (or inside it, when it exists): same filesystem, so
    # the final move is a rename, and a failure leaves only the staging folder to remove.
    stage = Path(tempfile.mkdtemp(prefix=".tipweek-init-", dir=target if exists else target.parent))
    try:
        for relative, text in files.items():
            path = stage / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if exists:
            for entry in sorted(stage.iterdir()):
                entry.rename(target / entry.name)
            stage.rmdir()
        else:
            stage.rename(target)  # fails, moving nothing, if the folder appeared meanwhile
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _import(source: str, root: Path, cwd: Path) -> int:
    """`tipweek import SOURCE`, run in the new site, reporting as that command does."""
    from tipweek.cli import import_command
    from tipweek.core.settings import load_settings

    parser = argparse.ArgumentParser(add_help=False)
    import_command.configure_parser(parser)
    args = parser.parse_args(["--", source])
    return import_command.run(args, Workspace(load_settings(root / "mkdocs.yml"), cwd))


def _when_published(values: SiteValues, today: date, example_day: date | None) -> None:
    """What the first build publishes, and when later tips go live."""
    weekday = _weekday(values)
    following = next_free_day(today, weekday, {example_day} if example_day else set())
    _cron, cron_utc = daily_cron(values.timezone)
    print()
    print("What is published when:")
    if example_day is not None:
        print(f"  the example tip ({_day(example_day)}) is published by the first build")
    else:
        print("  imported tips dated up to today are published by the first build")
    print(f"  a tip dated later waits for its day: `tipweek new` dates the next {_day(following)}")
    print(
        f"  .github/workflows/publish.yml rebuilds the site daily at {cron_utc} UTC, "
        f"just after midnight in {values.timezone}"
    )
    print("  a tip with `draft: true` is never published; `tipweek queue` lists what waits")


def _day(day: date) -> str:
    return f"{day.strftime('%A')} {day.isoformat()}"


def _next_steps(shown: str) -> None:
    import shlex

    folder = shlex.quote(shown)
    print()
    print("Next:")
    print(f"  cd {folder}")
    print("  mkdocs serve            # preview at http://127.0.0.1:8000/ while you edit")
    print("  mkdocs build --strict   # the site to publish, in site/ (or push to GitHub:")
    print("                          # .github/workflows/publish.yml deploys it to Pages)")
