"""Pagination math and the pager window, free of any template or MkDocs concern.

`pager_window(20, 28)` gives `[1, 2, None, 18, 19, 20, 21, 22, None, 27, 28]`:
the first pages, a window around the current one, the last pages, and `None`
where the pager shows `…`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PageOfTips(Generic[T]):
    """One page of a paged listing: its 1-based number, the total, and its items."""

    number: int
    total: int
    items: Sequence[T]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.total


def paginate(items: Sequence[T], per_page: int) -> list[PageOfTips[T]]:
    """Split items into pages; an empty listing is still one (empty) page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    total = max(1, -(-len(items) // per_page))
    return [
        PageOfTips(number, total, items[(number - 1) * per_page : number * per_page])
        for number in range(1, total + 1)
    ]


def pager_window(current: int, total: int, edge: int = 2, around: int = 2) -> list[int | None]:
    """Page numbers to show, with None for a gap.

    `edge` pages are always shown at each end and `around` pages on each side
    of the current one.  A gap that would hide a single page shows that page
    instead: `1 2 … 4` is longer to read than `1 2 3 4`.
    """
    if total < 1 or not 1 <= current <= total:
        raise ValueError(f"page {current} is not within 1..{total}")
    shown = set(range(1, min(edge, total) + 1))
    shown |= set(range(max(1, total - edge + 1), total + 1))
    shown |= set(range(max(1, current - around), min(total, current + around) + 1))
    window: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous == 2:
            window.append(previous + 1)
        elif number - previous > 2:
            window.append(None)
        window.append(number)
        previous = number
    return window


def page_url(base: str, number: int, pattern: str = "page/{n}/") -> str:
    """URL of page `number` of a listing at `base`; page 1 is the base itself."""
    return base if number == 1 else base + pattern.format(n=number)
