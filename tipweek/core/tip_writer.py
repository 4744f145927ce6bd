"""Writing tip files: front matter that the loader reads back, written safely.

`tipweek new` and `tipweek import` both create tips; both go through here, so a
file is never half-written (temp file + link) and never overwrites another.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

# The order editors expect to read keys in; others follow in their given order.
KEY_ORDER = ("title", "date", "tags", "author", "slug", "summary", "draft", "aliases")


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
    for key in (*KEY_ORDER, *(k for k in fields if k not in KEY_ORDER)):
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


def _write_temp(path: Path, text: str) -> str:
    """Write `text` to a new temp file beside `path` (same file system), synced to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`, atomically; raise FileExistsError if it exists.

    The text goes to a temp file in the same folder, which is then hard-linked
    into place: linking fails if the name is taken (no overwrite, even in a
    race), and a reader never sees a partial file.
    """
    temp = _write_temp(path, text)
    try:
        os.link(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def replace_file(path: Path, text: str) -> None:
    """Write `path` atomically, replacing it if present (only for an explicit --force)."""
    temp = _write_temp(path, text)
    try:
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
