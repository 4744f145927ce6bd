"""Writing tip files: front matter that the loader reads back, written safely.

`tipweek new` and `tipweek import` both create tips; both go through here, so a
file is never half-written (`core/atomic_files.py`) and never overwrites another.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from tipweek.core.atomic_files import create_atomically, replace_atomically
from tipweek.core.tips import KNOWN_KEYS

# Keys are written in KNOWN_KEYS' order, the order editors read them in;
# others follow in their given order.


class _TipDumper(yaml.SafeDumper):
    """Dumps lists inline (`tags: [a, b]`) and long text as plain scalars."""


def _list_representer(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_TipDumper.add_representer(list, _list_representer)
_TipDumper.add_representer(tuple, _list_representer)


class _DateText(str):
    """A date or date-time already in front-matter form, written without quotes."""


def _date_representer(dumper: yaml.SafeDumper, value: _DateText) -> yaml.Node:
    # Written bare, the way editors type it. A bare `2025-07-01` reads back as a
    # YAML timestamp, so it is tagged as one (a string would be quoted);
    # `2025-07-01 09:30` is a plain string to YAML and needs no tag.
    tag = "timestamp" if len(value) == len("2025-07-01") else "str"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(value))


_TipDumper.add_representer(_DateText, _date_representer)


def _date_text(value: date | datetime) -> _DateText:
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return _DateText(value.date().isoformat())
        return _DateText(value.isoformat(sep=" ", timespec="minutes"))
    return _DateText(value.isoformat())


def _ordered(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Fields in the order editors expect, empty values dropped, dates in their text form."""
    ordered: dict[str, Any] = {}
    for key in (*KNOWN_KEYS, *(k for k in fields if k not in KNOWN_KEYS)):
        value = fields.get(key)
        if value in (None, "", [], (), False):
            continue
        if isinstance(value, (date, datetime)):
            value = _date_text(value)
        ordered[key] = list(value) if isinstance(value, tuple) else value
    return ordered


def tip_document(fields: Mapping[str, Any], body: str) -> str:
    """A whole tip file: front matter (written by python-frontmatter), a blank line, the body."""
    post = frontmatter.Post(body.strip("\n"), **_ordered(fields))
    text = frontmatter.dumps(
        post, Dumper=_TipDumper, sort_keys=False, allow_unicode=True, width=1000
    )
    return text.rstrip("\n") + "\n"


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`, synced to disk; raise FileExistsError if it exists."""
    create_atomically(path, text, durable=True)


def replace_file(path: Path, text: str) -> None:
    """Write `path` atomically, replacing it if present (only for an explicit --force)."""
    replace_atomically(path, text, durable=True)
