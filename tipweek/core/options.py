"""Default values of the plugin's options, in one table.

`config.py` (the MkDocs side) and `settings.py` (the CLI, which must not import
MkDocs) both read their defaults from here, so `tipweek check` and
`mkdocs build` can never disagree about where the tips are or which weekday
tips go out on.
"""

from __future__ import annotations

from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

PLUGIN_DEFAULTS: dict[str, Any] = {
    "tips_dir": "tips",
    "authors_file": "tips/authors.yml",
    "tags_file": "tips/tags.yml",
    "strict_tags": False,
    "timezone": "UTC",
    "publish_weekday": "tuesday",
    "per_page": 10,
}

URL_DEFAULTS: dict[str, str] = {
    "tip": "{yyyy}/{mm}/{dd}/{slug}/",
    "page": "page/{n}/",
    "tags": "tags/",
    "year": "{yyyy}/",
    "feed": "feed.xml",
}
