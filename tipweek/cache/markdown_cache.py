"""A persistent cache of converted tips (their Markdown as HTML): a rebuild converts
only the Markdown that changed.

The cache is one JSON file (`.cache/tipweek/rendered-tips.json` next to
mkdocs.yml; the name is older than the word "convert" here, and kept so that a
project's cache in CI stays one file) mapping a key to whatever the converter
stored for it (HTML, table of contents, anchors). The key is a hash of
everything that can change a tip's conversion; the converter builds it with
`fingerprint`. This module knows nothing about MkDocs or Markdown: it stores,
finds and forgets entries.

- A missing, unreadable, corrupt or old-format file is an empty cache: the build
  just converts everything, as a first build would.
- Only entries used by the last build are written back, so the file never holds
  more than one build's worth of tips, however often tips are edited.
- The file is replaced atomically, so an interrupted build never leaves half a
  cache for the next one to trip over.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from tipweek.cache.describe import stable_repr
from tipweek.core.atomic_files import replace_atomically

#: Bump when the layout of entries changes; older files are then ignored.
CACHE_FORMAT = 1
CACHE_DIR = Path(".cache") / "tipweek"
CACHE_FILE = "rendered-tips.json"

ConvertedTip = dict[str, Any]


def fingerprint(*parts: object) -> str:
    """A hash of `parts`, each described by `stable_repr` (bytes as they are), that is
    the same in every process."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            digest.update(part)
        else:
            text = part if isinstance(part, str) else stable_repr(part)
            digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")  # so ("ab", "c") and ("a", "bc") differ
    return digest.hexdigest()


class MarkdownCache:
    """Entries by key, loaded from and saved to one file.

    `hits` and `misses` count lookups since `begin`, so a build (and a test)
    can tell how much of the site came from the cache.
    """

    def __init__(self, path: Path, entries: dict[str, ConvertedTip] | None = None) -> None:
        self.path = path
        self._stored: dict[str, ConvertedTip] = entries or {}
        self._used: dict[str, ConvertedTip] = {}
        self._changed = False
        self._stamp = _stamp(path)
        self.hits = 0
        self.misses = 0

    @classmethod
    def load(cls, path: Path) -> MarkdownCache:
        """The cache in `path`, or an empty one if the file is missing or unusable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return cls(path)
        if (
            not isinstance(data, dict)
            or data.get("format") != CACHE_FORMAT
            or not isinstance(data.get("entries"), dict)
        ):
            return cls(path)
        entries = {k: v for k, v in data["entries"].items() if isinstance(v, dict)}
        return cls(path, entries)

    def matches_disk(self) -> bool:
        """False if the file changed (or vanished) since this cache read or wrote it."""
        return self._stamp is not None and self._stamp == _stamp(self.path)

    def __len__(self) -> int:
        return len(self._stored)

    def __contains__(self, key: object) -> bool:
        """Whether `key` has an entry, without counting a lookup."""
        return key in self._used or key in self._stored

    def begin(self) -> None:
        """Start counting hits and misses for a new build."""
        self.hits = self.misses = 0

    def get(self, key: str) -> ConvertedTip | None:
        entry = self._used.get(key) or self._stored.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._used[key] = entry
        self.hits += 1
        return entry

    def reject(self, key: str) -> None:
        """Count a found entry as a miss after all (the caller found it stale)."""
        self._used.pop(key, None)
        self.hits -= 1
        self.misses += 1

    def put(self, key: str, entry: ConvertedTip) -> None:
        self._used[key] = entry
        self._changed = True

    def save(self) -> bool:
        """Write the entries used since the last save, forget the others; True if written.

        Raises OSError if the file cannot be written (a read-only checkout, a
        full disk); the build is still correct, only the next one is slower.
        """
        changed = self._changed or self._used.keys() != self._stored.keys()
        self._stored, self._used, self._changed = self._used, {}, False
        if not changed and self.matches_disk():
            return False
        # ASCII with escapes: json's encoder makes it in half the time of UTF-8 text.
        data = json.dumps({"format": CACHE_FORMAT, "entries": self._stored}, separators=(",", ":"))
        remove_in_the_way(self.path)
        replace_atomically(self.path, data)
        self._stamp = _stamp(self.path)
        return True


def remove_in_the_way(path: Path) -> None:
    """Remove a directory where a cache file belongs (no file can replace it), so the
    cache is written afresh; a file is left for the caller to replace."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
