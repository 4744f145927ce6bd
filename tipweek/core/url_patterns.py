"""The rules a URL pattern under `urls:` must follow, so the build can use it as written.

`UrlScheme` fills these patterns with `str.format`: an unknown placeholder
would be a KeyError in the middle of a build, a tip pattern without `{slug}`
would give every tip of a day the same URL, and a pattern that is not a
folder (`{yyyy}/{slug}`) would make MkDocs write `index.html` where the
pattern promised a file.  Each rule has one message, shown the same way by
`tipweek check` and `mkdocs build` (through `tipweek.core.options`).
"""

from __future__ import annotations

from string import Formatter

# What each pattern may contain; `required` are the placeholders without which
# two pages would share a URL.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "tip": ("yyyy", "mm", "dd", "slug"),
    "page": ("n",),
    "tags": (),
    "year": ("yyyy",),
    "feed": (),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "tip": ("slug",),
    "page": ("n",),
    "tags": (),
    "year": ("yyyy",),
    "feed": (),
}
# The feed is a file; every other pattern is a folder with an index.html.
FILE_PATTERNS = ("feed",)


def pattern_problem(kind: str, pattern: str) -> str | None:
    """Why `pattern` cannot be the `urls.<kind>` pattern, or None if it can."""
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in Formatter().parse(pattern)
            if name is not None
        ]
    except ValueError:
        return "has an unmatched '{' or '}'"
    allowed = PLACEHOLDERS[kind]
    for name, spec, conversion in fields:
        if name not in allowed or spec or conversion:
            known = ", ".join(f"{{{p}}}" for p in allowed) or "none"
            return f"has an unknown placeholder {{{name}}} (known here: {known})"
    names = {name for name, _, _ in fields}
    for name in REQUIRED[kind]:
        if name not in names:
            return f"must contain {{{name}}}, or two pages would share one URL"
    return _shape_problem(kind, pattern)


def _shape_problem(kind: str, pattern: str) -> str | None:
    if pattern.startswith("/") or "\\" in pattern:
        return "must be a site-relative path without a leading '/' (e.g. 'tags/')"
    if "//" in pattern or any(part in (".", "..") for part in pattern.split("/")):
        return "must not contain empty, '.' or '..' path segments"
    if kind in FILE_PATTERNS:
        if not pattern or pattern.endswith("/"):
            return "must be a file name such as 'feed.xml'"
        return None
    if not pattern.endswith("/") or pattern == "/":
        return "must end with '/' (a folder URL such as 'tags/')"
    return None
