"""The quick line reader of front matter agrees with libyaml, or leaves the text to it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tipweek.core.front_matter import Fields, _read_yaml, read_front_matter
from tipweek.speed.quick_front_matter import read_simple_lines


def _yaml_fields(front: str) -> tuple[Fields | None, list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    fields = _read_yaml(front, lambda line, message: problems.append((line, message)))
    return fields, problems


def _same(a: Fields | None, b: Fields | None) -> bool:
    # repr, not ==: True == 1 and 1.0 == 1 would hide a wrong type.
    return repr(a) == repr(b)


SIMPLE = [
    "\ntitle: Listen first\ndate: 2025-07-01\n",
    "\ntitle: Don't promise what you can't keep\n",
    "\ntitle: Ask (politely), then wait!\n",
    "\ntitle: Café au lait for the team\n",
    '\ntitle: "Listen: then answer"\n',
    "\ntitle: 'He said \"no\" # twice'\n",
    "\ntags: [listening, phone skills, empathy]\n",
    "\ntags: [ listening ,empathy, ]\n",
    "\ntags: []\n",
    "\ntags: Listening, Phone Skills\n",
    "\ndraft: true\n",
    "\ndraft: off\n",
    "\nsummary: null\n",
    "\n\ntitle: A\n\nauthor: casey\n",
    "",
    "\n",
]

NOT_SIMPLE = [
    "\ntitle: Listen # a comment\n",  # comment
    "\ntitle: a: b\n",  # YAML error, reported by the YAML reader
    "\ntags:\n  - a\n  - b\n",  # block list
    "\ntitle: A\ntitle: B\n",  # duplicate key
    "\nyes: A\n",  # a key YAML reads as a bool
    "\ntitle: 2025\n",  # an int
    "\ntitle: 1.5\n",  # a float
    "\ndate: 2025-02-30\n",  # not a real day: YAML's error path decides
    "\ndate: 2025-07-01 09:00\n",  # a timestamp
    "\ntitle: Listen \n",  # trailing space
    "\ntitle:\tListen\n",  # tab
    "\ntags: [a, yes]\n",  # a bool in a list
    "\ntags: [a, , b]\n",  # empty item
    "\ntags: [a, [b]]\n",  # nested
    "\ntitle: two  spaces\n",
    "\ntitle: 'it''s'\n",  # escaped quote
    '\ntitle: "tab\\there"\n',  # escape
    "\n  title: indented\n",
    "\n- a list\n",
    "\ntitle: ~\n",
    "\ntitle: &anchor A\n",
    "\n...\n",
]


@pytest.mark.parametrize("front", SIMPLE)
def test_the_line_reader_reads_common_front_matter_exactly_as_yaml(front: str) -> None:
    quick = read_simple_lines(front)
    assert quick is not None
    slow, problems = _yaml_fields(front)
    assert problems == []
    assert _same(quick, slow)


@pytest.mark.parametrize("front", NOT_SIMPLE)
def test_the_line_reader_leaves_anything_unusual_to_yaml(front: str) -> None:
    assert read_simple_lines(front) is None


def test_values_lines_and_raw_text() -> None:
    front = "\ntitle: Listen first\ndate: 2025-07-01\n\ntags: [a, b c]\ndraft: no\n"
    fields = read_front_matter(front, lambda line, message: pytest.fail(message))
    assert fields == Fields(
        values={
            "title": "Listen first",
            "date": date(2025, 7, 1),
            "tags": ["a", "b c"],
            "draft": False,
        },
        lines={"title": 2, "date": 3, "tags": 5, "draft": 6},
        raw={"title": "Listen first", "date": "2025-07-01", "tags": None, "draft": "no"},
    )


def test_problems_still_come_from_yaml_with_their_line() -> None:
    problems: list[tuple[int, str]] = []
    fields = read_front_matter(
        "\ntitle: A\ntitle: B\n", lambda line, message: problems.append((line, message))
    )
    assert fields is not None and fields.values == {"title": "A"}
    assert problems == [(3, "'title' appears twice in the front matter")]


# Pieces chosen to hit every rule of the line reader: YAML's bool and null
# words, digits, colons, comments, quotes, brackets, tabs, double spaces.
_KEYS = st.sampled_from(
    ["title", "date", "tags", "draft", "author", "x_1", "yes", "on", "null", "a-b"]
)
_CHARS = st.sampled_from([*"aZé1 _-.,:#'\"[]{}!&*?|>%@=()/\t~+;$`\\", "  ", "yes", "null"])
# Mostly word-like scalars, so that the line reader answers often enough to be tested.
_WORDS = st.sampled_from(
    [
        "Listen",
        "first",
        "é",
        "Don't",
        "(now)",
        "a,b",
        "x!",
        "yes",
        "Null",
        "2",
        "-",
        ":",
        "#",
        "a:b",
        "%",
    ]
)
_SCALARS = st.one_of(
    st.lists(_WORDS, min_size=1, max_size=3).map(" ".join),
    st.lists(_WORDS, min_size=1, max_size=3).map("".join),
    st.lists(_CHARS, max_size=8).map("".join),
    st.sampled_from(["2025-07-01", "2025-02-30", "2025-7-1", "true", "Off", "NULL", "1.5", "0x1f"]),
)
_VALUES = st.one_of(
    _SCALARS,
    _SCALARS.map(lambda s: f'"{s}"'),
    _SCALARS.map(lambda s: f"'{s}'"),
    st.lists(_SCALARS, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.lists(_WORDS, min_size=1, max_size=2).map(" ".join), max_size=4).map(
        lambda items: "[" + ",".join(items) + "]"
    ),
)
_LINES = st.one_of(
    # ": " twice: the usual separator, drawn more often.
    st.tuples(_KEYS, st.sampled_from([": ", ": ", ":  ", ":", " : "]), _VALUES).map("".join),
    st.sampled_from(["", "# comment", "  - item", "..."]),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINES, max_size=5))
@example(["tags: [a, b,]"])
@example(["title: it's"])
def test_whenever_the_line_reader_answers_yaml_agrees(lines: list[str]) -> None:
    _assert_yaml_agrees_if_the_line_reader_answers("\n" + "\n".join(lines) + "\n")


@settings(max_examples=1000, deadline=None)
@given(_KEYS, _VALUES)
@example("title", "yes")
@example("title", "Off")
@example("summary", "NULL")
@example("tags", "[a, Null]")
@example("title", "a:b")
@example("title", "a # b")
def test_each_kind_of_value_reads_as_yaml_reads_it(key: str, value: str) -> None:
    _assert_yaml_agrees_if_the_line_reader_answers(f"\n{key}: {value}\n")


def _assert_yaml_agrees_if_the_line_reader_answers(front: str) -> None:
    quick = read_simple_lines(front)
    if quick is None:
        return  # left to YAML: nothing to compare
    slow, problems = _yaml_fields(front)
    assert problems == []
    assert _same(quick, slow)
