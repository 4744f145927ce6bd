"""`tipweek email [DATE]`: the email edition of the tip live on DATE, as a MIME message.

`--out FILE.eml` writes it (without it, and without `--send`, it goes to
stdout); `--send --to ADDR…` sends it through SMTP (`--smtp` or the `email:
smtp` option; the password from the environment variable `email:
password_env` names, never from a file).  Meant for editors' test sends and
small lists; a mailing service sends to a real list from the email feed.

No tip dated DATE is one line and exit 1; a draft is refused by name; a tip
scheduled for a later day is written or sent (an editor previews next week's
mail that way), with a note saying so.

The tip is rendered with Python-Markdown and the site's `markdown_extensions`
(as the importer's inertness check renders), not by MkDocs: the CLI never
imports MkDocs.  The heavy imports wait until the command runs, so
`tipweek check` does not pay for them.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tipweek.cli.workspace import EXIT_OK, EXIT_PROBLEMS, UsageError, Workspace
from tipweek.core.archive import Archive
from tipweek.core.dates import build_now, format_date
from tipweek.core.markup import make_excerpt, plain_text, root_paths_to_relative
from tipweek.core.settings import config_data
from tipweek.core.tips import Tip, TipError

if TYPE_CHECKING:
    from email.message import EmailMessage

    from tipweek.core.project import Project


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write the email edition of the tip dated DATE (default: today) as a MIME message "
        "(text and HTML), to a file or stdout, or send it through SMTP."
    )
    parser.add_argument("date", nargs="?", metavar="DATE", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--out", metavar="FILE", help="write the message to FILE (e.g. tip.eml)")
    parser.add_argument("--send", action="store_true", help="send it through SMTP (needs --to)")
    parser.add_argument(
        "--to", metavar="ADDR", nargs="+", action="extend", default=[], help="recipients"
    )
    parser.add_argument(
        "--smtp",
        metavar="URL",
        help="smtp://[user@]host:port (STARTTLS when offered), smtp+starttls://… (STARTTLS "
        "required) or smtps://… (TLS); default: the email: smtp option",
    )


def run(args: argparse.Namespace, workspace: Workspace) -> int:
    from tipweek.email.message import SendError, address_problem, parse_smtp_url, send

    settings = workspace.settings
    options = settings.email
    source = settings.config_file.name if settings.config_file else "mkdocs.yml"
    if options is None:
        raise TipError(
            source,
            1,
            "tipweek email needs the tipweek option 'email' (from_address, postal_address, "
            "provider): see the manual's page on email",
        )
    if args.to and not args.send:
        raise UsageError("--to is for --send")
    if args.send and not args.to:
        raise UsageError("--send needs --to ADDR")
    for address in args.to:
        problem = address_problem(address)
        if problem:
            raise UsageError(f"--to: {problem}")
    server = None
    if args.send:
        try:
            server = parse_smtp_url(args.smtp or options["smtp"] or "")
        except SendError as error:
            raise UsageError(f"--smtp: {error}") from None
    now = build_now(settings.tz)
    day = _day(args.date) if args.date else now.date()
    project = workspace.load()
    tip = _tip_of(day, project.tips, project.errors, workspace)
    if tip is None:
        return EXIT_PROBLEMS
    message = _message(tip, workspace, project, args.to, now)
    if tip.date > now:
        when = format_date(tip.date, "%Y-%m-%d")
        print(
            f"tipweek email: note: {tip.title!r} is scheduled for {when}: not on the site yet, "
            "so its web links work from that day",
            file=sys.stderr,
        )
    if args.out:
        try:
            Path(args.out).write_bytes(message.as_bytes())
        except OSError as error:
            print(
                f"tipweek email: error: cannot write {args.out}: {error.strerror}", file=sys.stderr
            )
            return EXIT_PROBLEMS
        print(f"wrote {tip.title!r} to {args.out}")
    if server is not None:
        password_env = options["password_env"]
        try:
            send(message, server, args.to, password=os.environ.get(password_env))
        except SendError as error:
            print(f"tipweek email: error: not sent: {error}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"sent {tip.title!r} to {', '.join(args.to)} through {server.host}:{server.port}")
    if not args.out and server is None:
        sys.stdout.write(message.as_string())
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"DATE {text!r} must be YYYY-MM-DD") from None


def _tip_of(day: date, tips: list[Tip], errors: list[TipError], workspace: Workspace) -> Tip | None:
    """The one tip dated `day`, or None after saying why there is none."""
    found = sorted((t for t in tips if t.date.date() == day), key=lambda t: t.slug)
    live = [t for t in found if not t.draft]
    for draft in found:
        if draft.draft and not live:
            print(
                f"tipweek email: {draft.title!r} ({workspace.show(draft.abs_path)}) is a draft: "
                "remove 'draft: true' to send it",
                file=sys.stderr,
            )
            return None
    if not live:
        broken = sorted({e.path for e in errors if Path(e.path).name.startswith(day.isoformat())})
        hint = f" ({', '.join(broken)} has errors: run 'tipweek check')" if broken else ""
        print(f"tipweek email: no tip is dated {day.isoformat()}{hint}", file=sys.stderr)
        return None
    if len(live) > 1:
        names = ", ".join(workspace.show(t.abs_path) for t in live)
        print(f"tipweek email: {len(live)} tips dated {day.isoformat()}: {names}", file=sys.stderr)
        return None
    return live[0]


def _message(
    tip: Tip, workspace: Workspace, project: Project, to: list[str], now: datetime
) -> EmailMessage:
    from tipweek.email.edition import edition_view, email_settings
    from tipweek.email.message import edition_message
    from tipweek.importer.inert import InertCheck

    settings = workspace.settings
    data = config_data(settings.config_file) if settings.config_file else {}
    site_url = str(data.get("site_url") or "")
    if not site_url:
        raise TipError(
            settings.config_file.name if settings.config_file else "mkdocs.yml",
            1,
            "site_url is not set: an email needs absolute links to the site",
        )
    theme = data.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    site = email_settings(
        settings.email,
        site_name=str(data.get("site_name") or ""),
        site_url=site_url,
        language=str(language) if language else None,
        date_format=settings.date_format,
    )
    html = InertCheck(settings).markdown.reset().convert(tip.body)
    html = root_paths_to_relative(html, settings.scheme.tip_url(tip))
    tag_titles = {slug: info.title for slug, info in project.tag_info.items()}
    archive = Archive([t for t in project.tips if not t.draft], tag_titles)
    view = edition_view(
        tip,
        archive=archive,
        scheme=settings.scheme,
        site=site,
        body_html=html,
        summary_text=plain_text(make_excerpt(html, None, settings.excerpt_words)),
        call_to_action=settings.call_to_action,
    )
    return edition_message(
        view, written=now, to=to, unsubscribe_setting=settings.email["unsubscribe"]
    )
