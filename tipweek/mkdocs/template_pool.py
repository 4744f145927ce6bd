"""Keying and rendering many generated pages in forked workers (MkDocs side).

Two costs of a build grow with the archive and run in one process unless
shared: working out each generated page's key for the page cache (its view
model, then a hash of everything the page shows; most of a warm build's own
work), and rendering Material's templates for the pages the cache lacks
(about 1.5 ms a page, the largest part of a cold build).  Before MkDocs'
page loop (in `on_env`) `prepare_pages` does both in a pool of forked
processes: each worker keys its share of the pages and, for those whose key
the cache lacks, renders the template exactly as MkDocs' `_build_page` would
(the same context, every plugin's `on_page_context`, the page's template).
Only keys, what keying added to a page's `meta`, and compressed pages travel
back.  The parent then prints rendered pages like page-cache hits
(`tipweek/cached.html`); MkDocs still runs every plugin's `on_page_context`
and `on_post_page` for every page, in the parent, so their side effects (the
search index) happen once, as usual.

A page whose render raised or logged a warning or an error is left to
MkDocs, which renders it again in the parent, so the message reaches the
build's log (and `--strict`) exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tipweek.cache.page_cache import compress_page
from tipweek.mkdocs.compat import release_page, template_context
from tipweek.mkdocs.forking import fork_map, pool_size
from tipweek.mkdocs.rendering import LogCapture


class Prepared(NamedTuple):
    """One page as a worker prepared it."""

    key: str
    #: What keying the page added to (or changed in) its `meta`, for the parent to repeat.
    meta: dict[str, Any]
    #: The template's output as `compress_page` makes it, if the worker rendered it.
    output: bytes | None
    #: What `search_entries` said of the rendered page (its search-index entries).
    entries: str | None


def prepare_pages(
    pages: Sequence[Page],
    key_of: Callable[[Page], str],
    context_of: Callable[[Page], dict[str, Any]],
    cached: Callable[[str], bool],
    search_entries: Callable[[Page], str | None],
    *,
    env: Any,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
) -> list[Prepared] | None:
    """Each page's key (`key_of`, which may add to `page.meta`) and, for the pages
    whose key is not `cached`, the template's output, in forked workers; in the
    order of `pages`.  `context_of(page)` is what tipweek adds to the page's
    template context (`key_of` uses it too).  None when the pages are too few for a pool
    (`forking.pool_size`): the caller keys them itself and renders nothing ahead."""
    workers = pool_size(len(pages))
    if not workers:
        return None
    # What `mkdocs build` passes to `_build_page`: the pages the built site includes.
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    _compile_templates(pages, context_of, env, config, doc_files, nav)

    def share(indexes: range) -> list[Prepared]:
        capture = LogCapture()
        _send_logging_to(capture)
        prepared = []
        for index in indexes:
            page = pages[index]
            before = dict(page.meta)
            key = key_of(page)
            meta = {
                name: value
                for name, value in page.meta.items()
                if before.get(name, _ABSENT) != value
            }
            output = entries = None
            if not cached(key):
                capture.records.clear()
                html = _render_template(page, env, config, doc_files, nav)
                if html is not None and not any(
                    record.levelno >= logging.WARNING for record in capture.records
                ):
                    output, entries = compress_page(html), search_entries(page)
            prepared.append(Prepared(key, meta, output, entries))
        return prepared

    shares = fork_map(share, len(pages), workers)
    # `fork_map` deals indexes out in turn: share s holds pages s, s + workers, ...
    ordered: list[Prepared | None] = [None] * len(pages)
    for start, results in enumerate(shares):
        ordered[start::workers] = results
    assert all(item is not None for item in ordered)
    return ordered  # type: ignore[return-value]


_ABSENT = object()


def _compile_templates(
    pages: Sequence[Page],
    context_of: Callable[[Page], dict[str, Any]],
    env: Any,
    config: MkDocsConfig,
    doc_files: Sequence[Any],
    nav: Navigation,
) -> None:
    """Render the first page of each template here, and throw the output away.

    Jinja compiles a template, and each partial it includes, the first time
    it renders it (about 0.1 s for Material's page chain); compiled here,
    before the fork, the workers inherit the compiled templates instead of
    each compiling them again, and this process needs them for the theme's
    own pages (`404.html`) anyway.  Only the template renders: no plugin
    event runs and nothing is logged, so nothing happens twice.
    """
    first_of: dict[str, Page] = {}
    for page in pages:
        first_of.setdefault(page.meta.get("template", "main.html"), page)
    logging.disable(logging.CRITICAL)
    try:
        for name, page in first_of.items():
            try:
                context = template_context(page, config, doc_files, nav)
                context.update(context_of(page))
                env.get_template(name).render(context)
            except Exception:  # rendered for real later, and its errors reported then
                pass
            finally:
                release_page(page, config)
    finally:
        logging.disable(logging.NOTSET)


def _render_template(
    page: Page, env: Any, config: MkDocsConfig, doc_files: Sequence[Any], nav: Navigation
) -> str | None:
    """MkDocs' `_build_page` up to the template's output (None if it raised)."""
    try:
        context = template_context(page, config, doc_files, nav)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    except Exception:
        return None  # MkDocs renders it again, in the parent, and reports the error
    finally:
        release_page(page, config)


def _send_logging_to(capture: logging.Handler) -> None:
    """In a worker: every log record goes to `capture`, none to the build's output."""
    logging.getLogger().handlers = [capture]
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers = [capture]
