"""Loading one tip file: every field, and every problem with its exact line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tipweek.core.tips import MAX_TIP_BYTES, load_tip, parse_tip

NEW_YORK = ZoneInfo("America/New_York")


def parse(text: str, source: str = "tips/2025/2025-07-01-be-brief.md"):
    return parse_tip(text, source, NEW_YORK)


def messages(text: str) -> list[str]:
    return [str(problem) for problem in parse(text)[1]]


def test_a_complete_tip_keeps_every_field():
    tip, problems = parse(
        "---\n"
        "title: Highlight the Hidden Value\n"
        "date: 2025-07-01\n"
        "tags: [Marketing, value, marketing]\n"
        "author: casey\n"
        "slug: hidden-value\n"
        "summary: One sentence.\n"
        "aliases: [/2014/07/22/old-url/, /?p=123]\n"
        "---\n"
        "Body text.\n"
    )
    assert problems == []
    assert tip is not None
    assert tip.title == "Highlight the Hidden Value"
    assert tip.date == datetime(2025, 7, 1, tzinfo=NEW_YORK)
    assert tip.tags == ("Marketing", "value")  # repeats differing in case count once
    assert tip.author == "casey"
    assert tip.slug == "hidden-value"
    assert tip.summary == "One sentence."
    assert tip.aliases == ("2014/07/22/old-url/", "?p=123")
    assert tip.body.strip() == "Body text."
    assert tip.body_line == 10


def test_slug_defaults_to_the_file_name_without_its_date():
    tip, _ = parse("---\ntitle: Anything\ndate: 2025-07-01\n---\n")
    assert tip is not None and tip.slug == "be-brief"


def test_slug_falls_back_to_the_title_in_ascii():
    tip, _ = parse("---\ntitle: Café Déjà Vu!\ndate: 2025-07-01\n---\n", "tips/2025-07-01.md")
    assert tip is not None and tip.slug == "cafe-deja-vu"


def test_tags_may_be_a_comma_string():
    tip, _ = parse("---\ntitle: T\ndate: 2025-07-01\ntags: phone skills, Empathy\n---\n")
    assert tip is not None and tip.tags == ("phone skills", "Empathy")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-01 09:30", datetime(2025, 7, 1, 9, 30, tzinfo=NEW_YORK)),
        ("2025-07-01T13:30:00Z", datetime(2025, 7, 1, 9, 30, tzinfo=NEW_YORK)),
        ("'2025-07-01'", datetime(2025, 7, 1, tzinfo=NEW_YORK)),
    ],
)
def test_dates_with_times_and_offsets_land_in_the_site_timezone(value, expected):
    tip, problems = parse(f"---\ntitle: T\ndate: {value}\n---\n")
    assert problems == []
    assert tip is not None and tip.date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: T\ndate: 2025-13-01\n---\n",
            ":3: error: date '2025-13-01' is not a valid date",
        ),
        (
            "---\ntitle: T\ndate: next tuesday\n---\n",
            ":3: error: date 'next tuesday' is not a date",
        ),
        ("---\ntitle: T\ndate: 07/01/2025\n---\n", ":3: error: date '07/01/2025' is not a date"),
        ("---\ntitle: T\n---\n", ":3: error: 'date' is missing"),
        ("---\ndate: 2025-07-01\n---\n", ":3: error: 'title' is missing"),
        ("---\ntitle: '  '\ndate: 2025-07-01\n---\n", ":2: error: 'title' is empty"),
        ("---\ntitle: [a]\ndate: 2025-07-01\n---\n", ":2: error: 'title' must be text"),
        (
            "---\ntitle: T\ndate: 2025-07-01\ntags: [a, [b]]\n---\n",
            ":4: error: every entry of 'tags' must be text",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\ntags: [a, 3]\n---\n",
            ":4: error: every entry of 'tags' must be text, got int 3",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\ntags: {a: 1}\n---\n",
            ":4: error: 'tags' must be a list",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\nslug: ../../etc\n---\n",
            ":4: error: slug '../../etc' must be lowercase",
        ),
        (
            '---\ntitle: T\ndate: 2025-07-01\nslug: "be-brief\\n"\n---\n',
            ":4: error: slug 'be-brief\\n' must be lowercase",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\ndraft: maybe\n---\n",
            ":4: error: 'draft' must be true or false",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\naliases: [../x]\n---\n",
            ":4: error: alias '../x' must be a path",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\naliases: [/a/../../x/]\n---\n",
            ":4: error: alias '/a/../../x/' must not contain",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\naliases: ['https://evil.example/']\n---\n",
            ":4: error: alias 'https://evil.example/' must be a path",
        ),
        ("---\ntitle: T\ntitle: U\ndate: 2025-07-01\n---\n", ":3: error: 'title' appears twice"),
        (
            "---\ntitle: T\ndate: 2025-07-01\ntagz: [a]\n---\n",
            ":4: warning: unknown front-matter key 'tagz'; did you mean 'tags'?",
        ),
        (
            "---\ntitle: T\ndate: 2025-07-01\ntags: [a\n---\n",
            ": error: front matter is not valid YAML",
        ),
        ("---\n- a\n- b\n---\n", ":2: error: front matter must be 'key: value' lines"),
        ("no front matter here\n", ":1: error: no front matter"),
        ("", ":1: error: no front matter"),
        ("---\ntitle: T\ndate: 2025-07-01\n", ":1: error: front matter is never closed"),
    ],
)
def test_each_problem_names_its_file_and_line(text, expected):
    found = messages(text)
    assert any(expected in message for message in found), found
    assert all(message.startswith("tips/2025/2025-07-01-be-brief.md:") for message in found)


def test_yaml_syntax_errors_point_at_the_broken_line():
    found = messages("---\ntitle: T\ndate: 2025-07-01\ntags: [a, b\nauthor: x\n---\n")
    assert len(found) == 1
    # The file's line 5 is where YAML finds the list never closed; line 4 opened it.
    assert found[0].startswith(
        "tips/2025/2025-07-01-be-brief.md:5: error: front matter is not valid YAML"
    )
    assert found[0].endswith("(while parsing a flow sequence that starts on line 4)")


def test_an_unclosed_quote_names_the_line_it_opened_on():
    found = messages('---\ntitle: "Listen first\ndate: 2025-07-01\n---\n')
    assert found == [
        "tips/2025/2025-07-01-be-brief.md:4: error: front matter is not valid YAML: found "
        "unexpected end of stream (while scanning a quoted scalar that starts on line 2)"
    ]


def test_a_yaml_error_on_one_line_names_no_other():
    found = messages("---\ntitle: a: b\ndate: 2025-07-01\n---\n")
    assert found == [
        "tips/2025/2025-07-01-be-brief.md:2: error: front matter is not valid YAML: "
        "mapping values are not allowed in this context"
    ]


def test_all_problems_of_a_file_are_reported_together():
    found = messages("---\ntitle: ''\ndate: 2025-02-30\ntags: [1]\n---\n")
    assert [m.split(": error:")[0].rsplit(":", 1)[1] for m in found] == ["2", "3", "4"]


def test_a_file_that_is_only_front_matter_is_a_tip_with_an_empty_body():
    tip, problems = parse("---\ntitle: T\ndate: 2025-07-01\n---")
    assert problems == [] and tip is not None and tip.body == ""


def test_a_bad_tip_yields_no_tip_but_a_warning_alone_does():
    assert parse("---\ntitle: T\ndate: 2025-13-01\n---\n")[0] is None
    tip, problems = parse("---\ntitle: T\ndate: 2025-07-01\nauthr: x\n---\n")
    assert tip is not None and [p.severity for p in problems] == ["warning"]


def test_bom_and_crlf_are_read_as_ordinary_text(tmp_path: Path):
    path = tmp_path / "2025-07-01-x.md"
    path.write_bytes("\ufeff---\r\ntitle: T\r\ndate: 2025-07-01\r\n---\r\nBody\r\n".encode())
    tip, problems = load_tip(path, "tips/x.md", NEW_YORK)
    assert problems == [] and tip is not None and tip.body.strip() == "Body"


def test_latin1_bytes_are_reported_with_their_line(tmp_path: Path):
    path = tmp_path / "2025-07-01-x.md"
    path.write_bytes(b"---\ntitle: T\ndate: 2025-07-01\n---\nCaf\xe9\n")
    tip, problems = load_tip(path, "tips/x.md", NEW_YORK)
    assert tip is None
    assert [str(p) for p in problems] == [
        "tips/x.md:5: error: the file is not UTF-8 text; save it as UTF-8"
    ]


def test_a_binary_file_is_refused(tmp_path: Path):
    path = tmp_path / "2025-07-01-x.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    tip, problems = load_tip(path, "tips/x.md", NEW_YORK)
    assert tip is None and "binary file" in str(problems[0])


def test_yaml_tags_cannot_construct_python_objects():
    found = messages(
        "---\ntitle: !!python/object/apply:os.system ['echo hi']\ndate: 2025-07-01\n---\n"
    )
    assert any(":2: error: 'title' has a value YAML cannot read" in m for m in found), found


def test_scheduling_compares_in_the_site_timezone():
    tip, _ = parse("---\ntitle: T\ndate: 2025-07-01\n---\n")
    assert tip is not None
    # 04:00 UTC on July 1 is midnight in New York: the tip is due at that moment, not before.
    assert tip.is_published(datetime(2025, 7, 1, 4, 0, tzinfo=ZoneInfo("UTC")))
    assert not tip.is_published(datetime(2025, 7, 1, 3, 59, tzinfo=ZoneInfo("UTC")))


def test_a_file_over_the_size_limit_is_refused_and_one_at_it_is_read(tmp_path: Path):
    head = b"---\ntitle: Huge\ndate: 2025-07-01\n---\n"
    at_limit = tmp_path / "2025-07-01-huge.md"
    at_limit.write_bytes(head + b"x" * (MAX_TIP_BYTES - len(head)))
    tip, problems = load_tip(at_limit, "tips/2025/2025-07-01-huge.md", NEW_YORK)
    assert tip is not None and len(tip.body) == MAX_TIP_BYTES - len(head)
    at_limit.write_bytes(head + b"x" * (MAX_TIP_BYTES - len(head) + 1))
    tip, problems = load_tip(at_limit, "tips/2025/2025-07-01-huge.md", NEW_YORK)
    assert tip is None
    assert [str(p) for p in problems] == [
        "tips/2025/2025-07-01-huge.md:1: error: the file is 1,000,001 bytes; "
        "a tip may be at most 1,000,000"
    ]


def test_an_unreadable_path_is_reported_not_raised(tmp_path: Path):
    tip, problems = load_tip(tmp_path / "gone.md", "tips/gone.md", NEW_YORK)
    assert tip is None
    assert [p.message for p in problems] == ["cannot read the file: No such file or directory"]
