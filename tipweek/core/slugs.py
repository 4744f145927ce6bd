"""ASCII slugs for tip URLs and tag URLs.

One function decides how any text becomes a URL segment, so a tag written
`Phone Skills` in one tip and `phone skills` in another lands on one page,
and `Café` and `Cafe` share one too.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Symbols that carry meaning in tag names ("C++", "Q&A"); dropping them would
# merge tags that readers consider different.
_SYMBOL_WORDS = {"&": " and ", "+": " plus ", "#": " sharp ", "@": " at "}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# "Don't" is one word: `dont-rush`, not `don-t-rush`.
_APOSTROPHES = re.compile(r"['\u2019]")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; empty if nothing ASCII survives."""
    if SLUG_PATTERN.fullmatch(text):
        return text  # already one: most file names, so every build and check meets this
    text = _APOSTROPHES.sub("", text)
    for symbol, word in _SYMBOL_WORDS.items():
        text = text.replace(symbol, word)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def slug_or_digest(text: str, prefix: str) -> str:
    """The slug of `text`, or `prefix-<digest>` when nothing ASCII survives.

    Arabic or Chinese names have no ASCII transliteration here; a short digest
    of the case-folded text keeps the URL ASCII, stable and distinct.
    """
    slug = slugify(text)
    if slug:
        return slug
    import hashlib  # rarely needed: not loaded by every `tipweek check`

    digest = hashlib.sha1(text.casefold().strip().encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


@functools.lru_cache(maxsize=4096)  # a few dozen tags, on thousands of tips
def tag_slug(name: str) -> str:
    """The URL segment of a tag (`Phone Skills` → `phone-skills`)."""
    return slug_or_digest(name, "tag")


def is_slug(text: str) -> bool:
    """True for text that is already a valid slug (what a `slug:` key must be)."""
    # fullmatch: `$` alone would let a trailing newline through (`slug: "x\n"`).
    return bool(SLUG_PATTERN.fullmatch(text))
