"""Every input a cache key is built from, declared in one place.

A cache may only keep what it can key: if an input of a page cannot be named
here, the cache that would keep that page steps aside for the build (one INFO
line says why) and the build renders everything, as a build without caches.

- `MARKDOWN_INPUTS`: what a tip's converted HTML depends on (the Markdown cache).
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

from tipweek.cache import markdown_inputs

#: The Markdown cache's key: (input, why it is there).  The README's table lists the inputs,
#: in this order, one cell a cache, separated by "; " (tests/test_cache_readme_table.py).
MARKDOWN_INPUTS = (
    ("the tip's Markdown, source path and URL", "what is converted, and where links resolve from"),
    ("tipweek's code, by content", "excerpts, link rewriting and the converter itself"),
    (
        "the versions of MkDocs, Markdown, Pygments, pymdown-extensions, Material, of every "
        "configured extension's package and of every package an option's function comes from",
        "converters: an upgrade changes output",
    ),
    (
        "`markdown_extensions` and their options, objects and functions by class, state and "
        "qualified name",
        "which converters run, and how",
    ),
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
    ("tipweek's code and templates, by content", "templates and views are part of it"),
    (
        "the whole mkdocs.yml, objects and functions by class, state and qualified name "
        "(project paths made relative, `site_dir` left out)",
        "theme, extra, anything a template may read",
    ),
    (
        "the whole navigation, each item's title, URL, meta and address",
        "menus (Material shows icons, status, subtitles), previous/next links",
    ),
    (
        "the site's list of pages, each one's title and meta, if any theme file mentions `pages`",
        "lists of all pages",
    ),
    (
        "theme folders — installed ones by their distribution's version, others "
        "(`custom_dir`) by every file's bytes, whatever its name, symbolic links followed",
        "templates",
    ),
    ("the versions of MkDocs, Material, Jinja and each plugin", "renderers"),
    (
        "the build's date if any theme file mentions `build_date_utc` or `update_date`",
        "the date a page shows",
    ),
)

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


def code_digest() -> str:
    """A hash of every file of the tipweek package (code, templates, stylesheets), by
    relative path and content; a development checkout changes without a version bump,
    and `mkdocs serve` reads an edited template of tipweek's on its next rebuild, so
    this is worked out again on every call (a file's stat only decides whether its
    bytes are hashed again, never what the digest is)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for root, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(root, name)
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(_file_digest(str(path)))
    return digest.hexdigest()


#: By path: the stat a file had when its bytes were hashed, and their hash.
_file_digests: dict[str, tuple[tuple[int, ...], bytes]] = {}


def _file_digest(path: str) -> bytes:
    stat = os.stat(path)
    # The change time moves on every write, even one that puts the mtime back.
    seen = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
    known = _file_digests.get(path)
    if known is not None and known[0] == seen:
        return known[1]
    with open(path, "rb") as stream:
        digest = hashlib.sha256(stream.read()).digest()
    _file_digests[path] = (seen, digest)
    return digest


@functools.cache
def distribution_version(name: str) -> str:
    if name == "python":  # the standard library, named in an option (`str.lower`)
        return ".".join(str(part) for part in sys.version_info[:3])
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def distribution_versions(names: Iterable[str]) -> list[tuple[str, str]]:
    return [(name, distribution_version(name)) for name in sorted(set(names))]


def extension_inputs(
    extensions: Iterable[object], configs: Mapping[str, Any]
) -> tuple[list[tuple[str, str]], str | None]:
    """The distributions (with versions) the configured Markdown extensions and the code
    named in their options come from, and why their output cannot be keyed, if it cannot
    (else None): see `markdown_inputs`."""
    names, reason = markdown_inputs.extension_inputs(extensions, configs, RENDER_DISTRIBUTIONS)
    return ([], reason) if reason is not None else (distribution_versions(names), None)


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
            mentioned |= _installed_mentions(real, ("tipweek", code_digest(), ""))
        elif owner is not None:
            described.append(owner)
            mentioned |= _installed_mentions(real, owner)
        else:
            digest, found = _tree_inputs(real)
            described.append(("files", digest))
            mentioned |= found
    return described, frozenset(mentioned)


#: Names a template can use to put the build's date or time into a page.
BUILD_TIME_NAMES = ("update_date", "build_date_utc")
#: The template context's list of every page, as a name of its own (not `nav_item.pages`).
_PAGES_NAME = re.compile(r"(?<![\w.])pages\b")
_JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.S)


def _mentions(text: str) -> set[str]:
    found = set()
    if any(word in text for word in BUILD_TIME_NAMES):
        found.add("build_time")
    if any(_PAGES_NAME.search(code) for code in _JINJA.findall(text)):
        found.add("pages")
    return found


#: An installed theme's page templates and partials.  Not its icons, nor MkDocs'
#: `sitemap.xml`, which lists `pages` but is no page's template (were one to include
#: it, the read-recording tests would fail).  A custom_dir is read whole.
_TEMPLATE_SUFFIXES = (".html", ".htm")


@functools.cache
def _installed_mentions(real: str, owner: tuple[str, str, str]) -> frozenset[str]:
    """What an installed theme folder's templates mention, once a process: its files
    change only with its version (`owner`, part of the cache key)."""
    found: set[str] = set()
    for _relative, path in _files(real):
        if path.endswith(_TEMPLATE_SUFFIXES):
            try:
                found |= _mentions(Path(path).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return frozenset({"build_time", "pages"})  # cannot tell: assume both
    return frozenset(found)


def _files(directory: str) -> list[tuple[str, str]]:
    """Every file under `directory` as Jinja's loader finds them, symbolic links
    followed (a folder reached twice by links is read once): (relative, path), sorted."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root, folders, names in os.walk(directory, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        for name in names:
            path = os.path.join(root, name)
            found.append((os.path.relpath(path, directory).replace(os.sep, "/"), path))
    return sorted(found)


def _tree_inputs(directory: str) -> tuple[str, set[str]]:
    """Every file of a theme folder that is not an installed one (`custom_dir`), by
    relative path and bytes, whatever its name; and what its files mention (`_mentions`,
    in any file: Jinja includes any file by name)."""
    digest = hashlib.sha256()
    mentioned: set[str] = set()
    for relative, path in _files(directory):
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError:  # a dangling link, a folder we may not read: as its own input
            digest.update(b"unreadable\0")
            mentioned |= {"build_time", "pages"}
            continue
        digest.update(hashlib.sha256(data).digest())
        mentioned |= _mentions(data.decode("utf-8", errors="replace"))
    return digest.hexdigest(), mentioned


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
    known = {**markdown_inputs.KNOWN_EXTENSION_PACKAGES, "mkdocs": "mkdocs"}
    if top in known:
        return known[top]
    names = importlib.metadata.packages_distributions().get(top)
    return names[0] if names else None
