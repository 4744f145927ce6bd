"""On a cold build of a large archive: tips' Markdown converted on every core.

Before MkDocs asks for the first page, the tips the Markdown cache lacks are
converted in forked workers (`forking.fork_streams`), one Markdown parser
each, and handed to the build's `TipConverter`; MkDocs' own `Page.render` calls then
take each tip's result.  Workers are forked, not spawned: they inherit the
parser settings and the site's files instead of pickling them.

Measured at 2,000 tips (with the template pool, `forks`): a clean build 1.49x
slower without them on a quiet machine.  `TIPWEEK_WITHOUT=forks`, fewer than
`forking.PARALLEL_MIN` tips, one core, no `fork` or other threads running (as
under `mkdocs serve`) convert every tip in the build's process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from mkdocs.structure.files import Files

from tipweek.cache.markdown_cache import ConvertedTip
from tipweek.mkdocs.markdown_conversion import CONVERSION_LOGGERS, TipConverter
from tipweek.speed.forking import WorkerGone, WorkerItems, fork_streams, pool_size

#: Tips a worker converts and sends at a time.
SENT_AT_ONCE = 25


def convert_ahead(converter: TipConverter, pages: Sequence[Any], files: Files) -> int:
    """Convert, in parallel, the tips `converter`'s cache lacks; how many were converted.

    `pages` are TipPages (`page.tip.body` is their Markdown).  Serial (returns 0)
    without a cache or a pool (`forking.pool_size`).  A tip whose conversion logged
    anything, or whose Markdown another plugin changes later, is simply converted
    again by `TipConverter.fill`, in the build's process, so its messages reach
    the build's log exactly once.
    """
    if converter.cache is None:
        return 0
    todo = [page for page in pages if converter.lacks(page)]
    workers = pool_size(len(todo))
    if not workers:
        return 0
    converter.prepare_to_fork(files)
    streams = fork_streams(
        lambda share, send: _convert_share(converter, todo, files, share, send),
        len(todo),
        workers,
        SENT_AT_ONCE,
    )
    converted = 0
    try:
        # A worker that failed sent less: `fill` converts the rest in the build's
        # process, and reports whatever went wrong with them.
        with suppress(WorkerGone):
            while True:
                entries = streams.receive_any()
                converter.add_converted_ahead(entries)
                converted += len(entries)
    finally:
        streams.close()
    return converted


def _convert_share(
    converter: TipConverter,
    pages: Sequence[Any],
    files: Files,
    share: WorkerItems,
    send: Callable[[dict[str, ConvertedTip]], None],
) -> None:
    """In a worker: convert batches of `pages`, and send the entries that may be cached,
    by key, a batch at a time."""
    for name in CONVERSION_LOGGERS:
        # Messages are the parent's to print, when it converts the tip again.
        logging.getLogger(name).propagate = False
    for indexes in share.batches():
        entries: dict[str, ConvertedTip] = {}
        for index in indexes:
            page = pages[index]
            page.markdown = page.tip.body  # this process's copy: read_source has not run
            entry = converter.convert(page, files)
            if entry is not None:
                entries[converter.key(page, page.markdown)] = entry
        if entries:
            send(entries)
