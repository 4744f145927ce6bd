"""Related tips: the few published tips sharing the most (and the rarest) tags with a tip.

A shared tag counts for more the fewer tips carry it: sharing "escalation" (6 tips)
says more than sharing "phone skills" (400).  Each shared tag adds
`1 / ln(1 + n)`, `n` being how many published tips carry it.  Ties go to the newer
tip, then to the smaller URL, so the list never depends on file-system order.

Only published tips are ever suggested (never a draft, never a tip scheduled after
"now"), even on a preview that shows those.  Pure code: no MkDocs.

Cost: adding up scores over an inverted index is quadratic in a common tag's size
(2.4 s for 2,000 tips with the benchmark corpus' skew).  A score is a sum over the
subset of the tip's tags another tip shares, so instead the few possible scores
are walked from the top, each a merge of lists already in tie-break order,
stopping at `limit` tips.

Each list holds the tips carrying *all* of a subset's tags (`_Index.containing`,
made once from every tip's own subsets).  Scanning the rarest tag's list instead
was quadratic again (5 s at 20,000 tips): a subset few tips share in full made each
tip read most of that list.  In a list of every tip carrying the subset, a tip
that shares *more* of the tip's tags is one a higher level took already, so each
stream passes over at most `limit` tips before it yields: the walk costs
`O(2**tags * limit)` a tip, whatever the archive's size.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime

from tipweek.core.slugs import tag_slug
from tipweek.core.tips import Tip

#: Scores are rounded to this many decimals, so two float sums that differ only
#: in their last bit (added in another order) still tie, and ties are broken by rule.
_DIGITS = 9
#: A tip with more tags than this has too many subsets to walk; its scores are counted.
_MAX_SUBSET_TAGS = 8


def related_tips(
    tips: Sequence[Tip],
    *,
    now: datetime,
    url_of: Callable[[Tip], str],
    limit: int = 3,
) -> dict[str, tuple[Tip, ...]]:
    """For each tip (by `source`), up to `limit` related published tips, best first."""
    index = _Index([tip for tip in tips if tip.is_published(now)], url_of)
    return {tip.source: index.related(tip, limit) for tip in tips}


class _Index:
    """Published tips by tag, each tag's list in tie-break order (newest, then URL)."""

    def __init__(self, candidates: list[Tip], url_of: Callable[[Tip], str]) -> None:
        self.candidates = candidates
        self.tags = [frozenset(_slugs(tip)) for tip in candidates]
        self.order = [(-tip.date.timestamp(), url_of(tip)) for tip in candidates]
        self.position = {tip.source: number for number, tip in enumerate(candidates)}
        members: dict[str, list[int]] = defaultdict(list)
        for number, tags in enumerate(self.tags):
            for slug in tags:
                members[slug].append(number)
        for numbers in members.values():
            numbers.sort(key=self.order.__getitem__)
        self.members = dict(members)
        self.weight = {slug: 1.0 / math.log(1 + len(numbers)) for slug, numbers in members.items()}
        self.containing, self.wide = self._subsets()

    def _subsets(self) -> tuple[dict[tuple[str, ...], list[int]], list[int]]:
        """Per subset of two or more tags (sorted slugs), the tips carrying all of them,
        in tie-break order; and, in that order, the tips with too many tags to list
        under every subset (the level walk scans those for every subset)."""
        containing: dict[tuple[str, ...], list[int]] = defaultdict(list)
        wide: list[int] = []
        for number in sorted(range(len(self.candidates)), key=self.order.__getitem__):
            slugs = sorted(self.tags[number])
            if len(slugs) > _MAX_SUBSET_TAGS:
                wide.append(number)
                continue
            for size in range(2, len(slugs) + 1):
                for subset in itertools.combinations(slugs, size):
                    containing[subset].append(number)
        return dict(containing), wide

    def score(self, shared: Iterable[str]) -> float:
        # Always added in slug order, so equal sets of shared tags give equal floats.
        return round(sum(self.weight[slug] for slug in sorted(shared)), _DIGITS)

    def related(self, tip: Tip, limit: int) -> tuple[Tip, ...]:
        own = sorted(slug for slug in _slugs(tip) if slug in self.members)
        if limit <= 0 or not own:
            return ()
        skip = self.position.get(tip.source, -1)
        if len(own) > _MAX_SUBSET_TAGS:
            picked = self.related_by_counting(own, skip, limit)
        else:
            picked = self._related_by_levels(own, skip, limit)
        return tuple(self.candidates[number] for number in picked)

    def _related_by_levels(self, own: list[str], skip: int, limit: int) -> list[int]:
        """The best tips, walking score levels from the top: a score is a subset of the
        tip's tags, shared exactly, so each level is a merge of ready-sorted tag lists."""
        own_set = frozenset(own)
        levels: dict[float, list[tuple[str, ...]]] = defaultdict(list)
        for size in range(1, len(own) + 1):
            for shared in itertools.combinations(own, size):
                levels[self.score(shared)].append(shared)
        picked: list[int] = []
        for score in sorted(levels, reverse=True):
            streams = [self._sharing_exactly(shared, own_set) for shared in levels[score]]
            for number in heapq.merge(*streams, key=self.order.__getitem__):
                if number != skip:
                    picked.append(number)
                    if len(picked) == limit:
                        return picked
        return picked

    def _sharing_exactly(self, shared: tuple[str, ...], own: frozenset[str]) -> Iterator[int]:
        """Tips whose tags meet `own` in exactly `shared`, in tie-break order.

        `shared` is sorted (a combination of the sorted `own`), as `containing`'s keys."""
        wanted = frozenset(shared)
        tags = self.tags
        if len(shared) == 1:
            return (n for n in self.members[shared[0]] if tags[n] & own == wanted)
        listed = (n for n in self.containing.get(shared, ()) if tags[n] & own == wanted)
        if not self.wide:
            return listed
        unlisted = (n for n in self.wide if tags[n] & own == wanted)
        return heapq.merge(listed, unlisted, key=self.order.__getitem__)

    def related_by_counting(self, own: list[str], skip: int, limit: int) -> list[int]:
        """The same answer by adding up every sharing tip's score: the reference the
        level walk is tested against, and the way for a tip with very many tags."""
        shared: dict[int, list[str]] = defaultdict(list)
        for slug in own:
            for number in self.members[slug]:
                shared[number].append(slug)
        shared.pop(skip, None)
        scores = {number: self.score(slugs) for number, slugs in shared.items()}
        return heapq.nsmallest(
            limit, scores, key=lambda number: (-scores[number], *self.order[number])
        )


def _slugs(tip: Tip) -> set[str]:
    return {tag_slug(name) for name in tip.tags}
