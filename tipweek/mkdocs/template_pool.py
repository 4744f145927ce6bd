"""Rendering the templates of many generated pages in forked workers (MkDocs side).

Material's templates cost about 1.5 ms a page, the largest part of a cold
build.  MkDocs renders pages one after the other, so before its page loop
(in `on_env`) tipweek renders the pages the page cache lacks in a pool of
forked processes, exactly as MkDocs' `_build_page` would: the same context,
every plugin's `on_page_context`, the page's template.  The parent then
serves them like page-cache hits (`tipweek/cached.html`); MkDocs still runs
every plugin's `on_page_context` and `on_post_page` for every page, in the
parent, so their side effects (the search index) happen once, as usual.

A page whose render raised or logged a warning or an error is left to
MkDocs, which renders it again in the parent, so the message reaches the
build's log (and `--strict`) exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tipweek.cache.page_cache import compress_page
from tipweek.core import speedups
from tipweek.mkdocs.compat import release_page, template_context
from tipweek.mkdocs.forking import fork_map, pool_size
from tipweek.mkdocs.rendering import LogCapture


def render_ahead(
    pages: Sequence[tuple[Page, str]],
    search_entries: Callable[[Page], str | None],
    *,
    env: Any,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
) -> dict[str, tuple[bytes, str | None]]:
    """The template output of `(page, key)` pairs by key, compressed as the page
    cache stores it (less than half the memory), with what `search_entries` says of
    the page once rendered (its search-index entries); empty when the pages are
    too few for a pool (`forking.pool_size`)."""
    workers = pool_size(len(pages))
    if not workers or speedups.off("forks"):
        return {}
    # What `mkdocs build` passes to `_build_page`: the pages the built site includes.
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)

    def render_share(indexes: range) -> list[tuple[str, tuple[bytes, str | None]]]:
        capture = LogCapture()
        _send_logging_to(capture)
        rendered = []
        for index in indexes:
            page, key = pages[index]
            capture.records.clear()
            output = _render_template(page, env, config, doc_files, nav)
            if output is not None and not any(
                record.levelno >= logging.WARNING for record in capture.records
            ):
                rendered.append((key, (compress_page(output), search_entries(page))))
        return rendered

    shares = fork_map(render_share, len(pages), workers)
    return {key: data for share in shares for key, data in share}


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
