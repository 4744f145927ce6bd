"""Related tips: rarity-weighted shared tags, then date, then URL; never unpublished."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipweek.core.related import _Index, _slugs, related_tips
from tipweek.core.tips import Tip, parse_tip
from tipweek.core.urls import UrlScheme

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SCHEME = UrlScheme()


def tip(title: str, day: str, tags=(), *, draft: bool = False) -> Tip:
    text = f"---\ntitle: {title}\ndate: {day}\ntags: {list(tags)}\ndraft: {str(draft).lower()}\n---\nBody\n"
    result, problems = parse_tip(text, f"tips/{day}-{title.lower()}.md", UTC)
    assert result is not None, problems
    return result


def titles(related: dict[str, tuple[Tip, ...]], of: Tip) -> list[str]:
    return [t.title for t in related[of.source]]


def related(tips: list[Tip], limit: int = 3) -> dict[str, tuple[Tip, ...]]:
    return related_tips(tips, now=NOW, url_of=SCHEME.tip_url, limit=limit)


def test_a_rare_shared_tag_outweighs_a_common_one():
    me = tip("Me", "2025-06-03", ["common", "rare"])
    common = [tip(f"C{n}", f"2025-05-{n:02d}", ["common"]) for n in range(1, 9)]
    rare = tip("Rare", "2020-01-07", ["rare"])  # old, but shares the rare tag
    both = tip("Both", "2019-01-01", ["rare", "common"])  # the oldest, shares both
    result = related([me, *common, rare, both])
    # common: 10 tips (1/ln 11 = 0.42); rare: 3 tips (1/ln 4 = 0.72).
    assert titles(result, me) == ["Both", "Rare", "C8"]


def test_ties_go_to_the_newer_tip_then_the_smaller_url():
    me = tip("Me", "2025-06-03", ["x"])
    older = tip("Older", "2025-01-07", ["x"])
    b = tip("Bravo", "2025-03-04", ["x"])
    a = tip("Alpha", "2025-03-04", ["x"])  # same day as Bravo: /2025/03/04/alpha/ first
    assert titles(related([me, older, b, a]), me) == ["Alpha", "Bravo", "Older"]
    assert titles(related([a, b, older, me], limit=2), me) == ["Alpha", "Bravo"]


def test_drafts_and_scheduled_tips_are_never_suggested_but_may_get_suggestions():
    me = tip("Me", "2025-06-03", ["x"])
    draft = tip("Draft", "2025-07-01", ["x"], draft=True)
    scheduled = tip("Later", "2026-02-03", ["x"])  # after NOW
    published = tip("Shown", "2024-01-02", ["x"])
    result = related([me, draft, scheduled, published])
    assert titles(result, me) == ["Shown"]
    # A preview of the draft lists published tips only.
    assert titles(result, draft) == ["Me", "Shown"]
    assert titles(result, scheduled) == ["Me", "Shown"]


def test_no_shared_tag_no_related_tips_and_zero_turns_them_off():
    a, b = tip("A", "2025-01-07", ["x"]), tip("B", "2025-01-14", ["y"])
    untagged = tip("C", "2025-01-21")
    result = related([a, b, untagged])
    assert result == {a.source: (), b.source: (), untagged.source: ()}
    assert related([a, tip("D", "2025-02-04", ["x"])], limit=0)[a.source] == ()


def test_tag_spellings_are_one_tag():
    me = tip("Me", "2025-06-03", ["Phone Skills"])
    other = tip("Other", "2025-01-07", ["phone skills"])
    assert titles(related([me, other]), me) == ["Other"]


def random_archive(rng: random.Random, count: int, tag_count: int) -> list[Tip]:
    tags = [f"t{n}" for n in range(tag_count)]
    start = date(2015, 1, 6)
    tips = []
    for n in range(count):
        # Some tips share a day, so the URL tie-break is exercised too.
        day = start + timedelta(weeks=rng.randrange(count // 2 + 1))
        chosen = rng.sample(tags, rng.randint(0, min(5, tag_count)))
        tips.append(tip(f"T{n}", day.isoformat(), chosen, draft=rng.random() < 0.1))
    return tips


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), count=st.integers(1, 40), tag_count=st.integers(1, 9))
def test_the_level_walk_gives_the_same_answer_as_counting_every_score(seed, count, tag_count):
    tips = random_archive(random.Random(seed), count, tag_count)
    result = related(tips, limit=4)
    index = _Index([t for t in tips if t.is_published(NOW)], SCHEME.tip_url)
    for one in tips:
        own = sorted(slug for slug in _slugs(one) if slug in index.members)
        expected = index.related_by_counting(own, index.position.get(one.source, -1), 4)
        assert result[one.source] == tuple(index.candidates[n] for n in expected)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_answer_does_not_depend_on_input_order(seed):
    tips = random_archive(random.Random(seed), 60, 6)
    shuffled = tips[:]
    random.Random(seed + 100).shuffle(shuffled)
    assert related(tips) == related(shuffled)


class _CountingTags(list):
    """An `_Index.tags` that counts how many times a tip's tags are looked at."""

    looked = 0

    def __getitem__(self, number):
        type(self).looked += 1
        return super().__getitem__(number)


def _tags_looked_at(count: int, limit: int = 3) -> int:
    """Tips with four of twelve tags each, no two alike: each tip's best subset is its
    own, shared by no other tip, and every tag is carried by a third of the archive."""
    combos = list(itertools.combinations([f"t{n}" for n in range(12)], 4))
    random.Random(7).shuffle(combos)
    start = date(2000, 1, 4)
    tips = [tip(f"T{n}", (start + timedelta(weeks=n)).isoformat(), combos[n]) for n in range(count)]
    index = _Index(tips, SCHEME.tip_url)
    _CountingTags.looked = 0
    index.tags = _CountingTags(index.tags)
    for one in tips:
        assert len(index.related(one, limit)) == limit
    return _CountingTags.looked


def test_the_level_walk_looks_at_a_bounded_number_of_tips_per_tip():
    # A subset's stream passes over at most `limit` tips sharing more (a higher level
    # took them) and looks one tip ahead: 15 subsets of 4 tags, at most 2 * (3 + 1) each.
    small, large = _tags_looked_at(120), _tags_looked_at(480)
    assert small <= 120 * 15 * 8
    assert large <= 480 * 15 * 8
    # Four times the tips, four times the work (scanning the rarest tag's list was 16 times).
    assert large <= 4 * small * 1.25
