"""Warm builds equal cold ones for inputs a list of "what templates read" would miss (#27).

Each kind of edit is applied after a warm-up build, then built three ways and
compared, file by file, with a build of the same sources without any cache:

- `build`: warm, a fresh plugin instance (a new `mkdocs build`);
- `serve`: one plugin instance across rebuilds, as `mkdocs serve` runs them;
- `restored`: the warmed project (its `.cache/` included) copied to another
  folder with every mtime new, as CI restores a cache, then edited and built.

Every build records what each page's template reads (`read_recording`), and a
rebuild with nothing changed renders no page and no tip, unless the kind makes
a cache step aside, which one INFO line must then say.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import pytest
from cache_edits import (
    TIP,
    Edit,
    Project,
    SlugifyObject,
    _append_body,
    _extension,
    _extensions,
    assert_nothing_rendered,
    edit_title,
    new_project,
    off_lines,
)
from conftest import SiteFactory
from read_recording import recording_reads
from test_cache_differential import differing

import tipweek

MODES = ("build", "serve", "restored")
EXTRA_PAGE = "docs/extra.md"


def _docs_meta(key: str, values: list[object]):
    """A docs page's front matter `key`, which Material shows in every page's navigation."""

    def apply(p: Project) -> None:
        value = values[(p.next() - 1) % len(values)]
        front = f"{key}: {value}\n" if not isinstance(value, list) else f"{key}: {value!r}\n"
        p.write(EXTRA_PAGE, f"---\n{front}---\n# Extra\n\nMore about us.\n")

    return apply


# --- reads from any file of custom_dir -----------------------------------------------------

#: main.html of these kinds: it includes a partial whose name is not `.html`, and it
#: does not itself mention `pages`.
MAIN_WITH_PARTIAL = """\
{% extends "base.html" %}
{% block footer %}{{ super() }}{% include "partials/site-extra.j2" %}{% endblock %}
"""


def _partial(text: str):
    def setup(p: Project) -> None:
        p.write("overrides/main.html", MAIN_WITH_PARTIAL)
        p.write("overrides/partials/site-extra.j2", text)

    return setup


NAV_PAGES = (
    '<p class="nav-list">{% for item in nav.pages %}'
    '{{ item.title }}={{ item.meta.badge | default("-") }};{% endfor %}</p>\n'
)
ALL_TITLES = (
    '<p class="all-titles">{% for file in pages %}'
    '{{ file.page.title if file.page else "" }};{% endfor %}</p>\n'
)
BUILT = '<p class="built">Built {{ build_date_utc.strftime("%Y-%m-%d") }}</p>\n'


def next_day(p: Project) -> None:
    """The build's date moves by a day (SOURCE_DATE_EPOCH), crossing no scheduled tip."""
    p.epoch = str(int(p.epoch) + 86400 * (1 if p.next() % 2 else -1))


# --- theme files behind a symbolic link ----------------------------------------------------


def setup_linked_partials(p: Project) -> None:
    p.write("overrides/main.html", MAIN_WITH_PARTIAL)
    p.write("theme-parts/site-extra.j2", '<p class="linked">First words.</p>\n')
    (p.root / "overrides/partials").symlink_to(Path("..", "theme-parts"), target_is_directory=True)


def edit_linked_partial(p: Project) -> None:
    (p.root / "theme-parts/site-extra.j2").write_text(
        f'<p class="linked">Words, edition {p.next()}.</p>\n', encoding="utf-8"
    )


# --- extensions under every form -----------------------------------------------------------


def _snippet_setup(name: str, options: dict | None = None):
    def setup(p: Project) -> None:
        _extension(p, name, options)
        p.write("includes/note.md", "A note from the snippet file.\n")
        _append_body(p, TIP[3], '--8<-- "includes/note.md"')

    return setup


def edit_snippet_file(p: Project) -> None:
    p.write("includes/note.md", f"The snippet file, edition {p.next()}.\n")


def _b64_setup(options: dict | None):
    def setup(p: Project) -> None:
        _extension(p, "pymdownx.b64", options)
        (p.root / "docs/assets").mkdir(parents=True, exist_ok=True)
        (p.root / "docs/assets/dot.png").write_bytes(b"\x89PNG first image")
        # Raw HTML: MkDocs checks Markdown image links before b64 inlines them.
        _append_body(p, TIP[2], '<img alt="A dot" src="docs/assets/dot.png">')

    return setup


def edit_image(p: Project) -> None:
    (p.root / "docs/assets/dot.png").write_bytes(f"\x89PNG image {p.next()}".encode())


def setup_toc_as_class(p: Project) -> None:
    extensions = _extensions(p)
    extensions[:] = [e for e in extensions if not (isinstance(e, dict) and "toc" in e)]
    extensions.append({"markdown.extensions.toc:TocExtension": {"permalink": True}})
    extensions.append("markdown.extensions.abbr:AbbrExtension")
    _append_body(p, TIP[1], "## A heading\n\n*[CSAT]: Customer satisfaction\n\nAsk for CSAT.")


def edit_toc_as_class(p: Project) -> None:
    for item in _extensions(p):
        if isinstance(item, dict) and "markdown.extensions.toc:TocExtension" in item:
            item["markdown.extensions.toc:TocExtension"]["permalink"] = f"#{p.next()}"


def setup_slugify(p: Project) -> None:
    _extension(p, "toc", {"slugify": SlugifyObject(kwds={"case": "lower"})})


def edit_heading(p: Project) -> None:
    _append_body(p, TIP[4], f"## Hello World {p.next()}\n\nText.")


# --- tipweek's own templates ---------------------------------------------------------------

TIP_TEMPLATE = Path(tipweek.__file__).parent / "mkdocs/templates/tipweek/tip.html"


@pytest.fixture
def tip_template():
    """tipweek's tip template, put back as it was after the test."""
    original = TIP_TEMPLATE.read_bytes()
    yield TIP_TEMPLATE
    TIP_TEMPLATE.write_bytes(original)


def edit_tipweek_template(p: Project) -> None:
    text = TIP_TEMPLATE.read_text(encoding="utf-8").split("<!-- test edition -->")
    edition = f'<!-- test edition --><p class="edition">{p.next()}</p><!-- test edition -->'
    if len(text) == 3:  # an edition is there: replace it
        new = text[0] + edition + text[2]
    else:
        new = text[0].replace("</article>", edition + "\n</article>", 1)
    TIP_TEMPLATE.write_text(new, encoding="utf-8")


WIDER: tuple[Edit, ...] = (
    # Material's navigation and page features that read a docs page's meta.
    Edit("nav icon", _docs_meta("icon", ["material/information", "material/star"])),
    Edit("nav status", _docs_meta("status", ["new", "deprecated"])),
    Edit("nav subtitle", _docs_meta("subtitle", ["First words", "Second words"])),
    Edit("docs description", _docs_meta("description", ["About extras.", "Extras."])),
    Edit("docs hide", _docs_meta("hide", [["navigation"], ["toc"]])),
    # A custom_dir file that is not `.html` reads `nav.pages`, `pages`, the build's date.
    Edit("nav.pages meta", _docs_meta("badge", ["new", "hot"]), setup=_partial(NAV_PAGES)),
    Edit("pages titles", edit_title, setup=_partial(ALL_TITLES)),
    Edit("build_date_utc", next_day, setup=_partial(BUILT)),
    Edit("theme file behind a symlink", edit_linked_partial, setup=setup_linked_partials),
    # Extensions, whatever form configures them.
    Edit(
        "snippets as module:Class",
        edit_snippet_file,
        setup=_snippet_setup("pymdownx.snippets:SnippetExtension"),
        steps_aside="Markdown",
    ),
    Edit(
        "snippets as module:Class with options",
        edit_snippet_file,
        setup=_snippet_setup("pymdownx.snippets:SnippetExtension", {"check_paths": True}),
        steps_aside="Markdown",
    ),
    Edit("b64 image", edit_image, setup=_b64_setup(None), steps_aside="Markdown"),
    Edit(
        "b64 image, options", edit_image, setup=_b64_setup({"base_path": "."}), steps_aside="Markdown"
    ),
    Edit("toc and abbr as module:Class", edit_toc_as_class, setup=setup_toc_as_class),
    Edit("slugify object", edit_heading, setup=setup_slugify),
    # tipweek's own templates, edited while the same process builds again (serve).
    Edit("tipweek's template", edit_tipweek_template),
)


def restored_elsewhere(project: Project, where: Path) -> Project:
    """The project, its `.cache/` included, in another folder, every mtime new."""
    elsewhere = where / "checkout"
    shutil.copytree(
        project.root, elsewhere, symlinks=True, ignore=shutil.ignore_patterns("site", "site-cold")
    )
    now = time.time() + 60
    for path in [elsewhere, *elsewhere.rglob("*")]:
        os.utime(path, (now, now), follow_symlinks=False)
    project.monkeypatch.chdir(elsewhere)
    factory = SiteFactory(elsewhere, project.monkeypatch, project.factory.caplog)
    return dataclasses.replace(project, factory=factory, serve_plugins={}, started=set())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("edit", WIDER, ids=[edit.name for edit in WIDER])
def test_a_warm_build_equals_a_cold_one(make_site, tmp_path_factory, tip_template, edit, mode):
    project = new_project(make_site)
    command = "serve" if mode == "serve" else "build"
    with recording_reads() as reads:
        if edit.setup is not None:
            edit.setup(project)
        project.build(command)
        before = project.tree()
        if mode == "restored":
            project = restored_elsewhere(project, tmp_path_factory.mktemp("runner"))

        edit.apply(project)
        log = project.build(command)
        warm = project.tree()
        cold = project.cold_tree(command)
        again = project.build(command)

    assert differing(warm, cold) == []
    assert differing(before, warm) != []  # the edit shows: else this case tests nothing
    assert reads.uncovered == set()
    assert_nothing_rendered(again, edit.steps_aside)
    if edit.steps_aside is not None:
        assert len(off_lines(log, edit.steps_aside)) == 1, log
    else:
        assert off_lines(log, "Markdown") == off_lines(log, "page") == [], log
