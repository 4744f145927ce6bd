"""One rule for every link the site shows: a link that runs script is an error.

Links reach pages from several places: a tip's body and its `image:`, an
author's `url:` in authors.yml, the site's own links in mkdocs.yml
(`call_to_action` URLs, `share_image`).  Each is checked here, with the same
words and the same severity, an error: a `javascript:` author link is no less
a script than one in a tip.  (Tag pages' links are made from tag slugs, which
are ASCII words: no tag can carry a scheme.)

A browser drops tabs and newlines inside a URL, ignores case and leading
spaces and control characters, and decodes character references in HTML
attributes, so `  Java&#09;Script:` is `javascript:`.  `data:image/…` is a
picture, allowed; any other `data:` URL can hold a page with script.
"""

from __future__ import annotations

import html
import re

SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
# A numeric reference past U+10FFFF names no character; `html.unescape` reads it with
# `int()` first, which raises past 4,300 digits.
_HUGE_NUMERIC_REFERENCE = re.compile(r"&#(?:0*[0-9]{8,}|[xX]0*[0-9a-fA-F]{7,});?")
_DROPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def unescape(text: str) -> str:
    """`html.unescape` for any input: a reference too large for any character is U+FFFD."""
    return html.unescape(_HUGE_NUMERIC_REFERENCE.sub("\ufffd", text))


def script_scheme(url: str) -> str | None:
    """`javascript` (`vbscript`, `data`) when following `url` would run script, else None."""
    text = _DROPPED.sub("", unescape(url) if "&" in url else url)
    text = text.lstrip("".join(chr(c) for c in range(0x21)))
    found = _SCHEME.match(text)
    if not found:
        return None
    scheme = found.group(1).lower()
    if scheme not in SCRIPT_SCHEMES:
        return None
    if scheme == "data" and text[found.end() :].lower().startswith("image/"):
        return None
    return scheme


def script_link_message(scheme: str) -> str:
    """The one message for a script link, wherever it is."""
    return f"a {scheme}: link runs script in the reader's browser; link to an http(s) page instead"


def link_problem(url: str) -> str | None:
    """The message for `url` if it runs script, else None."""
    scheme = script_scheme(url)
    return script_link_message(scheme) if scheme else None
