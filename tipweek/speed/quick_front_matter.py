"""A quick reader of the front matter most tips have: a few simple ``key: value`` lines.

Almost every tip's front matter is a few lines such as ``title: Listen first``
or ``tags: [a, b]``, and reading those takes a handful of string operations
where libyaml's composer (`tipweek.core.front_matter`, which keeps every key's
line) takes many times longer.  This reader accepts only lines whose YAML
meaning it knows for certain (a plain word-like scalar that YAML cannot take
for a bool, a null or a number; a quoted scalar without escapes; an ISO date; a
flow list of such words) and gives up on anything else: a comment, a block
list, a duplicate key, a colon, a tab.  ``tests/test_front_matter.py`` checks it
agrees with libyaml on generated front matter.

Measured: `tipweek check` at 2,000 tips 1.22x slower without it (12/12
alternated pairs); builds: no measurable effect.  `mkdocs build` and `tipweek
check` use it unless `TIPWEEK_WITHOUT=quick-front-matter`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tipweek.core.front_matter import Fields, QuickReader
from tipweek.speed import switches

# YAML 1.1 (PyYAML's resolver) reads these plain words as bools and nulls.
_BOOLS = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_NULLS = {"null", "Null", "NULL"}

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): +(.*\S)")
# A plain scalar that starts with a letter can only resolve to a string, a bool
# or a null (numbers, dates and YAML's other types start with a digit, a sign,
# a dot or a symbol).  Inside, only characters with no YAML meaning there: no
# ':' (mapping), '#' (comment), quotes or brackets; single spaces between words.
_WORDS = r"[^\W\d_](?:[\w.,'!?()/&;+%$=-]| (?! ))*"
_PLAIN = re.compile(_WORDS)
_FLOW_ITEM = re.compile(_WORDS.replace(",", ""))
_DOUBLE_QUOTED = re.compile(r'"([\w !#$%&()*+,\-./:;<=>?@\[\]^`{|}~\']*)"')
_SINGLE_QUOTED = re.compile(r"'([\w !#$%&()*+,\-./:;<=>?@\[\]^`{|}~\"]*)'")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FLOW_LIST = re.compile(r"\[([^\[\]{}\"'#:]*)\]")


class _NotSimple(Exception):
    """The text needs the YAML reader."""


def read_simple_lines(front: str) -> Fields | None:
    """The fields when every line is a simple ``key: value``, else None."""
    fields = Fields({}, {}, {})
    try:
        for index, line in enumerate(front.split("\n")):
            if not line:
                continue
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                return None
            key, text = match.groups()
            if key in fields.values or key in _BOOLS or key in _NULLS:
                return None
            fields.values[key], fields.raw[key] = _simple_value(text)
            fields.lines[key] = index + 1
    except _NotSimple:
        return None
    return fields


def _simple_value(text: str) -> tuple[Any, str | None]:
    """The value of one scalar or flow list, and its raw text (None for a list)."""
    if _PLAIN.fullmatch(text):
        if text in _BOOLS:
            return _BOOLS[text], text
        if text in _NULLS:
            return None, text
        return text, text
    quoted = _DOUBLE_QUOTED.fullmatch(text) or _SINGLE_QUOTED.fullmatch(text)
    if quoted:
        return quoted.group(1), quoted.group(1)
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), text
        except ValueError:
            raise _NotSimple from None  # YAML's own error handling decides
    flow = _FLOW_LIST.fullmatch(text)
    if flow:
        return _flow_items(flow.group(1)), None
    raise _NotSimple


def _flow_items(inside: str) -> list[str]:
    """The strings of ``[a, b c]``; raises _NotSimple for anything but words."""
    if not inside.strip():
        return []
    items = [item.strip(" ") for item in inside.split(",")]
    if items[-1] == "":  # YAML allows one trailing comma
        items.pop()
    for item in items:
        if not _FLOW_ITEM.fullmatch(item) or item in _BOOLS or item in _NULLS:
            raise _NotSimple
    return items


def chosen() -> QuickReader | None:
    """The reader for `tips.Reading`, unless `TIPWEEK_WITHOUT=quick-front-matter`."""
    return None if switches.off("quick-front-matter") else read_simple_lines
