"""Serve a built site the way a real host does: gzip-compressed, with cache headers.

Lighthouse judges what a reader on a phone downloads, so serving Material's
stylesheets and scripts uncompressed (as `http.server` does) would measure a site
nobody deploys.  Like GitHub Pages or Netlify, this server gzips text files when
the browser accepts it, and lets fingerprinted assets (`main.57a0d79d.min.css`)
be cached for a year, everything else revalidated.
"""

from __future__ import annotations

import functools
import gzip
import re
from contextlib import AbstractContextManager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from served_site import serve

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
# Material's bundles carry a content hash in their names: safe to cache for good.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(css|js)$")


class CompressingHandler(SimpleHTTPRequestHandler):
    """Static files; text gzipped when accepted (level 6, as hosts use)."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tools report what failed."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to `dir/`
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self._cache_header(path)
        self.end_headers()
        return _Body(body)

    def end_headers(self) -> None:
        if not any(line.startswith(b"Cache-Control") for line in self._headers_buffer):
            self._cache_header(Path(self.path.split("?", 1)[0]))
        super().end_headers()

    def _cache_header(self, path: Path) -> None:
        if FINGERPRINTED.search(path.name):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "public, max-age=600")


class _Body:
    """What `send_head` returns: a file-like body that `copyfile` reads once."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        self.data = b""


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def serve_compressed(site_dir: Path) -> AbstractContextManager[str]:
    """Serve `site_dir` compressed on a free port of 127.0.0.1; yields the base URL."""
    return serve(site_dir, CompressingHandler)
