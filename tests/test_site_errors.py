"""Bad tips fail the build cleanly: every problem listed, no traceback, old site kept."""

from __future__ import annotations

import pytest
from conftest import tip_text
from mkdocs.exceptions import Abort


def error_lines(messages: list[str]) -> list[str]:
    return [m for m in messages if ": error: " in m]


def test_every_problem_of_every_file_is_listed_and_nothing_is_built(make_site):
    make_site.add_weekly_tips(3)
    good = make_site.build()
    home_before = good.path("/").read_bytes()

    make_site.write(
        "tips/2025/2025-07-01-bad-date.md", "---\ntitle: Bad date\ndate: 2025-13-01\n---\nx\n"
    )
    make_site.write(
        "tips/2025/2025-07-08-no-title.md", "---\ndate: 2025-07-08\ntags: [ok, 5]\n---\nx\n"
    )
    make_site.write(
        "tips/2025/2025-07-15-broken.md", "---\ntitle: Broken\ndate: 2025-07-15\ntags: [a\n---\n"
    )
    make_site.write("tips/2025/2025-07-22-dup.md", tip_text("Dup", "2025-07-22"))
    make_site.write("tips/2025/2025-07-22-dup-again.md", tip_text("Dup", "2025-07-22", slug="dup"))
    with pytest.raises(Abort):
        make_site.build()
    errors = error_lines(make_site.messages())
    assert sorted(errors) == sorted(
        [
            "tips/2025/2025-07-01-bad-date.md:3: error: date '2025-13-01' is not a valid date "
            "(month must be in 1..12)",
            "tips/2025/2025-07-08-no-title.md:4: error: 'title' is missing from the front matter",
            "tips/2025/2025-07-08-no-title.md:3: error: every entry of 'tags' must be text, got int 5",
            "tips/2025/2025-07-15-broken.md:5: error: front matter is not valid YAML: "
            "did not find expected ',' or ']' (while parsing a flow sequence that starts on line 4)",
            "tips/2025/2025-07-22-dup.md:2: error: URL /2025/07/22/dup/ is also claimed by "
            "tips/2025/2025-07-22-dup-again.md; give one of them another 'slug:' or date",
        ]
    )
    assert any(
        "5 problems in tips/" in m and "previous site is untouched" in m
        for m in make_site.messages()
    )
    # on_pre_build failed before MkDocs cleaned site_dir: the last good site is still there.
    assert good.path("/").read_bytes() == home_before


def test_an_alias_may_not_replace_a_listing_or_a_page(make_site):
    make_site.write("docs/about.md", "# About\n")
    make_site.add_tip("A", "2025-07-01", aliases=["/about/", "/tags/"])
    with pytest.raises(Abort):
        make_site.build()
    assert sorted(error_lines(make_site.messages())) == [
        "tips/2025/2025-07-01-a.md:4: error: URL /about/ is already the page docs/about.md",
        "tips/2025/2025-07-01-a.md:4: error: URL /tags/ is already the tag index",
    ]


def test_warnings_are_reported_and_fail_only_strict_builds(make_site):
    make_site.write(
        "tips/2025/2025-07-01-a.md", "---\ntitle: A\ndate: 2025-07-01\nsumary: typo\n---\nx\n"
    )
    site = make_site.build(strict=False)
    assert site.exists("/2025/07/01/a/")
    assert (
        "tips/2025/2025-07-01-a.md:4: warning: unknown front-matter key 'sumary'; did you mean 'summary'?"
        in (make_site.messages())
    )
    with pytest.raises(Abort):
        make_site.build(strict=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
        (
            {"urls": {"tip": "{slug}.html"}},
            "option 'urls': Sub-option 'tip': must end with '/' (a folder URL",
        ),
        ({"per_page": 0}, "option 'per_page': must be at least 1"),
    ],
)
def test_bad_plugin_options_are_config_errors(make_site, options, message):
    with pytest.raises(Abort):
        make_site.build(options)
    assert any(message in m for m in make_site.messages()), make_site.messages()
