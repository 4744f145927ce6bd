"""Record what each page's template reads, and check that the page's key covers it.

The page cache keys a page on what could change it (`tipweek.cache.page_cache`):
the config, the navigation with its meta, the page's own facts, tipweek's view.
A list of what templates are *believed* to read goes stale the day Material
reads something new, so the differential tests also *observe* it: inside
`recording_reads()`, every name a page template resolves from its context and
every attribute or item it reads from an object reached from `config`, `nav`,
`page` or `pages` is recorded as a dotted path (`nav_item.meta.icon`), by
hooking Jinja's attribute and name lookups.  A read that the key does not cover
(`page_cache.covered`) is a failure, even if today's edits never change it.

Only pages the page cache keyed and rendered in this process are checked (a
page printed from the cache reads nothing of its template); workers are kept
from forking, so every page renders here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.runtime
import pytest

from tipweek.cache.page_keys import KEY_COVERS, covered
from tipweek.mkdocs import forking

_PRIMITIVES = (str, bytes, int, float, bool, type(None))


@dataclass
class _Page:
    """The page whose template renders now: labels of the objects it may read."""

    src_uri: str
    context: dict[str, Any]
    keyed: frozenset[str]
    tipweek_names: frozenset[str]
    labels: dict[int, str] = field(default_factory=dict)
    # Labelled objects are kept alive while the page renders, so no id is reused.
    alive: list[Any] = field(default_factory=list)

    def label(self, value: Any, name: str) -> None:
        if isinstance(value, _PRIMITIVES) or id(value) in self.labels:
            return
        self.labels[id(value)] = name
        self.alive.append(value)
        if isinstance(value, (list, tuple)):
            for item in value:
                self.label(item, name)


@dataclass
class Recorder:
    """Reads not covered by their page's key, as `src_uri: path` (with the build's
    optional inputs), and how many pages were checked."""

    uncovered: set[str] = field(default_factory=set)
    pages_checked: int = 0
    reads: set[str] = field(default_factory=set)
    _page: _Page | None = None

    def note(self, path: str) -> None:
        page = self._page
        assert page is not None
        self.reads.add(path)
        root = path.split(".", 1)[0]
        if root in page.tipweek_names and root not in KEY_COVERS:
            return  # tipweek's view: pickled whole into the key
        if not covered(path, page.keyed):
            self.uncovered.add(f"{page.src_uri}: {path} (keyed: {sorted(page.keyed)})")


def _nav_items(items: Any) -> Iterator[Any]:
    for item in items or []:
        yield item
        yield from _nav_items(getattr(item, "children", None))


@contextmanager
def recording_reads() -> Iterator[Recorder]:
    """Record, for the builds inside the block, the reads of every keyed page's template."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield from _recording(monkeypatch)


def _recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    recorder = Recorder()
    monkeypatch.setenv(forking.PARALLEL_MIN_ENV, str(10**9))  # render every page here
    render = jinja2.Template.render
    getattr_ = jinja2.Environment.getattr
    getitem = jinja2.Environment.getitem
    resolve = jinja2.runtime.Context.resolve_or_missing

    def recorded_render(template: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        context = args[0] if args and isinstance(args[0], dict) else None
        start = _start(context) if recorder._page is None else None
        if start is None:
            return render(template, *args, **kwargs)
        recorder._page = start
        recorder.pages_checked += 1
        try:
            return render(template, *args, **kwargs)
        finally:
            recorder._page = None

    def _start(context: dict[str, Any] | None) -> _Page | None:
        if context is None or "page" not in context or "config" not in context:
            return None
        page, config = context["page"], context["config"]
        plugin = config.plugins.get("tipweek") if hasattr(config, "plugins") else None
        reuse = getattr(plugin, "page_cache", None)
        if page is None or reuse is None or reuse.off_reason is not None:
            return None
        found = reuse._keys.get(page.file.src_uri)
        if found is None or found[1]:  # not keyed, or printed from the cache
            return None
        tipweek_names = frozenset(plugin._context_of(page))
        keyed = getattr(reuse, "keyed", frozenset())
        started = _Page(page.file.src_uri, context, keyed, tipweek_names)
        for name in ("page", "config", "nav"):
            started.label(context.get(name), name)
        # Files before `pages` labels them: a page's own file is read as the page's.
        started.label(page.file, "page.file")
        for item in _nav_items(getattr(context.get("nav"), "items", None)):
            started.label(item, "nav_item")
            started.label(getattr(item, "file", None), "nav_item.file")
        started.labels[id(context.get("pages"))] = "pages"
        for file in context.get("pages") or []:
            started.label(file, "pages_file")
        return started

    def read(obj: Any, name: Any, result: Any) -> Any:
        page = recorder._page
        if page is None or isinstance(result, jinja2.Undefined) or not isinstance(name, str):
            return result
        label = page.labels.get(id(obj))
        if label is not None:
            path = f"{label}.{name}"
            recorder.note(path)
            page.label(result, path)
        return result

    def recorded_getattr(env: jinja2.Environment, obj: Any, attribute: str) -> Any:
        return read(obj, attribute, getattr_(env, obj, attribute))

    def recorded_getitem(env: jinja2.Environment, obj: Any, argument: Any) -> Any:
        return read(obj, argument, getitem(env, obj, argument))

    def recorded_resolve(context: jinja2.runtime.Context, key: str) -> Any:
        page = recorder._page
        if page is not None and key in page.context:
            recorder.note(key)
        return resolve(context, key)

    monkeypatch.setattr(jinja2.Template, "render", recorded_render)
    monkeypatch.setattr(jinja2.Environment, "getattr", recorded_getattr)
    monkeypatch.setattr(jinja2.Environment, "getitem", recorded_getitem)
    monkeypatch.setattr(jinja2.runtime.Context, "resolve_or_missing", recorded_resolve)
    yield recorder
