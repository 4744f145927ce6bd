"""Read a tip's front matter into values, each with the line its key sits on.

libyaml composes the text node by node, which is the only way to keep each
key's line, and the reader that reports bad YAML.  A faster reader of the
common simple lines may be given (`tipweek.speed.quick_front_matter`, chosen by
the adapter): it answers only when it agrees with this one, else this one reads.

`problem(line, message)` receives every problem; only the YAML reader can find any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

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


#: A reader that answers only front matter it reads exactly as YAML would, else None.
QuickReader = Callable[[str], "Fields | None"]


def read_front_matter(
    front: str, problem: Problem, quick: QuickReader | None = None
) -> Fields | None:
    """The fields of `front`, the text between the two ``---`` lines.

    `front` starts right after the opening ``---`` (with the end of its line),
    so its 0-based line N is the file's line N + 1.  None means a problem made
    the whole front matter unreadable.
    """
    fields = quick(front) if quick is not None else None
    return fields or _read_yaml(front, problem)


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
