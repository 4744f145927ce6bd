"""Where tips, tags and aliases land in the built site, and what they must not touch.

Two kinds of mistakes only show when files are written, so they are checked
here, on names alone, by `load_project` (the build and `tipweek check` alike):

- A name longer than the file system allows (255 bytes per file or folder
  name on ext4, APFS, NTFS): a 300-character slug, tag or alias would pass
  every other check and then stop the build with `File name too long`.
- An alias over a file something else writes: the theme's assets, MkDocs'
  sitemap and 404 page, the search index.  Exact clashes with pages, feeds and
  files from docs/ are found by `archive.url_collisions`, on the output paths
  `output_path` gives; this module adds the folders that belong to others and
  the paths that would need a folder where a file is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from fnmatch import fnmatch
from pathlib import Path

from tipweek.core.slugs import tag_slug
from tipweek.core.tips import Tip, TipError

#: The longest file or folder name (in UTF-8 bytes) tipweek writes: the limit of
#: ext4, APFS and NTFS (255 UTF-16 units there), and of Linux's NAME_MAX.
MAX_NAME_BYTES = 255
#: The longest site path an alias may have, well inside Linux's 4,096-byte PATH_MAX
#: once the site folder's own path is in front of it.
MAX_ALIAS_BYTES = 1024
#: `tipweek new` cuts a slug made from a long title to this many characters, at a hyphen.
NEW_SLUG_CHARS = 80
#: The longest slug `tipweek new --slug` takes: the file name `YYYY-MM-DD-<slug>.md` must fit.
MAX_NEW_SLUG_BYTES = MAX_NAME_BYTES - len("YYYY-MM-DD-.md")
#: Files other parts of the site write at the top (theme, MkDocs, search plugin).
SITE_FILES = {
    "404.html": "the theme's 404 page",
    "robots.txt": "the site's robots.txt",
    "sitemap.xml": "MkDocs' sitemap",
    "sitemap.xml.gz": "MkDocs' compressed sitemap",
    "search/search_index.json": "the search index",
}
#: Folders that belong to the theme and plugins: an alias inside one could replace
#: a stylesheet or script (Material writes `assets/stylesheets/main.<hash>.min.css`).
RESERVED_FOLDERS = {
    "assets/": "the theme's assets folder",
    "search/": "the search plugin's folder",
    # Pagefind writes its index after the build and replaces what it finds there
    # (`search_records.BUNDLE_DIR`, which imports this module's importers).
    "pagefind/": "Pagefind's index folder",
}


def docs_asset_paths(docs: Path) -> dict[str, str]:
    """Every file of docs/ that is not a page, by its path in the site (where MkDocs copies it)."""
    found = {}
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        # MkDocs skips hidden files and folders; pages are the callers' business.
        if path.suffix == ".md" or any(part.startswith(".") for part in relative.split("/")):
            continue
        if path.is_file():
            found[relative] = f"the file {docs.name}/{relative}"
    return found


def shorten_slug(slug: str, limit: int = NEW_SLUG_CHARS) -> str:
    """`slug` cut to at most `limit` characters, at a word boundary when there is one."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[: limit + 1] else slug[:limit]
    return cut[:limit].rstrip("-")


# Files in a theme folder that MkDocs does not copy into the site (templates, Python,
# the theme's own config, read-mes, translations), as `Files.add_files_from_theme` skips them.
_NOT_COPIED = ("*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*", "*.md")


def theme_file_paths(theme_dirs: Iterable[Path]) -> dict[str, str]:
    """The static files MkDocs copies from the theme folders (custom_dir first), by site path.

    Hidden folders are never entered: Material keeps 14,000 icons in `.icons/`,
    and walking them would cost a fifth of a second on every build.
    """
    found: dict[str, str] = {}
    for folder in theme_dirs:
        for current, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            base = Path(current).relative_to(folder).as_posix()
            for name in names:
                relative = name if base == "." else f"{base}/{name}"
                if name.startswith(".") or any(fnmatch(relative.lower(), p) for p in _NOT_COPIED):
                    continue
                found.setdefault(relative, f"the theme's file {relative}")
    return found


def output_path(url: str) -> str:
    """The file a site URL is written to: `a/b/` → `a/b/index.html`, `x.xml` stays."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def name_problems(
    tips: Iterable[Tip], tip_url: Callable[[Tip], str], tags_url: str
) -> list[TipError]:
    """A slug, tag or alias that makes a file or folder name the file system refuses."""
    problems = []
    for tip in tips:
        long = _longest_name(tip_url(tip))
        if long:
            key = "slug" if "slug" in tip.key_lines else "title"
            problems.append(TipError(tip.source, tip.line_of(key), f"the slug {_too_long(long)}"))
        for name in tip.tags:
            long = _longest_name(f"{tags_url}{tag_slug(name)}/")
            if long:
                problems.append(
                    TipError(
                        tip.source,
                        tip.line_of("tags"),
                        f"tag '{_short(name)}' {_too_long(long, show=False)}",
                    )
                )
        for alias in tip.aliases:
            if alias.startswith("?"):
                continue
            size = len(alias.encode("utf-8"))
            long = _longest_name(alias)
            if long or size > MAX_ALIAS_BYTES:
                reason = (
                    _too_long(long)
                    if long
                    else f"is {size:,} bytes long; an alias may have at most {MAX_ALIAS_BYTES:,}"
                )
                problems.append(
                    TipError(tip.source, tip.line_of("aliases"), f"alias /{_short(alias)} {reason}")
                )
    return problems


def alias_folder_problems(tips: Iterable[Tip], files: Mapping[str, str]) -> list[TipError]:
    """Aliases inside the theme's or a plugin's folder, or below a file of the site.

    `files` maps the output paths of everything else the site writes (pages,
    feeds, files from docs/) to a description; an alias `/feed.xml/old/` needs a
    folder `feed.xml`, where the site's feed is a file.
    """
    problems = []
    folded = _folded(files)
    for tip, path in alias_paths(tips):
        if fold(path) in folded:
            continue  # a clash with a file: url_collisions names it
        owner = next(
            (what for folder, what in RESERVED_FOLDERS.items() if fold(path).startswith(folder)),
            None,
        )
        where = f"inside {owner}" if owner else _below_a_file(path, folded)
        if where:
            problems.append(_alias_error(tip, path, where))
    return problems


def alias_clashes(tips: Iterable[Tip], files: Mapping[str, str]) -> dict[str, TipError]:
    """Redirects (by output path) that would replace one of `files`, or need a folder where
    one is, each with its error.

    The build's last word, once MkDocs knows every file (output path →
    description): a `custom_dir`'s static files, other plugins' files, which
    `tipweek check` cannot see without MkDocs.
    """
    problems = {}
    folded = _folded(files)
    for tip, path in alias_paths(tips):
        over = folded.get(fold(path))
        where = f"over {over}" if over else _below_a_file(path, folded)
        if where:
            problems[path] = _alias_error(tip, path, where)
    return problems


def alias_paths(tips: Iterable[Tip]) -> Iterator[tuple[Tip, str]]:
    """Each path alias of `tips` with the file it is written to (query aliases are not files)."""
    for tip in tips:
        for alias in tip.aliases:
            if not alias.startswith("?"):  # query aliases are not files
                yield tip, output_path(alias)


def fold(path: str) -> str:
    """`path` as macOS' and Windows' file systems compare names: case does not count."""
    return path.casefold()


def _folded(files: Mapping[str, str]) -> dict[str, str]:
    return {fold(path): what for path, what in files.items()}


def _below_a_file(path: str, folded: Mapping[str, str]) -> str | None:
    """Where `path` needs a folder that is a file of the site (`folded` by `fold`)."""
    parts = fold(path).split("/")[:-1]
    for n in range(len(parts)):
        parent = "/".join(parts[: n + 1])
        if parent in folded:
            return f"below {folded[parent]}, a file"
    return None


def _alias_error(tip: Tip, path: str, where: str) -> TipError:
    return TipError(
        tip.source,
        tip.line_of("aliases"),
        f"alias /{_short(path.removesuffix('index.html'))} would write {_short(path)} {where}; "
        "choose another alias",
    )


def _longest_name(url: str) -> str | None:
    """The first file or folder name of `url` past MAX_NAME_BYTES, if any."""
    for name in output_path(url).split("/"):
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            return name
    return None


def _too_long(name: str, *, show: bool = True) -> str:
    size = len(name.encode("utf-8"))
    shown = f" ('{_short(name)}')" if show else ""
    return (
        f"makes a file or folder name of {size:,} bytes{shown}; "
        f"names in the site may have at most {MAX_NAME_BYTES} bytes: shorten it"
    )


def _short(text: str, keep: int = 40) -> str:
    return text if len(text) <= keep else f"{text[:keep]}…"
