"""The URLs of the hand-written pages in docs/, computed as MkDocs computes `File.url`.

Tips, aliases and listings must not take a URL a page in docs/ already has.
The build and the CLI (which must not import MkDocs) both ask this one
function; a test compares it with MkDocs' own `File.url` for both values of
`use_directory_urls`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

from tipweek.core.site_paths import docs_asset_paths


def docs_page_urls(docs_dir: Path, use_directory_urls: bool) -> dict[str, str]:
    """`{url: "the page docs/x.md"}` for every Markdown page under `docs_dir`."""
    if not docs_dir.is_dir():
        return {}
    urls = {}
    for path in sorted(docs_dir.rglob("*.md")):
        relative = path.relative_to(docs_dir).as_posix()
        urls[page_url(relative, use_directory_urls)] = f"the page {docs_dir.name}/{relative}"
    return urls


def docs_urls(docs_dir: Path, use_directory_urls: bool) -> dict[str, str]:
    """Every URL docs/ occupies: its pages, and its other files (stylesheets, images) by
    their paths; tips and aliases may take none of them."""
    if not docs_dir.is_dir():
        return {}
    return {**docs_page_urls(docs_dir, use_directory_urls), **docs_asset_paths(docs_dir)}


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """MkDocs' URL of the page `src_uri`: `about.md` → `about/` (or `about.html`)."""
    posix = PurePosixPath(src_uri)
    parent = "" if str(posix.parent) == "." else f"{posix.parent}/"
    # MkDocs serves a folder's README.md as its index page.
    name = "index" if posix.stem == "README" else posix.stem
    if use_directory_urls:
        url = (parent or "./") if name == "index" else f"{parent}{name}/"
    else:
        url = f"{parent}{name}.html"
    return quote(url)
