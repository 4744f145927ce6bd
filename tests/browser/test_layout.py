"""The layout readers see, checked from bounding boxes in Chromium, on a desktop and a phone.

Markup tests cannot see a pager whose items stack in a column because a theme rule
outranks ours; these checks measure where things are drawn.  A full-page screenshot
of each page kind is kept in `$TIPWEEK_ARTEFACTS` (default `test-artefacts/`,
git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from served_site import DESKTOP

from browser.browser_reader import Reader

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("TIPWEEK_ARTEFACTS", REPO / "test-artefacts"))

PAGE_KINDS = {
    "home": "/",
    "archive-page": "/page/2/",
    "tag": "/tags/training/",
    "tag-page": "/tags/training/page/2/",
    "tags-index": "/tags/",
    "year": "/2026/",
    "tip": "/2026/06/30/train-with-real-transcripts/",
    "not-found": "/404.html",
}
# Half a pixel of rounding either way.
SLACK = 0.5


def boxes(reader: Reader, selector: str) -> list[dict[str, float]]:
    return reader.page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, top: r.top, bottom: r.bottom, left: r.left,"
        " right: r.right, width: r.width, height: r.height}; })",
    )


def rows(items: list[dict[str, float]]) -> list[list[dict[str, float]]]:
    """Group boxes into lines by their vertical centre."""
    lines: list[list[dict[str, float]]] = []
    for box in sorted(items, key=lambda b: (b["top"], b["left"])):
        centre = (box["top"] + box["bottom"]) / 2
        if lines and lines[-1][0]["top"] - SLACK <= centre <= lines[-1][0]["bottom"] + SLACK:
            lines[-1].append(box)
        else:
            lines.append([box])
    return lines


def assert_wraps_only_when_full(lines: list[list[dict[str, float]]], right_edge: float) -> None:
    """Items flow in rows: an item starts a new line only when it did not fit on the last one."""
    for above, line in pairwise(lines):
        first = line[0]
        assert above[-1]["right"] + first["width"] > right_edge - SLACK, (
            f"an item of {first['width']:.0f}px wrapped although the line above ended at "
            f"{above[-1]['right']:.0f}px of {right_edge:.0f}px"
        )


def assert_no_horizontal_overflow(reader: Reader) -> None:
    widths = reader.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]}px in {widths[1]}px"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_kind_fits_and_is_kept_as_a_screenshot(reader: Reader, viewport, kind: str) -> None:
    reader.open(PAGE_KINDS[kind])
    assert_no_horizontal_overflow(reader)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    reader.page.screenshot(
        path=str(ARTEFACTS / f"{kind}-{viewport.name}.png"), full_page=True, animations="disabled"
    )
    reader.assert_clean()


@pytest.mark.parametrize("path", ["/", "/page/2/", "/tags/training/"])
def test_pager_items_sit_in_one_row(reader: Reader, path: str) -> None:
    reader.open(path)
    items = boxes(reader, "nav.tw-pager li")
    assert len(items) >= 3
    lines = rows(items)
    # The sample's pagers are short enough for one line on a 390 px phone.
    assert len(lines) == 1, f"pager items drawn on {len(lines)} lines: {lines}"
    lefts = [box["left"] for box in lines[0]]
    assert lefts == sorted(lefts)
    for left, right in pairwise(lines[0]):
        assert left["right"] <= right["left"] + SLACK, "pager items overlap"
    for box in items:
        assert box["height"] < 60, "a pager item is drawn as a tall block"
    assert_no_horizontal_overflow(reader)
    reader.assert_clean()


def test_entries_read_title_date_excerpt_read_more(reader: Reader) -> None:
    reader.open("/")
    entries = reader.page.locator("article.h-entry")
    assert entries.count() == 10
    for index in range(entries.count()):
        entry = entries.nth(index)
        title = entry.locator(".p-name").bounding_box()
        when = entry.locator("time.dt-published").bounding_box()
        excerpt = entry.locator(".p-summary").bounding_box()
        more = entry.locator(".tw-entry__more a").bounding_box()
        assert title and when and excerpt and more
        # The date follows the title: to its right on the same line, or wrapped below it.
        same_line = abs((title["y"] + title["height"]) - (when["y"] + when["height"])) < 4
        assert (same_line and when["x"] > title["x"]) or when["y"] >= title["y"] + SLACK
        assert excerpt["y"] >= max(title["y"] + title["height"], when["y"] + when["height"]) - SLACK
        assert more["y"] >= excerpt["y"] + excerpt["height"] - SLACK
    # Entries are stacked, newest first, each below the one before.
    tops = [box["top"] for box in boxes(reader, "article.h-entry")]
    assert tops == sorted(tops)
    reader.assert_clean()


def test_tip_page_byline_and_call_to_action(reader: Reader, viewport) -> None:
    reader.open(PAGE_KINDS["tip"])
    content = reader.page.locator(".e-content").bounding_box()
    byline = reader.page.locator(".tw-byline").bounding_box()
    assert content and byline
    assert byline["y"] >= content["y"] + content["height"] - SLACK, "author box above the tip"
    assert byline["width"] >= content["width"] * 0.9, "author box narrower than the tip"

    buttons = boxes(reader, ".tw-cta .md-button")
    assert len(buttons) == 4
    for box in buttons:
        assert box["top"] >= byline["y"] + byline["height"] - SLACK
        assert box["height"] < 80, "a call-to-action button is drawn as a tall block"
    lines = rows(buttons)
    assert len(lines) < len(buttons), "each call-to-action button on a line of its own"
    footer = reader.page.locator(".tw-cta").bounding_box()
    assert footer
    assert_wraps_only_when_full(lines, footer["x"] + footer["width"])
    assert_no_horizontal_overflow(reader)
    reader.assert_clean()


def test_related_tips_and_reply_button_sit_under_the_byline(reader: Reader, viewport) -> None:
    reader.open(PAGE_KINDS["tip"])
    byline = reader.page.locator(".tw-byline").bounding_box()
    heading = reader.page.locator(".tw-related__title").bounding_box()
    assert byline and heading
    assert heading["y"] >= byline["y"] + byline["height"] - SLACK
    items = boxes(reader, ".tw-related__list > li")
    assert len(items) == 3
    # A list, one tip a line (no bullets pushed off the left edge), each line short.
    tops = [box["top"] for box in items]
    assert tops == sorted(tops) and len(rows(items)) == 3
    assert {round(box["left"]) for box in items} == {round(heading["x"])}
    for box in items:
        assert box["height"] < 80
    for link, when in zip(
        boxes(reader, ".tw-related__list .p-name"),
        boxes(reader, ".tw-related__list time"),
        strict=True,
    ):
        assert when["left"] >= link["right"] - SLACK or when["top"] >= link["bottom"] - SLACK
    cta = reader.page.locator(".tw-cta").bounding_box()
    reply = reader.page.get_by_role("link", name="Reply by email").bounding_box()
    assert cta and reply
    assert reply["y"] >= cta["y"] + cta["height"] - SLACK, "reply button above the call to action"
    assert reply["height"] < 80 and reply["width"] < viewport.width
    assert_no_horizontal_overflow(reader)
    reader.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_the_call_to_action_row_is_one_line_on_a_desktop(reader: Reader) -> None:
    reader.open(PAGE_KINDS["tip"])
    buttons = boxes(reader, ".tw-cta .md-button")
    assert len(buttons) == 4
    lines = rows(buttons)
    assert len(lines) == 1, f"call-to-action buttons on {len(lines)} lines: {lines}"
    reader.assert_clean()


def test_comments_have_a_heading_and_do_not_look_like_the_call_to_action(reader: Reader) -> None:
    reader.open(PAGE_KINDS["tip"])
    cta = reader.page.locator(".tw-cta").bounding_box()
    heading = reader.page.get_by_role("heading", name="Leave a Reply")
    reply = reader.page.get_by_role("link", name="Reply by email")
    assert heading.is_visible() and reply.is_visible()
    top = heading.bounding_box()
    link = reply.bounding_box()
    assert cta and top and link
    # Below the buttons, the heading first, then the link.
    assert top["y"] >= cta["y"] + cta["height"] - SLACK
    assert link["y"] >= top["y"] + top["height"] - SLACK
    # Drawn unlike the buttons: not a bordered, padded box of the same look.
    look = (
        "e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.borderTopWidth,"
        " s.paddingLeft, s.backgroundColor, s.textDecorationLine]; }"
    )
    button_look = reader.page.locator(".tw-cta .md-button").last.evaluate(look)
    reply_look = reply.evaluate(look)
    assert reply_look != button_look
    assert reply_look[0] == "none" or reply_look[1] == "0px", reply_look
    assert "underline" in reply_look[4], reply_look
    reader.assert_clean()


LONG_TIP = "---\ntitle: Tip {n}\ndate: {day}\n---\nBody of tip {n}.\n"


@pytest.fixture(scope="module")
def long_archive_url(tmp_path_factory: pytest.TempPathFactory):
    """A site of 150 weekly tips (15 archive pages): pagers with every part (« Previous,
    gaps, a window of five, Next »), longer than a phone's width."""
    from served_site import SAMPLE_EPOCH, serve

    root = tmp_path_factory.mktemp("long-archive")
    (root / "mkdocs.yml").write_text(
        "site_name: Long\nsite_url: https://example.org/\n"
        "theme: {name: material, font: false}\nplugins: [tipweek]\n",
        encoding="utf-8",
    )
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    first = date(2020, 1, 7)
    for n in range(150):
        day = first + timedelta(weeks=n)
        path = root / "tips" / str(day.year) / f"{day.isoformat()}-tip-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LONG_TIP.format(n=n, day=day.isoformat()), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    with serve(root / "site") as base_url:
        yield base_url


@pytest.mark.parametrize("path", ["/", "/page/2/", "/page/8/", "/page/14/", "/page/15/"])
def test_previous_and_next_never_sit_alone_on_a_row(reader: Reader, long_archive_url, path) -> None:
    reader.base_url = long_archive_url
    reader.open(path)
    items = boxes(reader, "nav.tw-pager li")
    ends = boxes(reader, "nav.tw-pager li:has(> a[rel=prev]), nav.tw-pager li:has(> a[rel=next])")
    assert ends
    lines = rows(items)
    # « Previous and Next » share their row with a page number or with each other.
    for line in lines:
        if any(end in line for end in ends):
            assert len(line) >= 2, f"a pager end alone on its row: {lines}"
    assert_no_horizontal_overflow(reader)
    reader.assert_clean()
