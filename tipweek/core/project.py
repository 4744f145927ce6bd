"""Load a whole tips folder: every tip, `authors.yml`, `tags.yml`, and cross-file checks.

The build and `tipweek check` both call `load_project`, so they can never
disagree about what is valid.  Nothing here raises for bad content: every
problem becomes a `TipError` with its file and line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import yaml

from tipweek.core.archive import Archive, url_collisions
from tipweek.core.editorial import archive_warnings, tip_warnings
from tipweek.core.front_matter import Loader
from tipweek.core.links import link_problem
from tipweek.core.site_paths import (
    RESERVED_FOLDERS,
    SITE_FILES,
    alias_clashes,
    alias_folder_problems,
    name_problems,
    output_path,
    theme_file_paths,
)
from tipweek.core.slugs import tag_slug
from tipweek.core.tips import PLAIN, Reading, Tip, TipError, load_tip
from tipweek.core.urls import UrlScheme, listing_urls

# Files an editor may keep in tips/ that are not tips.
IGNORED_NAMES = {"README.md", "readme.md"}


@dataclass(frozen=True)
class Author:
    key: str
    name: str
    bio: str = ""
    url: str = ""


@dataclass(frozen=True)
class TagInfo:
    slug: str
    title: str
    description: str = ""


@dataclass
class Project:
    tips: list[Tip] = field(default_factory=list)
    # Every tip file read, valid or not, in `tip_files` order.
    files: list[Path] = field(default_factory=list)
    authors: dict[str, Author] = field(default_factory=dict)
    tag_info: dict[str, TagInfo] = field(default_factory=dict)
    problems: list[TipError] = field(default_factory=list)

    @property
    def errors(self) -> list[TipError]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[TipError]:
        return [p for p in self.problems if not p.is_error]


def display_path(path: Path, root: Path) -> str:
    """The path editors see in messages: relative to the project, with forward slashes."""
    text, prefix = os.fspath(path), os.path.join(root, "")
    if text.startswith(prefix):  # the usual case, without pathlib's parsing
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def tip_files(tips_dir: Path) -> tuple[list[Path], list[TipError]]:
    """Every `*.md` under tips_dir, sorted; symlinks leading outside it are refused."""
    problems: list[TipError] = []
    if not tips_dir.is_dir():
        return [], problems
    real_root = tips_dir.resolve()
    found: list[tuple[list[str], str]] = []
    # Walk with scandir rather than building a Path per file: its entries know
    # whether they are links without another system call, and 2,000 tips make
    # this loop part of every pre-commit check.
    pending = [os.fspath(tips_dir)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith((".", "_")):
                    continue
                if entry.is_dir():
                    # Directory links are not followed, so a link to / cannot pull in the disk.
                    if not entry.is_symlink():
                        pending.append(entry.path)
                    continue
                if not name.endswith(".md") or name in IGNORED_NAMES:
                    if name[-3:].lower() == ".md" and name.lower() not in IGNORED_NAMES:
                        # `x.MD` looks like a tip to its editor; say why it is not one.
                        problems.append(
                            TipError(
                                display_path(Path(entry.path), tips_dir.parent),
                                1,
                                f"is not read: tip files end in '.md' (lowercase), not "
                                f"'{name[-3:]}'; rename it",
                                "warning",
                            )
                        )
                    continue
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(real_root):
                    problems.append(
                        TipError(
                            display_path(Path(entry.path), tips_dir.parent),
                            1,
                            "is a symbolic link to a file outside the tips folder; it is not read",
                            "warning",
                        )
                    )
                    continue
                found.append((entry.path.split(os.sep), entry.path))
    # Sorted by path parts, as Path sorts: `2025/x.md` before `2025-old/y.md`.
    found.sort()
    return [Path(path) for _, path in found], problems


def load_project(
    root: Path,
    tips_dir: str,
    tz: tzinfo,
    *,
    authors_file: str = "",
    tags_file: str = "",
    strict_tags: bool = False,
    scheme: UrlScheme | None = None,
    per_page: int = 10,
    page_urls: Mapping[str, str] | None = None,
    publish_weekday: str | None = None,
    queue_from: datetime | None = None,
    theme_dirs: Sequence[Path] = (),
    now: datetime | None = None,
    reading: Reading = PLAIN,
) -> Project:
    """Load and validate everything under `root/tips_dir`.

    `page_urls` maps the URLs of hand-written pages to their files, so tips
    and aliases cannot take their place; `publish_weekday` (e.g. "tuesday")
    turns on the warning for tips dated another day.  The calendar warnings
    (weekday, one tip a day) cover drafts and tips dated from `queue_from` on;
    None checks every tip.  `theme_dirs` are the theme's folders, so an alias
    cannot replace one of their static files.  `now` tells published tips (an
    empty one is an error) from scheduled ones; None counts every tip as published.
    `reading` says how files are read (`tips.Reading`: tips parsed by an earlier
    load, a quick front-matter reader).
    """
    scheme = scheme or UrlScheme()
    project = Project()
    project.files, project.problems = tip_files(root / tips_dir)
    for path in project.files:
        tip, problems = load_tip(path, display_path(path, root), tz, reading)
        project.problems.extend(problems)
        if tip is not None:
            project.tips.append(tip)
            project.problems.extend(tip_warnings(tip, publish_weekday, queue_from, now=now))
    if reading.parsed is not None:
        reading.parsed.forget_unseen()
    if authors_file:
        project.authors = _load_authors(root, authors_file, project.problems)
    if tags_file:
        project.tag_info = _load_tags(root, tags_file, project.problems)
    # Listing URLs of every tip, drafts included: a draft that would collide
    # once published is worth knowing about now.
    reserved = listing_urls(Archive(project.tips), scheme, per_page)
    reserved.update(page_urls or {})
    reserved.update(SITE_FILES)
    project.problems.extend(url_collisions(project.tips, scheme.tip_url, reserved))
    # Names the file system refuses, and aliases over the theme's files: what
    # only writing the site would find otherwise.
    project.problems.extend(name_problems(project.tips, scheme.tip_url, scheme.tags))
    site_files = {output_path(url): what for url, what in reserved.items()}
    project.problems.extend(alias_folder_problems(project.tips, site_files))
    if theme_dirs and any(tip.aliases for tip in project.tips):
        # The theme's static files (custom_dir's first), except those reported above.
        theme = {
            path: what
            for path, what in theme_file_paths(theme_dirs).items()
            if path not in site_files and not path.startswith(tuple(RESERVED_FOLDERS))
        }
        project.problems.extend(alias_clashes(project.tips, theme).values())
    project.problems.extend(_reference_problems(project, strict_tags=strict_tags))
    project.problems.extend(archive_warnings(project.tips, project.tag_info, queue_from))
    return project


def queue_start(now: datetime) -> datetime:
    """Where the queue begins: a week back, so this week's tip is still checked."""
    return now - timedelta(days=7)


def _reference_problems(project: Project, *, strict_tags: bool) -> list[TipError]:
    """Authors and tags that tips name but the side files do not define."""
    problems = []
    for tip in project.tips:
        if tip.author and project.authors and tip.author not in project.authors:
            known = ", ".join(sorted(project.authors))
            problems.append(
                TipError(
                    tip.source,
                    tip.line_of("author"),
                    f"unknown author '{tip.author}' (authors.yml has: {known})",
                    "warning",
                )
            )
        if strict_tags:
            for name in tip.tags:
                if tag_slug(name) not in project.tag_info:
                    problems.append(
                        TipError(
                            tip.source,
                            tip.line_of("tags"),
                            f"tag '{name}' is not listed in tags.yml (strict_tags is on)",
                        )
                    )
    return problems


def _load_mapping_file(root: Path, relative: str, problems: list[TipError]) -> dict[str, Any]:
    """A YAML file of `key: {field: value}` entries, with each key's line; {} if absent."""
    path = root / relative
    source = display_path(path, root)
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(TipError(source, 1, f"cannot read the file as UTF-8 text ({error})"))
        return {}
    loader = Loader(text)
    try:
        root_node = loader.get_single_node()
        if root_node is None:
            return {}
        if not isinstance(root_node, yaml.MappingNode):
            problems.append(TipError(source, 1, "must be a mapping of names to entries"))
            return {}
        entries = {}
        for key_node, value_node in root_node.value:
            line = key_node.start_mark.line + 1
            value = loader.construct_object(value_node, deep=True)
            if not isinstance(value, dict):
                problems.append(TipError(source, line, f"'{key_node.value}' must be a mapping"))
                continue
            entries[str(key_node.value)] = (line, value)
        return entries
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(
            TipError(source, mark.line + 1 if mark else 1, f"is not valid YAML: {error}")
        )
        return {}
    finally:
        loader.dispose()


def _load_authors(root: Path, relative: str, problems: list[TipError]) -> dict[str, Author]:
    authors = {}
    source = display_path(root / relative, root)
    for key, (line, entry) in _load_mapping_file(root, relative, problems).items():
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(TipError(source, line, f"author '{key}' needs a 'name'"))
            continue
        url = str(entry.get("url") or "").strip()
        script = link_problem(url)
        if script:  # the same rule, and severity, as a link in a tip
            problems.append(TipError(source, line, f"author '{key}': 'url' is {script}"))
            url = ""
        authors[key] = Author(
            key=key, name=name.strip(), bio=str(entry.get("bio") or "").strip(), url=url
        )
    return authors


def _load_tags(root: Path, relative: str, problems: list[TipError]) -> dict[str, TagInfo]:
    tags = {}
    for key, (_line, entry) in _load_mapping_file(root, relative, problems).items():
        slug = tag_slug(key)
        tags[slug] = TagInfo(
            slug=slug,
            title=str(entry.get("title") or key).strip(),
            description=str(entry.get("description") or "").strip(),
        )
    return tags
