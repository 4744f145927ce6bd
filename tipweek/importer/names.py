"""Names the file system accepts: slugs, tags and old URLs of imported posts; tags as labels.

A tip's slug is part of its file name (`2014-07-22-<slug>.md`) and of its page's
folder; old URLs become redirect folders; tags become `/tags/<tag>/` folders.
Most file systems refuse a name over 255 bytes (`ENAMETOOLONG`), so imported
names are kept well below it, cut at a word boundary so they still read well.
"""

from __future__ import annotations

import hashlib

# A slug this long is already a sentence; room is left for `YYYY-MM-DD-`, `.md`
# and a `-NN` that tells apart two posts with one slug on one day.
MAX_SLUG_CHARS = 120
# Tags are longer than this only by accident (a sentence in the tag box).
MAX_TAG_CHARS = 100
# Any single folder or file name the build may write.
MAX_NAME_BYTES = 200


def plain_tag(term: str) -> str:
    """A category or tag as a plain label: markup characters and control characters out.

    A tag is shown in many places (pages, feeds' channel descriptions, search),
    not all of which are HTML-escaped by every reader; `<img onerror=...>` as a
    tag name has no business surviving an import.
    """
    cleaned = "".join(" " if ch in '<>"' or ord(ch) < 32 or ord(ch) == 127 else ch for ch in term)
    return " ".join(cleaned.split())


def short_slug(slug: str, limit: int = MAX_SLUG_CHARS) -> str:
    """`slug` cut to at most `limit` characters, at a hyphen where there is one.

    A cut slug ends in a digest of the whole one: two long slugs that share
    their first words stay two slugs, the same on every import (so a re-run
    recognises them, even when their old URLs were too long to keep).
    """
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
    room = limit - len(digest) - 1
    cut = slug[:room]
    if "-" in cut[room // 2 :]:
        cut = cut.rsplit("-", 1)[0]
    return f"{cut.strip('-')}-{digest}"


def fits_file_system(url_path: str) -> bool:
    """True if every segment of a (percent-encoded) URL path is a file name that fits."""
    return all(len(part.encode("utf-8")) <= MAX_NAME_BYTES for part in url_path.split("/"))
