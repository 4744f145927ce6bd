"""The pure paginator and pager window, as tables."""

from __future__ import annotations

import pytest

from tipweek.core.paging import page_url, pager_window, paginate


@pytest.mark.parametrize(
    ("count", "per_page", "sizes"),
    [
        (0, 10, [0]),
        (1, 10, [1]),
        (10, 10, [10]),
        (11, 10, [10, 1]),
        (137, 10, [10] * 13 + [7]),
        (5, 2, [2, 2, 1]),
    ],
)
def test_paginate_splits_items_in_order(count, per_page, sizes):
    pages = paginate(list(range(count)), per_page)
    assert [len(page.items) for page in pages] == sizes
    assert [item for page in pages for item in page.items] == list(range(count))
    assert [page.number for page in pages] == list(range(1, len(sizes) + 1))
    assert {page.total for page in pages} == {len(sizes)}


def test_paginate_refuses_a_zero_page_size():
    with pytest.raises(ValueError):
        paginate([1], 0)


G = None  # a gap, shown as …


@pytest.mark.parametrize(
    ("current", "total", "edge", "around", "window"),
    [
        (1, 1, 2, 2, [1]),
        (1, 5, 2, 2, [1, 2, 3, 4, 5]),
        (1, 28, 2, 2, [1, 2, 3, G, 27, 28]),
        (20, 28, 2, 2, [1, 2, G, 18, 19, 20, 21, 22, G, 27, 28]),
        (28, 28, 2, 2, [1, 2, G, 26, 27, 28]),
        (20, 28, 2, 1, [1, 2, G, 19, 20, 21, G, 27, 28]),
        (20, 28, 1, 1, [1, G, 19, 20, 21, G, 28]),
        # A gap hiding one page shows the page instead.
        (5, 10, 2, 1, [1, 2, 3, 4, 5, 6, G, 9, 10]),
        (186, 186, 2, 2, [1, 2, G, 184, 185, 186]),
    ],
)
def test_pager_window(current, total, edge, around, window):
    assert pager_window(current, total, edge, around) == window


@pytest.mark.parametrize(("current", "total"), [(0, 3), (4, 3), (1, 0)])
def test_pager_window_rejects_pages_outside_the_listing(current, total):
    with pytest.raises(ValueError):
        pager_window(current, total)


def test_page_one_is_the_listing_itself():
    assert page_url("tags/x/", 1) == "tags/x/"
    assert page_url("tags/x/", 3) == "tags/x/page/3/"
    assert page_url("", 2) == "page/2/"
