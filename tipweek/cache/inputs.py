"""Every input a cache key is built from, declared in one place.

A cache may only keep what it can key: if an input of a page cannot be named
here, the cache that would keep that page steps aside for the build (one INFO
line says why) and the build renders everything, as a build without caches.

- `RENDER_INPUTS`: what a tip's rendered HTML depends on (the render cache).
- `PAGE_INPUTS`: what a generated page's finished HTML depends on besides
  its own facts (the page cache).

Identity is content or a version, never a modification time or an absolute
path: a `.cache/` restored in CI, in another folder, with new mtimes, hits.
Installed distributions are identified by name and version (as compilers'
caches identify the compiler); the project's own files (custom_dir) and
tipweek's own code by their bytes.  Nothing read from `.cache` is executed or
unpickled; this module only hashes.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: The render cache's key: (input, why it is there).  The README's table lists the inputs,
#: in this order, one cell a cache, separated by "; " (tests/test_cache_readme_table.py).
RENDER_INPUTS = (
    ("the tip's Markdown, source path and URL", "what is converted, and where links resolve from"),
    ("tipweek's code, by content", "excerpts, link rewriting and the renderer itself"),
    (
        "the versions of MkDocs, Markdown, Pygments, pymdown-extensions, Material and of "
        "every configured extension's package",
        "converters: an upgrade changes output",
    ),
    ("`markdown_extensions` and their options", "which converters run, and how"),
    ("`use_directory_urls`, `validation` and tipweek's options", "links and messages"),
    ("for a tip with relative links, the site's files and their URLs", "link targets"),
)
#: The page cache's key.
PAGE_INPUTS = (
    (
        "each page's content, title, TOC, meta, URL, neighbours and view (its tips, "
        "excerpts, pager, related tips)",
        "what the page itself shows",
    ),
    ("tipweek's code, by content", "templates and views are part of it"),
    ("the whole mkdocs.yml (project paths made relative, `site_dir` left out)", "theme, extra"),
    ("the navigation", "menus and the previous/next links"),
    ("the site's list of pages if a template reads `pages`", "lists of all pages"),
    (
        "theme folders — installed ones by their distribution's version, others "
        "(`custom_dir`) by every file's bytes",
        "templates",
    ),
    ("the versions of MkDocs, Material, Jinja and each plugin", "renderers"),
    ("the build's date if a template shows it", "`build_date_utc`, `update_date`"),
)

#: Markdown extensions whose output depends only on the text and their options.
#: Anything else that reads files (`pymdownx.snippets`) or is unknown switches the
#: render cache off.
MARKDOWN_BUILTINS = {
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
    "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
    "smarty", "tables", "toc", "wikilinks",
}  # fmt: skip
#: Top-level modules of extensions tipweek knows, and their distributions.
KNOWN_EXTENSION_PACKAGES = {
    "markdown": "Markdown",
    "pymdownx": "pymdown-extensions",
    "material": "mkdocs-material",
}
#: Known extensions that read files while converting: their output is not a function of
#: the Markdown and options alone.
FILE_READING_EXTENSIONS = {"pymdownx.snippets"}
#: Distributions whose version is part of every render key (Pygments: code highlighting).
RENDER_DISTRIBUTIONS = ("mkdocs", "Markdown", "Pygments", "pymdown-extensions", "mkdocs-material")
#: Plugins known not to change what a tipweek page's template sees.  Material's search
#: plugin reads pages; it does not change them.
KNOWN_PLUGINS = {
    "tipweek": "tipweek",
    "search": "mkdocs",  # MkDocs' name for the search plugin; Material replaces it
    "material/search": "mkdocs-material",
}
PAGE_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "Jinja2", "MarkupSafe")


@functools.cache
def code_digest() -> str:
    """A hash of every file of the tipweek package (code, templates, stylesheets), by
    relative path and content; a development checkout changes without a version bump."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for root, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(root, name)
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def distribution_versions(names: Iterable[str]) -> list[tuple[str, str]]:
    return [(name, distribution_version(name)) for name in sorted(set(names))]


def _extension_name(extension: object) -> str:
    if isinstance(extension, str):
        return extension
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}"


def extension_inputs(
    extensions: Iterable[object], configs: Mapping[str, Any]
) -> tuple[list[tuple[str, str]], str | None]:
    """The distributions (with versions) the configured Markdown extensions come from,
    and why their output cannot be keyed, if it cannot (else None)."""
    distributions = set(RENDER_DISTRIBUTIONS)
    for extension in extensions:
        name = _extension_name(extension)
        short = name.removeprefix("markdown.extensions.")
        if short in MARKDOWN_BUILTINS:
            continue
        if name in FILE_READING_EXTENSIONS:
            return [], f"the Markdown extension '{name}' reads files"
        top = name.split(".", 1)[0]
        if top not in KNOWN_EXTENSION_PACKAGES:
            return [], f"the Markdown extension '{name}' is not one tipweek can key"
        distributions.add(KNOWN_EXTENSION_PACKAGES[top])
        options = configs.get(name) or {}
        if name in ("pymdownx.emoji", "material.extensions.emoji") or "custom_icons" in str(
            options
        ):
            icons = (options.get("options") or {}).get("custom_icons") if options else None
            if icons:
                return [], f"'{name}' reads custom icons from files"
    for value in _callables(configs):
        top = str(getattr(value, "__module__", "") or "").split(".", 1)[0]
        if top not in KNOWN_EXTENSION_PACKAGES:
            qualname = getattr(value, "__qualname__", "?")
            return [], f"an extension option names the function {top}.{qualname}"
    return distribution_versions(distributions), None


def _callables(value: object) -> Iterable[object]:
    if callable(value) and not isinstance(value, type):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _callables(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _callables(item)


def plugin_inputs(
    plugins: Mapping[str, object], hooks: Iterable[object]
) -> tuple[list[tuple[str, str]], str | None]:
    """The versions behind the configured plugins, and why a page cannot be keyed (an
    unknown plugin or a hook may change any page's template context), if it cannot."""
    hooks = list(hooks)
    if hooks:
        return [], "hooks in mkdocs.yml may change what any page shows"
    distributions = set(PAGE_DISTRIBUTIONS)
    for name in plugins:
        if name not in KNOWN_PLUGINS:
            return [], f"the plugin '{name}' may change what any page shows"
        distributions.add(KNOWN_PLUGINS[name])
    distributions.discard("tipweek")  # its code is keyed by content
    return distribution_versions(distributions), None


def theme_inputs(dirs: Iterable[str]) -> tuple[list[object], frozenset[str]]:
    """Each theme folder by what it is (an installed distribution's folder: its name and
    version; tipweek's own: its code; any other, such as custom_dir: every file's path
    and bytes), and which optional inputs the templates read: `"build_time"` if any
    mentions the build's date or time, `"pages"` if any reads the global list of pages
    (which then keys every page: a new tip changes it)."""
    described: list[object] = []
    mentioned: set[str] = set()
    package = str(Path(__file__).resolve().parent.parent)
    for directory in dirs:
        real = os.path.realpath(directory)
        owner = _installed_owner(real)
        if real == package or real.startswith(package + os.sep):
            described.append(("tipweek", os.path.relpath(real, package), code_digest()))
        elif owner is not None:
            described.append(owner)
        else:
            described.append(("files", _tree_digest(real)))
        mentioned |= _mentioned_inputs(real)
    return described, frozenset(mentioned)


#: Names a template can use to put the build's date or time into a page.
BUILD_TIME_NAMES = ("update_date", "build_date_utc")
#: The template context's list of every page, as a name of its own (not `nav_item.pages`).
_PAGES_NAME = re.compile(r"(?<![\w.])pages\b")
_JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.S)


def _mentioned_inputs(directory: str) -> set[str]:
    found: set[str] = set()
    for root, folders, names in os.walk(directory):
        folders.sort()
        for name in names:
            if not name.endswith(".html"):
                continue
            try:
                text = Path(root, name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                return {"build_time", "pages"}  # cannot tell: assume both, costing only hits
            if any(word in text for word in BUILD_TIME_NAMES):
                found.add("build_time")
            if any(_PAGES_NAME.search(code) for code in _JINJA.findall(text)):
                found.add("pages")
    return found


def _installed_owner(real: str) -> tuple[str, str, str] | None:
    """(distribution, version, folder within it) for a folder inside site-packages."""
    for entry in sorted({os.path.realpath(p) for p in sys.path if p}, key=len, reverse=True):
        if not real.startswith(entry + os.sep) or "site-packages" not in entry:
            continue
        relative = os.path.relpath(real, entry)
        top = relative.split(os.sep, 1)[0]
        name = _distribution_of(top)
        if name is None:
            return None
        return name, distribution_version(name), relative.replace(os.sep, "/")
    return None


@functools.cache
def _distribution_of(top: str) -> str | None:
    known = {**KNOWN_EXTENSION_PACKAGES, "mkdocs": "mkdocs"}
    if top in known:
        return known[top]
    names = importlib.metadata.packages_distributions().get(top)
    return names[0] if names else None


def _tree_digest(directory: str) -> str:
    digest = hashlib.sha256()
    for root, folders, names in os.walk(directory):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, directory).encode("utf-8", "surrogateescape"))
            try:
                with open(path, "rb") as stream:
                    digest.update(hashlib.sha256(stream.read()).digest())
            except OSError:
                digest.update(b"unreadable")
            digest.update(b"\0")
    return digest.hexdigest()
