"""Read a tip's front matter into values, each with the line its key sits on.

Two readers give the same answer.  Almost every tip's front matter is a few
``key: value`` lines (``title: Listen first``, ``tags: [a, b]``), and reading
those takes a handful of string operations, so `read_front_matter` tries the
line reader first.  It accepts only lines whose YAML meaning it knows for
certain (a plain word-like scalar that YAML cannot take for a bool, a null or a
number; a quoted scalar without escapes; an ISO date; a flow list of such
words) and gives up on anything else: a comment, a block list, a duplicate
key, a colon, a tab.  Then libyaml composes the text node by node, which is
the only way to keep each key's line, and also the only reader that reports
bad YAML.  ``tests/test_front_matter.py`` checks both readers agree on
generated front matter.

`problem(line, message)` receives every problem; only the YAML reader can find any.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from tipweek.core import speedups

# libyaml's parser is several times faster, which matters for a 2,000-tip pre-commit check.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Problem = Callable[[int, str], None]


@dataclass
class Fields:
    """Front-matter values, the line of each key, and each scalar's text as written.

    `raw[key]` is the scalar's text before YAML resolved it (``2025-07-01`` stays
    a string), or None when the value is a list or a mapping: dates are parsed
    from it, so ``2025-07-01 09:00`` keeps its time whatever YAML makes of it.
    """

    values: dict[str, Any]
    lines: dict[str, int]
    raw: dict[str, str | None]


def read_front_matter(front: str, problem: Problem) -> Fields | None:
    """The fields of `front`, the text between the two ``---`` lines.

    `front` starts right after the opening ``---`` (with the end of its line),
    so its 0-based line N is the file's line N + 1.  None means a problem made
    the whole front matter unreadable.
    """
    quick = None if speedups.off("quick-front-matter") else _read_simple_lines(front)
    return quick or _read_yaml(front, problem)


# --- the line reader ------------------------------------------------------- #

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


def _read_simple_lines(front: str) -> Fields | None:
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


# --- the YAML reader ------------------------------------------------------- #


def _read_yaml(front: str, problem: Problem) -> Fields | None:
    """Compose the YAML by hand so each key keeps its line number."""
    loader = Loader(front)
    try:
        root = loader.get_single_node()
        if root is None:
            return Fields({}, {}, {})
        if not isinstance(root, yaml.MappingNode):
            problem(
                root.start_mark.line + 1,
                "front matter must be 'key: value' lines, not a list or text",
            )
            return None
        fields = Fields({}, {}, {})
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problem(line, "front-matter keys must be plain words")
                continue
            if key in fields.values:
                problem(line, f"'{key}' appears twice in the front matter")
                continue
            fields.lines[key] = line
            fields.raw[key] = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            try:
                fields.values[key] = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as error:
                if key in ("date", "updated"):
                    fields.values[key] = None  # parsed from the raw scalar
                else:
                    problem(line, f"'{key}' has a value YAML cannot read ({error})")
        return fields
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        what = error.problem or error.context or "invalid YAML"
        started = error.context_mark.line + 1 if error.context_mark else line
        if error.problem and error.context and started != line:
            # libyaml notices an unclosed `[` or quote only where the text ends: say
            # where the list or string began, which is where the editor must look.
            what += f" ({error.context} that starts on line {started})"
        problem(line, f"front matter is not valid YAML: {what}")
        return None
    except RecursionError:
        problem(1, "front matter is nested too deeply to be tip metadata")
        return None
    finally:
        loader.dispose()
