"""Checks on the text of a tip that no YAML or Markdown parser makes: control
characters and script links.

Both the build and `tipweek check` call these through `parse_tip`, so they
report the same lines.  Nothing here renders Markdown: the checks read the
source line by line, which is what lets them name the line.

- A control character (U+0000 to U+001F but tab, newline and carriage return;
  U+007F to U+009F) is invisible in an editor and either breaks or vanishes
  from the HTML, XML and JSON built from it.  In a title, tag, summary, author
  or alias it is an error; in the body a warning, U+0000 an error.
- A numeric character reference longer than any character needs (`&#` and
  4,301 digits stop Python's HTML parser with a traceback) is an error.
- A `javascript:`, `vbscript:` or `data:` link (except `data:image/`) runs
  script when clicked: an error, as the same link is anywhere else in the site
  (`links.py` decides, for every link); the importer makes sure imported posts
  never contain one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tipweek.core.links import script_link_message, script_scheme, unescape

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Form feed is allowed in the body: some editors use it as a page break.
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Where a URL starts in Markdown or HTML: `](`, `]: `, `<`, `href=`/`src=`/… in a tag or an
# attribute list, with or without quotes; never after a backslash, which makes it text.
_URL_START = (
    r"(?:(?<!\\)\]\(\s*<?|^\s{0,3}\[[^\]]*\]:\s*<?|(?<!\\)<"
    # An attribute inside a tag (`<a href=…`) or an attribute list (`{: href=… }`), not
    # prose that mentions one.
    r"|(?:(?<!\\)<[a-zA-Z][^>]*?|\{[^}]*?)"
    r"\b(?:href|src|action|formaction|poster|background|xlink:href)\s*=\s*[\"']?)"
)
# Browsers drop ASCII tabs and newlines inside a scheme, and ignore case.
_SCRIPT_URL = re.compile(
    _URL_START + r"\s*((?:j\s*a\s*v\s*a|v\s*b)\s*s\s*c\s*r\s*i\s*p\s*t|d\s*a\s*t\s*a)\s*:(\S{0,6})",
    re.IGNORECASE | re.MULTILINE,
)
# Browsers drop these inside a URL's scheme (`java\tscript:` is `javascript:`).
_TABS_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
# Characters written as entities are text to Markdown: `&lt;a` is no tag, `&#91;x&#93;(…)`
# no link. Only the scheme itself is decoded (`&#106;avascript:` is `javascript:`).
_ENTITY_MARKUP = re.compile(
    r"&(?:lt|lsqb|rsqb|lbrack|rbrack|lpar|#0*(?:60|91|93|40)|#x0*(?:3c|5b|5d|28));?",
    re.IGNORECASE,
)
# No character needs more than seven digits; Python's HTML parser, which MkDocs and the
# Markdown reader run over every page, reads them with `int()` and stops with a traceback
# past 4,300.  A run this long is refused (it could only be a mistake or an attack).
MAX_REFERENCE_DIGITS = 32
_LONG_REFERENCE = re.compile(
    rf"&#(?:[0-9]{{{MAX_REFERENCE_DIGITS + 1},}}|[xX][0-9a-fA-F]{{{MAX_REFERENCE_DIGITS + 1},}})"
)
_QUOTE_MARKERS = re.compile(r"^(?:\s{0,3}>\s?)+")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def control_character(text: str) -> str | None:
    """`U+0007` for the first control character in a front-matter value, else None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def body_problems(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line, message, severity) for each control character line and script link in `body`.

    `first_line` is the file line the body starts on.  Each check looks at the
    whole body first, and line by line only when it found something: a
    pre-commit check reads 2,000 bodies, almost all of them clean.
    """
    if _BODY_CONTROL.search(body):
        yield from _control_lines(body, first_line)
    if "&#" in body:
        yield from _long_references(body, first_line)
    text = unescape(body) if "&" in body else body
    # A substring test first: the regex costs a millisecond a tip, the test microseconds.
    squeezed = text.lower().translate(_TABS_AND_NEWLINES)
    if ("script:" in squeezed or "data:" in squeezed) and _SCRIPT_URL.search(text):
        yield from _script_lines(body, first_line)


def _long_references(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    for found in _LONG_REFERENCE.finditer(body):
        digits = len(found.group().lstrip("&#xX"))
        yield (
            first_line + body.count("\n", 0, found.start()),
            f"a character reference '&#…' of {digits:,} digits names no character "
            f"(at most {MAX_REFERENCE_DIGITS}); write the character itself",
            "error",
        )


def _control_lines(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    for offset, line in enumerate(body.split("\n")):
        found = _BODY_CONTROL.search(line)
        if not found:
            continue
        code = f"U+{ord(found.group()):04X}"
        if code == "U+0000":
            yield (
                first_line + offset,
                "the text contains a NUL character (U+0000); remove it",
                "error",
            )
        else:
            yield (
                first_line + offset,
                f"the text contains an invisible control character ({code}); "
                "it was probably pasted by mistake",
                "warning",
            )


def _script_lines(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    fence: str | None = None  # the opening run of a fenced code block we are in
    for offset, line in enumerate(body.split("\n")):
        # Code blocks show links as text: not a link, not a warning.
        text = _QUOTE_MARKERS.sub("", line, count=1)
        marker = _FENCE.match(text)
        if marker:
            run = marker.group(1)
            if fence is None:
                fence = run
            elif run[0] == fence[0] and len(run) >= len(fence) and not text.strip(run[0] + " "):
                fence = None  # a closing fence: the same character, at least as long
            continue
        if fence is not None or _INDENTED_CODE.match(text):
            continue
        scheme = _script_scheme(line)
        if scheme:
            yield (first_line + offset, script_link_message(scheme), "error")


def _script_scheme(line: str) -> str | None:
    if ":" not in line:  # almost every line: no scheme at all
        return None
    # `&#106;avascript:` is `javascript:` to a browser; code spans are shown, not followed;
    # a `<` written as an entity is text (an imported post's escaped markup), not a tag.
    text = unescape(_ENTITY_MARKUP.sub("\ufffd", _CODE_SPAN.sub("", line)))
    for match in _SCRIPT_URL.finditer(text):
        # The same decision as for every other link of the site (`links.script_scheme`).
        scheme = script_scheme(re.sub(r"\s", "", match.group(1)) + ":" + match.group(2))
        if scheme:
            return scheme
    return None
