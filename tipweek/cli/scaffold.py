"""The starter publication `tipweek init` writes: package files filled with a site's values.

The files live in `tipweek/cli/starter/` as package data.  A name ending in `.tmpl`
is a `string.Template` (the suffix is dropped); any other file is copied as it
is.  A leading `dot-` becomes `.` (`dot-gitignore` → `.gitignore`), so the
package's own tree holds no `.gitignore` or `.github/` that git or GitHub
would act on in this repository.

Everything here is pure: values in, `{relative path: text}` out.  Values are
escaped for where they land (YAML, Markdown, HTML), so a site name with a
colon, a quote or an ampersand still gives a valid mkdocs.yml and page.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from string import Template
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tipweek import __version__
from tipweek.core.slugs import slugify

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

TEMPLATE_SUFFIX = ".tmpl"
DOT_PREFIX = "dot-"
EXAMPLE_TIP = "example-tip.md.tmpl"
# The daily publish run starts this many minutes after local midnight.
CRON_MINUTE = 17


@dataclass(frozen=True)
class SiteValues:
    """What a new publication is made of; every field already validated."""

    name: str
    organisation: str
    url: str  # absolute http(s), ending in "/"
    timezone: str  # an IANA name
    weekday: str  # "tuesday"


def starter_root() -> Traversable:
    # Imported here: importlib.resources (with tempfile and zipfile) costs `tipweek check`,
    # which loads this module through the CLI, a few milliseconds at every start.
    from importlib.resources import files

    return files("tipweek.cli") / "starter"


def starter_files(values: SiteValues) -> dict[str, str]:
    """Every starter file but the example tip, by its path in the new site."""
    substitutions = _substitutions(values)
    rendered: dict[str, str] = {}
    for relative, entry in _walk(starter_root()):
        if relative == EXAMPLE_TIP:
            continue
        text = entry.read_text(encoding="utf-8")
        if relative.endswith(TEMPLATE_SUFFIX):
            relative = relative.removesuffix(TEMPLATE_SUFFIX)
            # substitute, not safe_substitute: a placeholder left unfilled is a bug here.
            text = Template(text).substitute(substitutions)
        rendered[_site_path(relative)] = text
    return rendered


def example_tip(values: SiteValues, day: date) -> tuple[str, dict[str, object], str]:
    """(path in the site, front-matter fields, Markdown body) of the first tip."""
    title = f"Welcome to {values.name}"
    slug = slugify(title) or "welcome"
    body = Template((starter_root() / EXAMPLE_TIP).read_text(encoding="utf-8"))
    fields: dict[str, object] = {
        "title": title,
        "date": day,
        "tags": ["welcome"],
        "author": "editors",
    }
    path = f"tips/{day.year:04d}/{day.isoformat()}-{slug}.md"
    return path, fields, body.substitute(_substitutions(values))


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of it."""
    return json.dumps(value, ensure_ascii=False)


def markdown_text(value: str) -> str:
    """Plain text that Markdown shows as typed: no emphasis, links or raw HTML from it."""
    text = html.escape(value, quote=False)
    return "".join(f"\\{char}" if char in "\\`*_{}[]" else char for char in text)


def daily_cron(timezone: str, minute: int = CRON_MINUTE) -> tuple[str, str]:
    """A cron line (in UTC) that runs just after local midnight all year, and its HH:MM.

    A tip dated today goes live at local midnight; GitHub's cron is in UTC.  The run
    must fall after midnight under every offset the zone uses (winter and summer), so
    it is midnight at the zone's smallest UTC offset of the year, plus `minute`.
    """
    zone = ZoneInfo(timezone)
    year = datetime.now(zone).year
    offsets = set()
    for month in range(1, 13):
        offset = datetime(year, month, 1, 12, tzinfo=zone).utcoffset()
        offsets.add(offset or timedelta(0))
    utc = datetime(2000, 1, 1) + timedelta(minutes=minute) - min(offsets)
    return f"{utc.minute} {utc.hour} * * *", f"{utc.hour:02d}:{utc.minute:02d}"


def _substitutions(values: SiteValues) -> dict[str, str]:
    cron, cron_utc = daily_cron(values.timezone)
    year = datetime.now(ZoneInfo(values.timezone)).year
    copyright_html = f"Copyright &copy; {year} {html.escape(values.organisation)}"
    weekday_name = values.weekday.capitalize()
    description = f"A tip every {weekday_name} from {values.organisation}."
    return {
        # mkdocs.yml and the YAML side files
        "site_name": yaml_text(values.name),
        "site_url": yaml_text(values.url),
        "site_description": yaml_text(description),
        "organisation": yaml_text(values.organisation),
        "copyright": yaml_text(copyright_html),
        "timezone": yaml_text(values.timezone),
        "weekday": values.weekday,
        "editors_bio": yaml_text(f"The team at {values.organisation} writes and edits the tips."),
        # Markdown pages
        "name_md": markdown_text(values.name),
        "organisation_md": markdown_text(values.organisation),
        "weekday_name": weekday_name,
        # workflows and requirements.txt (comments and plain text)
        "cron": cron,
        "cron_utc": cron_utc,
        "timezone_name": values.timezone,
        "tipweek_version": __version__,
    }


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    """Every file under `folder`, by its /-joined path, in a stable order."""
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, f"{relative}/")
        else:
            found.append((relative, entry))
    return found


def _site_path(relative: str) -> str:
    return "/".join(
        f".{part.removeprefix(DOT_PREFIX)}" if part.startswith(DOT_PREFIX) else part
        for part in relative.split("/")
    )
