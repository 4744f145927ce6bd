"""Every private MkDocs access tipweek makes, in one place.

tipweek renders tips' Markdown and pages' templates the way MkDocs does, but
faster (one parser per build, forked workers, cached output, a preview written
in place).  Doing exactly what MkDocs does needs a few of its private names or
of the attributes it keeps for itself.  Each is used here and nowhere else, and
`tests/test_compat.py` fails loudly, naming the access, when an upgrade of
MkDocs (tested: 1.6) changes one of them:

1. `mkdocs.structure.pages._RelativePathTreeprocessor`,
   `_ExtractAnchorsTreeprocessor`, `_ExtractTitleTreeprocessor`,
   `_RawHTMLPreprocessor` and their `_register(md)`: the per-page processors
   `Page.render` registers, so links are rewritten and checked, anchors
   collected and the title found by MkDocs' own code.  The raw-HTML one (with
   its `_HTMLHandler`) is subclassed to read a stray `<![` as text: Python's
   `html.parser` raises on it (see `tipweek.core.lenient_html`).
2. `Page._title_from_render`: where `Page.render` leaves the title it found.
3. `mkdocs.commands.build.get_context` and `MkDocsConfig._current_page`: the
   template context `_build_page` makes, for rendering a page's template ahead.
4. `mkdocs.utils.write_file`, looked up by `mkdocs.commands.build` at each call:
   the preview watches (and skips) the writes of pages and theme files
   (`tipweek.speed.preview_writes`).
5. `File.dest_dir`, which `File.abs_dest_path` joins at each call: the preview
   points the files MkDocs found at the folder it builds in place.
6. `Page.present_anchor_ids` and `Page.links_to_anchors`, which `Page.render`
   fills and `Page.validate_anchor_links` reads: a tip rendered by tipweek (or
   taken from the Markdown cache) fills them the same way (`set_anchors`).
7. `PluginCollection.events` and its dict underneath: with `search: pagefind`,
   Material's search plugin is taken out of every event list and a stand-in put
   under its name (`replace_plugin`).
8. `File.copy_file` and `File._content`: the preview watches (and skips) the
   writes of generated files whose bytes it holds, as for access 4.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import markdown
import mkdocs.utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _HTMLHandler,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)

from tipweek.core.lenient_html import LenientDeclarations


class _LinkTrackingTreeprocessor(_RelativePathTreeprocessor):
    """MkDocs' link rewriter, noting whether any link was looked up among the site's files."""

    looked_up_files = False

    def path_to_url(self, url: str) -> str:
        scheme, netloc, path, _query, _anchor = urlsplit(url)
        if path and not (scheme or netloc):
            self.looked_up_files = True
        return super().path_to_url(url)


class _LenientHandler(LenientDeclarations, _HTMLHandler):
    """MkDocs' anchor collector, minus the crash on malformed declarations (`<![`)."""


class LenientRawHTMLPreprocessor(_RawHTMLPreprocessor):
    """MkDocs' raw-HTML id collector, run with a parser that reads `<![` as text."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _LenientHandler()
        parser.feed("\n".join(lines))
        parser.close()
        self.present_anchor_ids = parser.present_anchor_ids
        return lines


@dataclass
class PageProcessors:
    """MkDocs' per-page processors, registered on one Markdown instance for one page."""

    raw_html: Any
    anchors: Any
    links: _LinkTrackingTreeprocessor
    title: Any

    @property
    def looked_up_files(self) -> bool:
        return self.links.looked_up_files

    @property
    def present_anchor_ids(self) -> set[str]:
        return self.anchors.present_anchor_ids | self.raw_html.present_anchor_ids

    @property
    def links_to_anchors(self) -> dict[Any, dict[str, str]]:
        return self.links.links_to_anchors

    @property
    def found_title(self) -> str | None:
        return self.title.title


def register_page_processors(
    md: markdown.Markdown, page: Page, files: Files, config: MkDocsConfig
) -> PageProcessors:
    """Register on `md` what `Page.render` registers for `page` (access 1)."""
    processors = PageProcessors(
        raw_html=LenientRawHTMLPreprocessor(),  # `<![` in a tip must not crash it
        anchors=_ExtractAnchorsTreeprocessor(page.file, files, config),
        links=_LinkTrackingTreeprocessor(page.file, files, config),
        title=_ExtractTitleTreeprocessor(),
    )
    for processor in (processors.raw_html, processors.anchors, processors.links, processors.title):
        processor._register(md)
    return processors


def set_rendered_title(page: Page, title: str | None) -> None:
    """Leave the title a render found where `Page.title` looks for it (access 2)."""
    page._title_from_render = title


def template_context(
    page: Page, config: MkDocsConfig, doc_files: Sequence[Any], nav: Navigation
) -> Any:
    """A context manager-free version of `_build_page`'s first steps (access 3): the
    page is made current and active, and its template context returned.  Call
    `release_page` when done."""
    config._current_page = page
    page.active = True
    return get_context(nav, doc_files, config, page)


def release_page(page: Page, config: MkDocsConfig) -> None:
    page.active = False
    config._current_page = None



Write = Callable[[bytes, str], None]


@contextlib.contextmanager
def watch_writes(hook: Callable[[Write, bytes, str], None]) -> Iterator[None]:
    """While the block runs, MkDocs' writes of pages, theme files and generated files
    with content go through `hook(write, content, path)`, which may call `write` or not
    (accesses 4 and 8)."""
    original = mkdocs.utils.write_file
    copy_file = File.copy_file

    def write_file(content: bytes, output_path: str) -> None:
        hook(original, content, output_path)

    def copy_generated(file: File, dirty: bool = False) -> None:
        content = file._content
        if content is None:  # a file copied from its source: as MkDocs does
            copy_file(file, dirty)
            return
        data = content.encode("utf-8") if isinstance(content, str) else content
        hook(lambda _data, _path: copy_file(file, dirty), data, file.abs_dest_path)

    mkdocs.utils.write_file = write_file
    File.copy_file = copy_generated  # type: ignore[method-assign]
    try:
        yield
    finally:
        mkdocs.utils.write_file = original
        File.copy_file = copy_file  # type: ignore[method-assign]


def redirect_outputs(files: Iterable[Any], old_dir: str, new_dir: str) -> None:
    """Point every file MkDocs would write into `old_dir` at `new_dir` (access 5)."""
    for file in files:
        if file.dest_dir == old_dir:
            file.dest_dir = new_dir


def set_anchors(
    page: Page, present: set[str], links: dict[Any, dict[str, str]] | None
) -> None:
    """What `Page.render` leaves for `validate_anchor_links` (access 6); `links` None
    when MkDocs would not record them."""
    page.present_anchor_ids = present
    if links is not None:
        page.links_to_anchors = links


def replace_plugin(
    config: MkDocsConfig, names: Sequence[str], name: str, stand_in: Any
) -> list[Any]:
    """Take the plugins listed under `names` out of MkDocs' event lists and put
    `stand_in` under `name` (access 7); the plugins taken out.  Each event list is
    replaced, never changed in place, since MkDocs may be iterating one right now."""
    plugins = config.plugins
    listed = [n for n in names if n in plugins]
    replaced = [plugins[n] for n in listed if plugins[n] is not stand_in]
    if replaced:
        for event, handlers in list(plugins.events.items()):
            plugins.events[event] = [
                h for h in handlers if getattr(h, "__self__", None) not in replaced
            ]
    for n in listed:
        dict.__delitem__(plugins, n)
    # Set as a dict item: MkDocs' own __setitem__ would look for event handlers.
    dict.__setitem__(plugins, name, stand_in)
    return replaced
