"""The set of published tips: order, tags, years, neighbours, and cross-file checks.

Everything here is computed once per build into dicts and tuples, so that page
events look things up instead of scanning the archive for every page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tipweek.core.site_paths import fold, output_path
from tipweek.core.slugs import tag_slug
from tipweek.core.tips import Tip, TipError


@dataclass(frozen=True)
class Tag:
    """A tag as readers see it: one slug, one display name, its tips newest first."""

    slug: str
    name: str
    tips: tuple[Tip, ...]


def select_tips(
    tips: Iterable[Tip], now: datetime, *, drafts: bool = False, scheduled: bool = False
) -> list[Tip]:
    """The tips a build shows: published ones, plus drafts/scheduled when previewing."""
    return [tip for tip in tips if (drafts or not tip.draft) and (scheduled or tip.date <= now)]


class Archive:
    """Tips newest first, grouped by tag and by year, with O(1) neighbour lookups."""

    def __init__(self, tips: Iterable[Tip], tag_names: dict[str, str] | None = None) -> None:
        # Newest first; the slug breaks ties so the order never depends on file-system order.
        self.tips: tuple[Tip, ...] = tuple(
            sorted(tips, key=lambda tip: (tip.date, tip.slug), reverse=True)
        )
        self._position = {tip.source: index for index, tip in enumerate(self.tips)}
        self.tags = _group_tags(self.tips, tag_names or {})
        self.years = _group_years(self.tips)

    def __len__(self) -> int:
        return len(self.tips)

    def older(self, tip: Tip) -> Tip | None:
        index = self._position[tip.source] + 1
        return self.tips[index] if index < len(self.tips) else None

    def newer(self, tip: Tip) -> Tip | None:
        index = self._position[tip.source] - 1
        return self.tips[index] if index >= 0 else None

    def tags_of(self, tip: Tip) -> list[Tag]:
        """The tip's tags as archive tags (shared slug and display name), in the tip's order."""
        return [self.tags[tag_slug(name)] for name in tip.tags]


def _group_tags(tips: tuple[Tip, ...], tag_names: dict[str, str]) -> dict[str, Tag]:
    members: dict[str, list[Tip]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for tip in tips:
        for name in tip.tags:
            slug = tag_slug(name)
            if not members[slug] or members[slug][-1] is not tip:
                members[slug].append(tip)
            spellings[slug][name] += 1
    tags = {}
    for slug, group in members.items():
        # The display name: the one configured in tags.yml, else the spelling
        # most tips use (ties go to the alphabetically first, for stable output).
        common = min(spellings[slug].items(), key=lambda item: (-item[1], item[0]))[0]
        tags[slug] = Tag(slug=slug, name=tag_names.get(slug, common), tips=tuple(group))
    return dict(sorted(tags.items(), key=lambda item: item[1].name.casefold()))


def _group_years(tips: tuple[Tip, ...]) -> dict[int, tuple[Tip, ...]]:
    years: dict[int, list[Tip]] = defaultdict(list)
    for tip in tips:
        years[tip.date.year].append(tip)
    return {year: tuple(group) for year, group in sorted(years.items(), reverse=True)}


def url_collisions(
    tips: Iterable[Tip], tip_url: Callable[[Tip], str], reserved: Mapping[str, str] | None = None
) -> list[TipError]:
    """Tips and aliases claiming a URL another tip, alias or page already has.

    `reserved` maps URLs of pages that are not tips (listings, hand-written
    pages) to a description, so a tip or alias cannot silently replace them.
    Each message names both files.  URLs that differ only in case (`/About/`,
    `/about/`) collide too: they are one file on macOS' and Windows' file systems.
    """
    # Compared as the files they write: alias `/about/index.html` replaces page `/about/` too.
    reserved = {fold(output_path(url)): (url, what) for url, what in (reserved or {}).items()}
    owners: dict[str, tuple[Tip, str]] = {}
    problems = []
    for tip in sorted(tips, key=lambda t: t.source):
        claims = [(tip_url(tip), "slug")] + [(alias, "aliases") for alias in tip.aliases]
        for url, key in claims:
            path = fold(output_path(url))
            other, other_url = owners.get(path, (None, ""))
            if path in reserved:
                taken, what = reserved[path]
                message = f"URL /{url} is already {what}"
                if output_path(taken) != output_path(url):
                    message = (
                        f"URL /{url} differs only in case from /{taken}, {what}; "
                        "they are one file on macOS and Windows"
                    )
            elif other is not None and other is not tip:
                message = (
                    f"URL /{url} is also claimed by {other.source}; "
                    "give one of them another 'slug:' or date"
                )
                if other_url != url:
                    message = (
                        f"URL /{url} differs only in case from /{other_url} of {other.source}; "
                        "they are one file on macOS and Windows: change one of them"
                    )
            else:
                owners.setdefault(path, (tip, url))
                continue
            problems.append(TipError(tip.source, _claim_line(tip, key), message))
    return problems


def _claim_line(tip: Tip, key: str) -> int:
    """Point at the alias, else at the explicit slug, else at the title the slug came from."""
    if key == "aliases" or "slug" in tip.key_lines:
        return tip.line_of(key)
    return tip.line_of("title")
