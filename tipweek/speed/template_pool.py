"""Keying and rendering many generated pages in forked workers (MkDocs side).

Two costs of a build grow with the archive and run in one process unless
shared: working out each generated page's key for the page cache (its view
model, then a hash of everything the page shows; most of a warm build's own
work), and rendering Material's templates for the pages the cache lacks
(about 1.2 ms a page, the largest part of a cold build).  In `on_env`,
`prepare_pages` forks workers (`forking.fork_streams`) that key their share of
the pages and send the keys and what keying added to each page's `meta`;
MkDocs' page loop needs both, so the build waits for them.  Then each worker
renders the template of every page of its share the cache lacks, exactly as
MkDocs' `_build_page` would (the same context, every plugin's
`on_page_context`, the page's template), in the order MkDocs builds pages, and
sends the compressed output a few pages at a time while `on_env` has already
returned: the page loop prints each page when its turn comes
(`RenderedAhead.take`, through `tipweek/cached.html`), while the workers
render the pages after it.  MkDocs still runs every plugin's `on_page_context`
and `on_post_page` for every page, in the parent, so their side effects (a
search plugin's index) happen once, as usual.

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
from tipweek.mkdocs.markdown_conversion import LogCapture
from tipweek.speed.forking import Streams, WorkerGone, WorkerItems, fork_streams, pool_size


class Keyed(NamedTuple):
    """One page as a worker keyed it."""

    key: str
    #: What keying the page added to (or changed in) its `meta`, for the parent to repeat.
    meta: dict[str, Any]


class RenderedAhead:
    """The template output of the pages the cache lacks, as the workers send it.

    The workers render in MkDocs' page order and send a few pages at a time, so
    `take` in MkDocs' page loop mostly finds its page there already, and the
    loop runs while the workers render the pages after it.
    """

    def __init__(self, streams: Streams, positions: Sequence[int]) -> None:
        self._streams = streams
        # A page's index in the caller's list -> its place in the order the workers go.
        self._positions = positions
        self._got: dict[int, bytes | None] = {}
        self._ended = False
        #: Pages taken with their output (tests read it).
        self.delivered = 0

    def take(self, index: int) -> bytes | None:
        """The output of page `index` (of the list given to `prepare_pages`) as
        `compress_page` makes it; None if the worker could not render it cleanly
        (MkDocs renders it then, and reports what went wrong)."""
        position = self._positions[index]
        while position not in self._got and not self._ended:
            try:
                for at, output in self._streams.receive_any():
                    self._got[at] = output
            except WorkerGone:
                self._ended = True
        found = self._got.pop(position, None)
        self.delivered += found is not None
        return found

    def close(self) -> None:
        self._streams.close()


def prepare_pages(
    pages: Sequence[Page],
    key_of: Callable[[Page], str],
    context_of: Callable[[Page], dict[str, Any]],
    cached: Callable[[str], bool],
    *,
    env: Any,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
) -> tuple[list[Keyed], RenderedAhead] | None:
    """Each page's key (`key_of`, which may add to `page.meta`), in the order of `pages`,
    and the template output, still coming, of the pages whose key is not `cached`.
    `context_of(page)` is what tipweek adds to the page's template context (`key_of`
    uses it too).  None when the pages are too few for workers (`forking.pool_size`),
    or a worker failed while keying: the caller keys them itself and nothing is
    rendered ahead."""
    workers = pool_size(len(pages))
    if not workers:
        return None
    # What `mkdocs build` passes to `_build_page`, in the order it builds them: the
    # workers go in that order too, so the page loop finds each page ready in turn.
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    place = {file.src_uri: number for number, file in enumerate(doc_files)}
    order = sorted(range(len(pages)), key=lambda i: place.get(pages[i].file.src_uri, len(place)))
    in_order = [pages[i] for i in order]
    positions = [0] * len(pages)
    for position, index in enumerate(order):
        positions[index] = position
    _compile_templates(in_order, context_of, env, config, doc_files, nav)

    def work(share: WorkerItems, send: Callable[[Any], None]) -> None:
        capture = LogCapture()
        _send_logging_to(capture)
        keys: dict[int, str] = {}
        keyed = []
        for position in share.indexes:
            page = in_order[position]
            before = dict(page.meta)
            keys[position] = key = key_of(page)
            meta = {
                name: value
                for name, value in page.meta.items()
                if before.get(name, _ABSENT) != value
            }
            keyed.append(Keyed(key, meta))
        send(keyed)
        for positions in share.batches():
            batch: list[tuple[int, bytes | None]] = []
            for position in positions:
                page = in_order[position]
                key = keys[position]
                if cached(key):
                    continue
                capture.records.clear()
                html = _render_template(page, env, config, doc_files, nav)
                clean = not any(record.levelno >= logging.WARNING for record in capture.records)
                output = compress_page(html) if html is not None and clean else None
                batch.append((position, output))
            if batch:
                send(batch)

    streams = fork_streams(work, len(pages), workers, _BATCH)
    keyed: list[Keyed | None] = [None] * len(pages)
    try:
        for worker in range(workers):
            keyed[worker::workers] = streams.receive(worker)
    except WorkerGone:
        streams.close()
        return None
    assert all(item is not None for item in keyed)
    return [keyed[positions[i]] for i in range(len(pages))], RenderedAhead(  # type: ignore[misc]
        streams, positions
    )


#: Pages a worker renders and sends at a time: enough to keep messages few, few enough
#: that the page loop soon has the first of them and the workers end close together.
_BATCH = 8

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
