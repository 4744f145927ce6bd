"""The same site on every editor's laptop: builds where Linux's extras are missing.

Windows and macOS lack what the build uses on Linux (`renameat2`, `flock`,
`sched_getaffinity`, on Windows `fork`); their absence is simulated here, so the
fallbacks run on every machine the suite runs on.
"""

from __future__ import annotations

import ctypes

import pytest
from conftest import add_five_tagged_tips

import tipweek.core.site_dir as site_dir_module


def leftovers(root) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".tipweek-new" in p.name or "-gone-" in p.name)


@pytest.fixture
def windows_ctypes(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ctypes.CDLL(None)` raises TypeError, as Windows' does."""
    real = ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if name is None:
            raise TypeError("argument of type 'NoneType' is not iterable")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(ctypes, "CDLL", cdll)
    site_dir_module._renameat2.cache_clear()
    yield
    site_dir_module._renameat2.cache_clear()


def test_builds_again_and_again_where_cdll_refuses_none(make_site, windows_ctypes):
    add_five_tagged_tips(make_site)
    for n in range(6, 9):
        make_site.add_tip(f"Tip {n}", f"2025-0{n}-07", "New.")
        site = make_site.build()
        assert site.exists(f"2025/0{n}/07/tip-{n}/")
        assert leftovers(make_site.root) == []
