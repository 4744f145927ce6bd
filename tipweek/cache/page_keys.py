"""The page cache's keys: what a generated page's template output depends on.

`page_key` hashes one page's own facts (content, title, TOC, meta, URL,
neighbours) and tipweek's view of it, with `site_fingerprint`: what every page
shares — the whole configuration (`config_snapshot`), the whole navigation with
each item's meta (`nav_snapshot`), the list of pages when a theme file mentions
it (`pages_snapshot`), theme folders and versions (`inputs.py`).  Each part
over-approximates what a template could read; `KEY_COVERS` says, read by read,
what the key covers, and the tests record every read a page's template makes
and check it against that table.

Like the rest of the cache, this module knows nothing about MkDocs: it describes
MkDocs objects by duck typing.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tipweek.cache.describe import stable_repr
from tipweek.cache.markdown_cache import fingerprint


def config_snapshot(config: Mapping[str, Any], root: Path) -> str:
    """A stable description of the MkDocs config templates can read.

    Plugins are objects (whose `repr` has a memory address), so each is
    described by its name, class and options instead.  `site_dir` and
    `config_file_path` are left out (no page shows them), and every absolute
    path inside the project is written relative to it, so a project built
    into another folder, or checked out elsewhere (CI), keys its pages alike.
    """
    described: dict[str, Any] = {}
    for name, value in config.items():
        if name in ("site_dir", "config_file_path"):
            continue
        if name == "plugins" and isinstance(value, Mapping):
            value = {
                plugin_name: (
                    f"{type(plugin).__module__}.{type(plugin).__qualname__}",
                    dict(getattr(plugin, "config", {}) or {}),
                )
                for plugin_name, plugin in value.items()
            }
        elif name == "theme":
            value = _theme_snapshot(value)
        described[name] = value
    return (
        stable_repr(described)
        .replace(str(root) + os.sep, "<project>/")
        .replace(str(root), "<project>")
    )


def _theme_snapshot(theme: Any) -> object:
    """The theme by name and options; its folders are keyed by content or version
    (`tipweek.cache.inputs.theme_inputs`), not by where they are."""
    try:
        # A set: sorted, or its order would differ from process to process (hash seeds).
        return (getattr(theme, "name", None), dict(theme), sorted(theme.static_templates))
    except (TypeError, AttributeError):
        return repr(theme)


def nav_snapshot(items: Iterable[Any]) -> list[Any]:
    """The whole navigation, as any template could read it: each item's kind, title,
    URL and attribute names, and for a page its `meta` (Material's navigation shows a
    page's icon, status and subtitle on every page), source and addresses; then its
    children.  Not the content or table of contents of the pages it lists: the
    archive's first page lists the newest tips, and no template reads them from the
    navigation (the read-recording tests would fail if one did)."""
    return [_nav_item(item) for item in items]


def _nav_item(item: Any) -> tuple[Any, ...]:
    described: tuple[Any, ...] = (
        type(item).__name__,
        sorted(vars(item)) if hasattr(item, "__dict__") else None,
        getattr(item, "title", None),
        getattr(item, "url", None),
    )
    file = getattr(item, "file", None)
    if file is not None:
        described += (
            stable_repr(getattr(item, "meta", None)),
            file.src_uri,
            getattr(item, "edit_url", None),
            getattr(item, "canonical_url", None),
            getattr(item, "is_homepage", None),
        )
    return (*described, nav_snapshot(getattr(item, "children", None) or []))


def pages_snapshot(files: Iterable[Any]) -> list[Any]:
    """The template context's `pages` (every documentation page's file): each one's
    source, URL, and its page's title and meta."""
    described = []
    for file in files:
        page = getattr(file, "page", None)
        title, meta = (None, None) if page is None else (page.title, stable_repr(page.meta))
        described.append((file.src_uri, file.url, title, meta))
    return sorted(described)


def toc_snapshot(toc: Iterable[Any]) -> list[Any]:
    return [(item.title, item.id, item.level, toc_snapshot(item.children)) for item in toc or []]


def _link(page: Any) -> tuple[Any, Any] | None:
    return None if page is None else (getattr(page, "title", None), getattr(page, "url", None))


#: What a page's key covers of what its template can read, for the tests that record
#: every read (tests/read_recording.py).  A read is a dotted path from a name of the
#: template context (`page.meta.icon`; `nav_item` is any item of the navigation,
#: `pages_file` any file of `pages`).  An entry names one read, or with `.*` every read
#: below it; the read's own entry decides, else the longest `.*` entry it is under:
#: True (always keyed), False (never), or the optional input that keys it in a build
#: that holds it (`"pages"`, `"build_time"`: see `inputs.theme_inputs`).  Context names
#: not listed are tipweek's own (its view, keyed whole) if tipweek adds them, else not
#: covered.
KEY_COVERS: dict[str, bool | str] = {
    # The whole configuration (config_snapshot), but for what it leaves out.
    **dict.fromkeys(("config", "config.*"), True),
    **dict.fromkeys(("config.site_dir", "config.config_file_path", "config.theme.dirs"), False),
    # The whole navigation (nav_snapshot), each item with its meta.
    # A file's `page` is a page labelled by itself (`page`, `nav_item`): its reads are.
    **dict.fromkeys(("page.file.page", "nav_item.file.page"), True),
    **dict.fromkeys(("nav", "nav.*", "nav_item.meta.*", "nav_item.file"), True),
    **{
        f"nav_item.{name}": True
        for name in (
            "title", "url", "meta", "children", "parent", "is_section", "is_page", "is_link",
            "is_index", "is_top_level", "is_homepage", "active", "edit_url", "canonical_url",
            "abs_url", "ancestors", "previous_page", "next_page", "file.src_uri", "file.url",
        )
    },
    # The page itself (page_key).
    **dict.fromkeys(("page", "page.meta.*", "page.toc.*", "page.file"), True),
    **{
        f"page.{name}": True
        for name in (
            "title", "url", "content", "toc", "meta", "canonical_url", "edit_url", "abs_url",
            "is_homepage", "is_page", "is_section", "is_link", "is_index", "is_top_level",
            "active", "children", "parent", "ancestors", "file.src_uri", "file.url",
            "previous_page", "previous_page.title", "previous_page.url",
            "next_page", "next_page.title", "next_page.url",
        )
    },
    "page.update_date": "build_time",
    # The rest of MkDocs' context, made from the page's URL, the config and versions.
    **dict.fromkeys(("base_url", "extra_css", "extra_javascript", "mkdocs_version"), True),
    "build_date_utc": "build_time",
    **dict.fromkeys(("pages", "pages_file.page.meta.*"), "pages"),
    **{
        f"pages_file.{name}": "pages"
        for name in ("src_uri", "url", "page", "page.title", "page.meta")
    },
}  # fmt: skip


def covered(path: str, keyed: frozenset[str] | set[str]) -> bool:
    """Whether the read `path` (see `KEY_COVERS`) is in a page's key, in a build whose
    keys hold the optional inputs `keyed`."""
    rule = KEY_COVERS.get(path)
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        if rule is not None:
            break
        rule = KEY_COVERS.get(".".join(parts[:end]) + ".*")
    if rule is None:
        return False
    return rule if isinstance(rule, bool) else rule in keyed


def page_key(site: str, page: Any, context: Mapping[str, Any], build_time: object) -> str:
    """The key of one page's template output.

    `site` is `site_fingerprint`; `context` is what tipweek adds to the
    template context for the page (its view model); `build_time` is the
    build's date and time if templates show it, else None.  Everything
    Material's templates read from `page` is here.
    """
    return fingerprint(
        site,
        page.file.src_uri,
        page.url,
        page.content or "",
        _described(
            {
                "title": page.title,
                "toc": toc_snapshot(page.toc),
                "meta": page.meta,
                "canonical_url": page.canonical_url,
                "edit_url": page.edit_url,
                "is_homepage": page.is_homepage,
                "previous": _link(page.previous_page),
                "next": _link(page.next_page),
                "ancestors": [_link(ancestor) for ancestor in page.ancestors],
                "build_time": build_time,
                "context": dict(context),
            }
        ),
    )


def _described(context: Mapping[str, Any]) -> bytes:
    """A page's facts and view models, in full.

    A pickle rather than `stable_repr`: the views are plain dataclasses of
    text, numbers and lists, which C pickles several times faster than Python
    can describe them, and a pickle holds everything needed to rebuild them, so
    two different views never look the same.  What could differ between two
    processes (a set's order) would only make the cache miss.
    """
    try:
        return pickle.dumps(dict(context), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return stable_repr(dict(context)).encode("utf-8", "surrogatepass")


def site_fingerprint(*parts: object) -> str:
    """A hash of the inputs every page shares (config, nav, theme files, versions)."""
    return fingerprint("tipweek-page", *parts)
