"""What search engines read besides the pages: robots.txt, and the sitemap's dates of
the hand-written pages in docs/.

MkDocs dates every page it did not get a date for with the build day, so a site
rebuilt daily (to publish scheduled tips) told crawlers that About, Contact and
Subscribe changed every day.  A page's date here is, in order: its own `updated:`
(or `date:`) front matter, else the day of the last git commit that touched its
file, else none (no `<lastmod>` rather than a wrong one).  Tips keep their own dates.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

#: How long one `git log` of docs/ may take before the dates are left out.
GIT_TIMEOUT_SECONDS = 30


def robots_txt(site_url: str) -> str:
    """A robots.txt that lets every crawler in and names the sitemap (absolute, as the
    standard wants); without a site_url there is no absolute address to give."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def content_date(meta: Mapping[str, object]) -> str | None:
    """A page's own date from its front matter (`updated:` first, then `date:`), as
    YYYY-MM-DD; None if it gives none that reads as a date."""
    for key in ("updated", "date"):
        value = meta.get(key)
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()[:10]).isoformat()
            except ValueError:
                continue
    return None


def git_dates(folder: Path) -> dict[str, str]:
    """`{path relative to folder: YYYY-MM-DD}` of the last commit that touched each file
    under `folder`; empty when git, the repository or its history is not there."""
    command = [
        "git",
        "-c",
        "core.quotepath=off",
        "log",
        "--format=%x01%cs",
        "--name-only",
        "--relative",
        "--no-renames",
        "--",
        ".",
    ]
    try:
        result = subprocess.run(
            command,
            cwd=folder,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    return parse_git_log(result.stdout)


def parse_git_log(text: str) -> dict[str, str]:
    """The newest date of each path in `git log --format=%x01%cs --name-only` output
    (newest commit first)."""
    dates: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("\x01"):
            current = line[1:].strip()
        elif line and current:
            dates.setdefault(line, current)
    return dates
