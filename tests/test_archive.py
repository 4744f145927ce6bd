"""The archive: order, tags, years, neighbours, scheduling and URL collisions."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tipweek.core.archive import Archive, select_tips, url_collisions
from tipweek.core.slugs import slugify, tag_slug
from tipweek.core.tips import Tip, parse_tip
from tipweek.core.urls import UrlScheme

UTC = ZoneInfo("UTC")


def tip(title: str, day: str, *, tags=(), slug=None, draft=False, aliases=()) -> Tip:
    lines = [
        f"title: {title}",
        f"date: {day}",
        f"tags: {list(tags)}",
        f"draft: {str(draft).lower()}",
    ]
    if slug:
        lines.append(f"slug: {slug}")
    if aliases:
        lines.append(f"aliases: {list(aliases)}")
    name = slug or slugify(title)
    result, problems = parse_tip(
        "---\n" + "\n".join(lines) + "\n---\nBody\n", f"tips/{day}-{name}.md", UTC
    )
    assert result is not None, problems
    return result


def test_tips_are_newest_first_with_neighbours():
    a, b, c = tip("A", "2025-01-07"), tip("B", "2025-01-14"), tip("C", "2025-01-21")
    archive = Archive([b, c, a])
    assert [t.title for t in archive.tips] == ["C", "B", "A"]
    assert archive.older(b) is a and archive.newer(b) is c
    assert archive.older(a) is None and archive.newer(c) is None


def test_tags_group_case_insensitively_under_an_ascii_slug():
    archive = Archive(
        [
            tip("A", "2025-01-07", tags=["Phone Skills"]),
            tip("B", "2025-01-14", tags=["phone skills", "Café"]),
            tip("C", "2025-01-21", tags=["phone skills", "cafe"]),
        ]
    )
    assert list(archive.tags) == ["cafe", "phone-skills"]
    phone = archive.tags["phone-skills"]
    assert phone.name == "phone skills"  # the spelling most tips use
    assert [t.title for t in phone.tips] == ["C", "B", "A"]


def test_configured_tag_titles_win():
    archive = Archive([tip("A", "2025-01-07", tags=["faq"])], {"faq": "FAQ"})
    assert archive.tags["faq"].name == "FAQ"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Phone Skills", "phone-skills"),
        ("  phone   skills ", "phone-skills"),
        ("Déjà Vu", "deja-vu"),
        ("C++", "c-plus-plus"),
        ("Q&A", "q-and-a"),
        ("--edge--", "edge"),
        ("Don't Rush", "dont-rush"),
        ("Here\u2019s What I Can Do", "heres-what-i-can-do"),
    ],
)
def test_tag_slugs(name, slug):
    assert tag_slug(name) == slug


def test_tags_without_ascii_letters_get_a_stable_ascii_slug():
    assert tag_slug("خدمة") == tag_slug("خدمة")
    assert tag_slug("خدمة").startswith("tag-") and tag_slug("خدمة").isascii()
    assert tag_slug("服务") != tag_slug("خدمة")


def test_years_group_newest_first():
    archive = Archive([tip("A", "2024-12-31"), tip("B", "2025-01-07"), tip("C", "2025-06-03")])
    assert list(archive.years) == [2025, 2024]
    assert [t.title for t in archive.years[2025]] == ["C", "B"]


def test_drafts_and_future_tips_are_not_selected_unless_previewing():
    now = datetime(2025, 1, 15, tzinfo=UTC)
    past, future, draft = (
        tip("A", "2025-01-14"),
        tip("B", "2025-01-21"),
        tip("C", "2025-01-07", draft=True),
    )
    assert select_tips([past, future, draft], now) == [past]
    assert select_tips([past, future, draft], now, drafts=True, scheduled=True) == [
        past,
        future,
        draft,
    ]


def test_two_tips_with_one_url_name_both_files():
    first = tip("Be Brief", "2025-01-07")
    second = tip("Be Brief!", "2025-01-07", slug="be-brief")
    problems = url_collisions([first, second], UrlScheme().tip_url)
    assert len(problems) == 1
    message = str(problems[0])
    assert "2025/01/07/be-brief/" in message
    assert first.source in message and second.source in message


def test_aliases_may_not_take_a_reserved_page():
    moved = tip("Moved", "2025-01-07", aliases=["/tags/"])
    problems = url_collisions([moved], UrlScheme().tip_url, {"tags/": "the tag index"})
    assert [p.message for p in problems] == ["URL /tags/ is already the tag index"]
