"""Prove an imported body is inert: render it as the site will, and look at the HTML.

Escaping the converter's output is the first line of defence; this is the
second.  The body is rendered with Python-Markdown and the site's own
`markdown_extensions` (plus the three MkDocs always adds), and the HTML is
scanned for what could run code in a reader's browser: script-like elements,
`on*` handlers, `style` attributes, and `javascript:`, `vbscript:` or `data:`
URLs (`data:image/...` in an image's `src` aside).  A body that fails is not
written.  Python-Markdown is not MkDocs: importing it here keeps the importer
free of MkDocs, as the layers demand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import markdown

from tipweek.core.settings import Settings, config_data

# What MkDocs adds to every site's list (mkdocs/config/defaults.py).
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
ACTIVE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "meta", "link", "style", "svg", "math", "template", "portal", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "data", "background", "cite",
    "longdesc", "xlink:href", "srcset", "ping", "manifest", "codebase", "archive",
}  # fmt: skip
# The one style Markdown itself writes: a table column's alignment (`| :-- |`).
_ALIGNMENT = re.compile(r"^text-align: (left|right|center);?$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_ELEMENTS:
            self.problems.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an {name}= handler on <{tag}>")
            elif name == "style" and not _ALIGNMENT.match(value or ""):
                self.problems.append(f"a style= attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and value and _dangerous_url(tag, name, value):
                self.problems.append(f"a {value.strip()[:30]!r} address in <{tag} {name}>")

    handle_startendtag = handle_starttag


def _dangerous_url(tag: str, attribute: str, value: str) -> bool:
    candidates = value.split(",") if attribute == "srcset" else [value]
    for candidate in candidates:
        url = _CONTROL.sub("", candidate).lower()
        if url.startswith(_BAD_SCHEMES):
            if tag == "img" and attribute in ("src", "srcset") and url.startswith("data:image/"):
                continue
            return True
    return False


def scripting_problems(html: str) -> list[str]:
    """What in `html` could run code; empty when it is inert."""
    scanner = _Scanner()
    try:
        scanner.feed(html)
        scanner.close()
    except Exception as error:  # html.parser trips on some broken markup (`<![`)
        return [f"HTML that cannot be checked ({error})"]
    return list(dict.fromkeys(scanner.problems))


def site_extensions(settings: Settings) -> tuple[list[Any], dict[str, Any]]:
    """The site's `markdown_extensions` as Python-Markdown takes them."""
    names: list[Any] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, Any] = {}
    listed: Iterable[Any] = []
    if settings.config_file is not None:
        try:
            listed = config_data(settings.config_file).get("markdown_extensions") or []
        except Exception:  # the CLI already reported a broken mkdocs.yml
            listed = []
    for item in listed if isinstance(listed, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, options in item.items():
                names.append(str(name))
                if isinstance(options, dict):
                    configs[str(name)] = options
    return list(dict.fromkeys(names)), configs


class InertCheck:
    """Renders bodies with the site's extensions; one Markdown instance per import."""

    def __init__(self, settings: Settings) -> None:
        names, configs = site_extensions(settings)
        loaded: list[Any] = []
        for name in names:
            # An extension that cannot load here (a config tag read as plain data,
            # a package missing) is left out of the check, not out of the import.
            for options in (configs.get(name, {}), {}):
                try:
                    markdown.Markdown(extensions=[name], extension_configs={name: options})
                except Exception:
                    continue
                loaded.append((name, options))
                break
        self.markdown = markdown.Markdown(
            extensions=[name for name, _ in loaded],
            extension_configs={name: options for name, options in loaded},
        )
        self.skipped = [name for name in names if name not in {n for n, _ in loaded}]
        # What the site enables, by the name Python-Markdown's own extensions go by.
        self.extensions = {name.rsplit(".", 1)[-1] for name in names}

    def problems(self, body: str) -> list[str]:
        try:
            html = self.markdown.reset().convert(body)
        except Exception as error:
            return [f"Markdown that does not render ({error})"]
        return scripting_problems(html)
