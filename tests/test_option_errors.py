"""One options schema: every invalid option value is refused by `mkdocs build` and by
`tipweek check`, in the same words, and unknown options are warned about by both."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from mkdocs.exceptions import Abort

from tipweek.core.options import OPTIONS, WEEKDAYS, validate_options
from tipweek.mkdocs.config import TipweekConfig

# (plugin options, the option the CLI names, the schema's message)
INVALID = [
    ({"per_page": 0}, "per_page", "must be at least 1"),
    ({"per_page": "ten"}, "per_page", "must be a whole number"),
    ({"per_page": True}, "per_page", "must be a whole number"),
    ({"excerpt_words": -5}, "excerpt_words", "must be at least 1"),
    ({"feed_items": 0}, "feed_items", "must be at least 1"),
    ({"strict_tags": "yes"}, "strict_tags", "must be true or false"),
    ({"preview_drafts": 1}, "preview_drafts", "must be true or false"),
    ({"publish_weekday": "tuesdays"}, "publish_weekday", f"must be one of: {', '.join(WEEKDAYS)}"),
    (
        {"timezone": "Mars/Olympus"},
        "timezone",
        "unknown timezone 'Mars/Olympus' (use an IANA name such as 'Europe/Paris')",
    ),
    ({"tips_dir": ""}, "tips_dir", "must not be empty"),
    ({"tips_dir": 3}, "tips_dir", "must be text"),
    ({"read_more": ["Read", "more"]}, "read_more", "must be text"),
    ({"pager": {"edge": -1}}, "pager.edge", "must be at least 0"),
    ({"pager": {"around": 1.5}}, "pager.around", "must be a whole number"),
    ({"pager": 3}, "pager", "must be a mapping of edge, around"),
    ({"urls": "tips/"}, "urls", "must be a mapping of tip, page, tags, year, feed"),
    (
        {"urls": {"tip": "{yyyy}/{slug}"}},
        "urls.tip",
        "must end with '/' (a folder URL such as 'tags/')",
    ),
    (
        {"urls": {"tip": "{yyyy}/{mm}/{dd}/"}},
        "urls.tip",
        "must contain {slug}, or two pages would share one URL",
    ),
    (
        {"urls": {"tip": "{year}/{slug}/"}},
        "urls.tip",
        "has an unknown placeholder {year} (known here: {yyyy}, {mm}, {dd}, {slug})",
    ),
    ({"urls": {"tip": "{slug/"}}, "urls.tip", "has an unmatched '{' or '}'"),
    (
        {"urls": {"page": "page/"}},
        "urls.page",
        "must contain {n}, or two pages would share one URL",
    ),
    (
        {"urls": {"year": "archive/"}},
        "urls.year",
        "must contain {yyyy}, or two pages would share one URL",
    ),
    (
        {"urls": {"tags": "/tags/"}},
        "urls.tags",
        "must be a site-relative path without a leading '/' (e.g. 'tags/')",
    ),
    (
        {"urls": {"tags": "../tags/"}},
        "urls.tags",
        "must not contain empty, '.' or '..' path segments",
    ),
    (
        {"urls": {"tags": "{slug}/"}},
        "urls.tags",
        "has an unknown placeholder {slug} (known here: none)",
    ),
    ({"urls": {"feed": "feeds/"}}, "urls.feed", "must be a file name such as 'feed.xml'"),
    (
        {"call_to_action": "Contact us"},
        "call_to_action",
        "must be a list of mappings of title, url",
    ),
    ({"call_to_action": [{"url": "contact/"}]}, "call_to_action[1].title", "is required"),
    (
        {"call_to_action": [{"title": "A"}, {"title": "B", "url": 7}]},
        "call_to_action[2].url",
        "must be text",
    ),
]


def _cli_error(err: str, name: str) -> tuple[int, str]:
    """The line and message of `tipweek check`'s error about option `name`."""
    pattern = re.compile(rf"^mkdocs\.yml:(\d+): error: tipweek option '{re.escape(name)}' (.*)$")
    found = [m for m in map(pattern.match, err.splitlines()) if m]
    assert len(found) == 1, err
    return int(found[0].group(1)), found[0].group(2)


@pytest.mark.parametrize(("options", "name", "message"), INVALID, ids=[r[1] for r in INVALID])
def test_an_invalid_option_fails_check_and_build_with_the_same_message(
    make_site, capsys, options, name, message
):
    make_site.add_tip("A tip", "2025-07-01")
    with pytest.raises(Abort):
        make_site.build(options)
    build_errors = [m for m in make_site.messages() if "Plugin 'tipweek'" in m]
    assert len(build_errors) == 1, make_site.messages()
    assert build_errors[0].endswith(f": {message}")

    code, _, err = run_cli(capsys, "check")
    assert code == 1
    line, cli_message = _cli_error(err, name)
    assert cli_message == message
    # The line is the one that spells out the deepest key of the option's name
    # (for a missing key, the option that lacks it).
    keys = re.sub(r"\[\d+\]", "", name).split(".")
    key = keys[0] if message == "is required" else keys[-1]
    config_lines = (make_site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert key in config_lines[line - 1]


@pytest.mark.parametrize(
    ("options", "name", "message"),
    [
        ({"per_pages": 5}, "per_pages", "Unrecognised configuration name: per_pages"),
        ({"urls": {"tag": "t/"}}, "urls.tag", "Unrecognised configuration name: tag"),
    ],
)
def test_an_unknown_option_is_a_warning_in_both(make_site, capsys, options, name, message):
    make_site.add_tip("A tip", "2025-07-01")
    make_site.build(options, strict=False)
    assert any(m.endswith(f": {message}") for m in make_site.messages()), make_site.messages()
    with pytest.raises(Abort):
        make_site.build(options, strict=True)

    code, out, err = run_cli(capsys, "check")
    assert code == 0
    assert re.search(rf"^mkdocs\.yml:\d+: warning: tipweek option '{name}': {message}$", err, re.M)
    assert out.endswith("1 warning\n")
    assert run_cli(capsys, "check", "--strict")[0] == 1


def test_the_mkdocs_config_class_has_exactly_the_schemas_options():
    assert [key for key, _ in TipweekConfig._schema] == [option.name for option in OPTIONS]


def test_the_defaults_pass_their_own_rules():
    values, errors, warnings = validate_options({})
    assert (errors, warnings) == ([], [])
    again = validate_options(values)
    assert again == (values, [], [])


def test_check_lists_every_wrong_option_at_once_where_build_stops_at_the_first(make_site, capsys):
    make_site.add_tip("A tip", "2025-07-01")
    options = {"per_page": 0, "publish_weekday": "tue", "urls": {"tip": "{slug}"}}
    with pytest.raises(Abort):
        make_site.build(options)
    code, out, err = run_cli(capsys, "check")
    assert (code, out) == (1, "")
    assert [re.sub(r"^mkdocs\.yml:\d+: ", "", line) for line in err.splitlines()] == [
        # In the order of mkdocs.yml's lines (yaml.safe_dump sorts the keys).
        "error: tipweek option 'per_page' must be at least 1",
        f"error: tipweek option 'publish_weekday' must be one of: {', '.join(WEEKDAYS)}",
        "error: tipweek option 'urls.tip' must end with '/' (a folder URL such as 'tags/')",
    ]
