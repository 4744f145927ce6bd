"""The generators under test for ``scripts/bench.py``: the :data:`TOOLS` registry.

Each :class:`Tool` says how to lay out the corpus (``bench_layouts``), the command
that builds it, what to delete before a clean build, where a tip's source lives,
and which files a correct build must contain (:class:`Expectations`, derived from
the corpus and checked after every build by :func:`check_output`). The ``tipweek``
column is tipweek as ``tipweek init`` configures it (Pagefind search);
``tipweek-lunr`` the same with Material's lunr search; :func:`without_variant`
makes a ``tipweek-without-<mechanism>`` column with one speed mechanism off.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bench_layouts import (
    hugo_build,
    hugo_post_path,
    layout_hugo,
    layout_material,
    layout_pelican,
    layout_plain,
    layout_tipweek,
    layout_tipweek_lunr,
    material_post_path,
    mkdocs_build,
    pelican_article_path,
    pelican_build,
    plain_doc_path,
)
from bench_measure import REPO
from corpus import TipSpec, slugify

# The switches of the tipweek this script sits in (pure: imports nothing else of tipweek).
sys.path.insert(1, str(REPO))
from tipweek.speed import switches

FEED_ITEMS = 20
PER_PAGE = 10


@dataclass(frozen=True)
class Expectations:
    """What a correct build must contain, derived from the corpus."""

    files: tuple[str, ...]
    feed: str  # relative path of the site feed
    feed_items: int
    newest_tip_url: str = ""  # site-relative URL of the newest tip's page (edited by scenarios)


@dataclass(frozen=True)
class Tool:
    """A generator under test. Paths are relative to its project directory."""

    name: str
    summary: str
    layout: Callable[[Path, Path, list[TipSpec]], None]  # (corpus dir, project dir, specs)
    command: Callable[[Path], list[str]]  # project dir -> build command
    clean_paths: tuple[str, ...]  # output and caches, deleted before a clean build
    tip_source: Callable[[TipSpec], str]  # where a tip's source lives in the project
    expect: Callable[[list[TipSpec]], Expectations]
    features_missing: tuple[str, ...] = ()  # what it cannot match, for the report
    env: tuple[tuple[str, str | None], ...] = ()  # set (None: unset) for builds and scenarios
    family: str = ""  # the tool a variant is of (its scenarios); empty for a tool itself
    python: str = ""  # the interpreter of its Python commands, if not this one (a venv's)
    unavailable: tuple[tuple[str, str], ...] = ()  # (scenario, why it cannot run)

    @property
    def scenarios_of(self) -> str:
        return self.family or self.name

    @property
    def interpreter(self) -> str:
        return self.python or sys.executable


def newest(specs: list[TipSpec]) -> TipSpec:
    """The most recent tip: the one an editor fixes, which the scenarios edit."""
    return max(specs, key=lambda spec: spec.date)


def _top_tag(specs: list[TipSpec]) -> tuple[str, int]:
    """The most used tag and its tip count (ties broken by name, for determinism)."""
    counts = collections.Counter(tag for spec in specs for tag in spec.tags)
    return min(counts.items(), key=lambda item: (-item[1], item[0]))


def _tip_url(spec: TipSpec) -> str:
    return f"{spec.date:%Y/%m/%d}/{spec.slug}/"


def _expect(
    specs: list[TipSpec],
    out: str,
    feed: str,
    tip_prefix: str = "",  # where the blog lives: its archive and its tips
    tag_dir: str = "tags/{slug}/",
    year_dir: str = "{year}/",
    tag_feed: str | None = "tags/{slug}/feed.xml",
) -> Expectations:
    """Expected files for a site whose URLs follow tipweek's, up to a few prefixes."""
    last = newest(specs)
    tag, count = _top_tag(specs)
    tag_path = tag_dir.format(slug=slugify(tag))
    files = [
        f"{tip_prefix}index.html",
        feed,
        f"{tip_prefix}{_tip_url(last)}index.html",
        f"{tag_path}index.html",
        "tags/index.html",  # the tag index, every tool's at the same URL
        f"{year_dir.format(year=last.date.year)}index.html",
    ]
    if len(specs) > PER_PAGE:
        files.append(f"{tip_prefix}page/2/index.html")
    if count > PER_PAGE:
        files.append(f"{tag_path}page/2/index.html")
    if tag_feed:
        files.append(tag_feed.format(slug=slugify(tag)))
    return Expectations(
        files=tuple(f"{out}/{name}" for name in files),
        feed=f"{out}/{feed}",
        feed_items=min(FEED_ITEMS, len(specs)),
        newest_tip_url=f"{tip_prefix}{_tip_url(last)}",
    )


def _tipweek_source(spec: TipSpec) -> str:
    return spec.relpath.as_posix()


TOOLS: dict[str, Tool] = {
    "tipweek": Tool(
        name="tipweek",
        summary="tipweek as `tipweek init` configures it (Pagefind search) on MkDocs + Material",
        layout=layout_tipweek,
        command=mkdocs_build,
        # .cache/tipweek/ holds tipweek's caches; .site.tipweek-old the site a build
        # replaced, which the next build deletes: a clean build starts without either.
        clean_paths=("site", ".cache", ".site.tipweek-old"),
        tip_source=_tipweek_source,
        expect=lambda specs: _expect(specs, "site", "feed.xml"),
    ),
    "tipweek-lunr": Tool(
        name="tipweek-lunr",
        summary="tipweek as above, with Material's lunr search instead of Pagefind",
        layout=layout_tipweek_lunr,
        command=mkdocs_build,
        clean_paths=("site", ".cache", ".site.tipweek-old"),
        tip_source=_tipweek_source,
        expect=lambda specs: _expect(specs, "site", "feed.xml"),
        family="tipweek",
    ),
    "material": Tool(
        name="material",
        summary="Material blog (paged index, year archive, categories = tags) "
        "+ tags plugin (tag index) + mkdocs-rss-plugin (site feed)",
        layout=layout_material,
        command=mkdocs_build,
        clean_paths=("site", ".cache"),
        tip_source=material_post_path,
        expect=lambda specs: _expect(
            specs,
            "site",
            "feed_rss_created.xml",
            tip_prefix="blog/",
            tag_dir="blog/category/{slug}/",
            year_dir="blog/archive/{year}/",
            tag_feed=None,
        ),
        features_missing=("per-tag RSS feeds (mkdocs-rss-plugin filters by path only)",),
    ),
    "pelican": Tool(
        name="pelican",
        summary="Pelican, default theme: paged index and tag pages, tag index, "
        "year archives, RSS site + per tag",
        layout=layout_pelican,
        command=pelican_build,
        clean_paths=("output", "__pycache__", ".cache"),
        tip_source=pelican_article_path,
        expect=lambda specs: _expect(specs, "output", "feed.xml"),
        features_missing=("paged year pages (Pelican's period archives are not paged)",),
    ),
    "hugo": Tool(
        name="hugo",
        summary="Hugo, minimal layouts: paged home and tag pages, tag index, "
        "year taxonomy, RSS site + per tag",
        layout=layout_hugo,
        command=hugo_build,
        clean_paths=("public", "resources", ".cache"),
        tip_source=hugo_post_path,
        expect=lambda specs: _expect(specs, "public", "feed.xml"),
    ),
    "mkdocs-plain": Tool(
        name="mkdocs-plain",
        summary="baseline: plain MkDocs + Material, tips as ordinary pages "
        "(no listings, no tags, no feeds)",
        layout=layout_plain,
        command=mkdocs_build,
        clean_paths=("site", ".cache"),
        tip_source=plain_doc_path,
        expect=lambda specs: Expectations(
            files=("site/index.html", f"site/{_tip_url(newest(specs))}index.html"),
            feed="",
            feed_items=0,
        ),
        features_missing=("listings, tag pages and feeds (a floor, not a competitor)",),
    ),
}


WITHOUT_PREFIX = "tipweek-without-"


def without_variant(mechanism: str) -> Tool:
    """tipweek with one speed mechanism switched off: a tool column of its own."""
    return replace(
        TOOLS["tipweek"],
        name=WITHOUT_PREFIX + mechanism,
        summary=f"tipweek without {mechanism}: {switches.MECHANISMS[mechanism]}",
        env=((switches.ENV, mechanism),),
        family="tipweek",
    )


def check_output(project: Path, expected: Expectations) -> list[str]:
    """Problems with a build's output: missing files, a feed with too few items."""
    problems = [f"missing {name}" for name in expected.files if not (project / name).is_file()]
    feed = project / expected.feed
    if expected.feed and feed.is_file():
        items = feed.read_text(encoding="utf-8", errors="replace").count("<item>")
        if items != expected.feed_items:
            problems.append(f"{expected.feed} has {items} items, expected {expected.feed_items}")
    return problems
