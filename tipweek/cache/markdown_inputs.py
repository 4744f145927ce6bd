"""Which configured Markdown extensions the Markdown cache can key, and by what.

An extension's output is keyable when it depends only on the Markdown, the
extension's options and its package's code: then the package's name and
version, and the options (`describe.stable_repr`), are its part of the key.
Whether an extension reads files (`pymdownx.snippets`, `pymdownx.b64`,
`markdown-include`, …) cannot be told from the outside, so this module keeps
an allow-list of the extensions known to read none, by the module that
defines them, whatever name the configuration gives them (`toc`,
`markdown.extensions.toc`, `markdown.extensions.toc:TocExtension`, with or
without options).  Any other extension, and any function or object in the
options that comes from code which is not an installed distribution (the
site's own module), switches the Markdown cache off.

Pure: no Markdown or MkDocs import (entry points are read from metadata).
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any

#: Modules of extensions known to read no file while converting, whose output is a
#: function of the Markdown, their options and their package's version.
NO_FILE_EXTENSIONS = frozenset(
    [
        *(
            f"markdown.extensions.{name}"
            for name in (
                "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra",
                "fenced_code", "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta",
                "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks",
            )
        ),
        *(
            f"pymdownx.{name}"
            for name in (
                "arithmatex", "betterem", "blocks.admonition", "blocks.caption",
                "blocks.definition", "blocks.details", "blocks.html", "blocks.tab", "caret",
                "critic", "details", "emoji", "escapeall", "extra", "fancylists", "highlight",
                "inlinehilite", "keys", "magiclink", "mark", "progressbar", "saneheaders",
                "smartsymbols", "striphtml", "superfences", "tabbed", "tasklist", "tilde",
            )
        ),
    ]
)  # fmt: skip
#: Top-level modules of the packages those extensions come from, and their distributions.
KNOWN_EXTENSION_PACKAGES = {
    "markdown": "Markdown",
    "pymdownx": "pymdown-extensions",
    "material": "mkdocs-material",
}
#: Emoji extensions whose `options.custom_icons` names folders of SVG files they read.
EMOJI_EXTENSIONS = {"pymdownx.emoji"}
#: Types whose values are data, described in full by `stable_repr`.
_DATA_MODULES = {"builtins", "re", "datetime", "pathlib", "decimal", "fractions", "collections"}


def extension_module(extension: object) -> str:
    """The module that defines `extension` as Markdown would load it: an entry point of
    that name first, then `module:Class`, then the name as a module."""
    if not isinstance(extension, str):
        return type(extension).__module__
    entry = _entry_points().get(extension)
    if entry is not None:
        extension = entry
    return extension.split(":", 1)[0]


@functools.cache
def _entry_points() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in importlib.metadata.entry_points(group="markdown.extensions"):
        found.setdefault(entry.name, entry.value)
    return found


def extension_inputs(
    extensions: Iterable[object], configs: Mapping[str, Any], always: Iterable[str] = ()
) -> tuple[list[str], str | None]:
    """The distributions the configured extensions and their options' code come from
    (with `always`), and why their output cannot be keyed, if it cannot (else None)."""
    distributions = set(always)
    for extension in extensions:
        name = extension if isinstance(extension, str) else type(extension).__qualname__
        module = extension_module(extension)
        if module not in NO_FILE_EXTENSIONS:
            return [], (
                f"the Markdown extension '{name}' is not one tipweek knows to read no files"
            )
        distributions.add(KNOWN_EXTENSION_PACKAGES[module.split(".", 1)[0]])
        options = configs.get(name) if isinstance(extension, str) else None
        if module in EMOJI_EXTENSIONS and _custom_icons(options):
            return [], f"'{name}' reads custom icons from files"
    for value in code_in(configs):
        module = getattr(value, "__module__", None) or type(value).__module__
        distribution = installed_distribution(module)
        if distribution is None:
            return [], (
                f"an extension option names {module}.{getattr(value, '__qualname__', '?')}, "
                "which is not from an installed package"
            )
        distributions.add(distribution)
    return sorted(distributions), None


def _custom_icons(options: object) -> bool:
    inner = options.get("options") if isinstance(options, Mapping) else None
    return bool(inner.get("custom_icons")) if isinstance(inner, Mapping) else False


def code_in(value: object, depth: int = 0) -> Iterable[object]:
    """The functions, classes and objects of other than data types inside `value`."""
    if depth > 40 or value is None or isinstance(value, (bool, int, float, str, bytes)):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from code_in(key, depth + 1)
            yield from code_in(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from code_in(item, depth + 1)
    elif isinstance(value, functools.partial):
        yield from code_in([value.func, value.args, value.keywords], depth + 1)
    elif inspect.ismethod(value):
        yield from code_in([value.__func__, value.__self__], depth + 1)
    elif inspect.isroutine(value) or inspect.isclass(value):
        if getattr(value, "__module__", None) not in _DATA_MODULES:
            yield value
    elif type(value).__module__ not in _DATA_MODULES:
        yield value


def installed_distribution(module: str) -> str | None:
    """The distribution an imported module comes from, if it is installed (in
    site-packages, so its version names its code); None for the site's own code."""
    top = module.split(".", 1)[0]
    if top in KNOWN_EXTENSION_PACKAGES:
        return KNOWN_EXTENSION_PACKAGES[top]
    if top in sys.stdlib_module_names:
        return "python"
    loaded = sys.modules.get(top)
    where = os.path.realpath(getattr(loaded, "__file__", None) or "")
    if "site-packages" not in where.split(os.sep) and "dist-packages" not in where.split(os.sep):
        return None
    names = importlib.metadata.packages_distributions().get(top)
    return names[0] if names else None
