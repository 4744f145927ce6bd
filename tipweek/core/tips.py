"""One tip file: read it, validate every field, and report problems with their line.

A tip is a Markdown file with YAML front matter.  `load_tip` never raises on bad
input: it returns the `Tip` (or None) and every `TipError` it found, each with the
file's path and the line of the offending key, so the build and `tipweek check`
can list all problems of all files at once.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

# Re-exported: the importer reads aliases through these names.
from tipweek.core.aliases import alias_problem as alias_problem
from tipweek.core.aliases import normalize_alias as normalize_alias
from tipweek.core.aliases import read_alias
from tipweek.core.dates import DateError, parse_date
from tipweek.core.front_matter import Fields, QuickReader, read_front_matter
from tipweek.core.links import link_problem
from tipweek.core.markdown_cost import markdown_cost_problems
from tipweek.core.slugs import is_slug, slug_or_digest, slugify
from tipweek.core.unsafe_text import body_problems, control_character

REQUIRED_KEYS = ("title", "date")
# In the order editors read them; `tip_writer` writes keys in this order.
KNOWN_KEYS = (
    "title", "date", "tags", "author", "slug", "summary", "draft", "aliases", "updated", "image",
)  # fmt: skip
# Front matter is metadata: anything this large is a mistake (or an attack),
# and PyYAML's cost grows with it.
MAX_FRONT_MATTER_CHARS = 64_000
# A weekly tip is a few kilobytes; megabytes mean a wrong file (or a paste gone
# wrong), and would cost minutes of Markdown rendering.
MAX_TIP_BYTES = 1_000_000
# Each tag is a listing page and a feed, each alias a redirect page: one tip with
# 5,000 tags made 10,000 files and a build of minutes.  Real tips have a handful,
# but WordPress sets no limit, and real exports hold posts with 63 categories.
MAX_TAGS = 100
MAX_ALIASES = 100
_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


class TipError(Exception):
    """A problem in a tip file, located at `path:line`.

    `severity` is "error" (the build fails) or "warning" (reported; fails only
    under `--strict`).  An `editorial` warning is advice about style and the
    calendar (a tag's spelling, a tip on a Wednesday): `tipweek check` reports
    it like any warning, but the build only mentions it, because the site it
    builds is correct either way.
    """

    def __init__(
        self,
        path: str,
        line: int,
        message: str,
        severity: str = "error",
        *,
        editorial: bool = False,
    ) -> None:
        super().__init__(f"{path}:{line}: {severity}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.severity = severity
        self.editorial = editorial

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Tip:
    """A validated tip. `source` is the path shown to editors, e.g. `tips/2025/x.md`."""

    source: str
    abs_path: Path
    title: str
    date: datetime
    slug: str
    body: str
    tags: tuple[str, ...] = ()
    author: str | None = None
    summary: str | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    # When the tip was last revised (`updated:`): the page shows it, the sitemap dates by it.
    updated: datetime | None = None
    # The picture a share card shows (`image:`): a site path or an absolute URL.
    image: str | None = None
    body_line: int = 1
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def is_published(self, now: datetime) -> bool:
        return not self.draft and self.date <= now

    def line_of(self, key: str) -> int:
        """The line of a front-matter key, for messages about it (1 if unknown)."""
        return self.key_lines.get(key, 1)


Loaded = tuple[Tip | None, list[TipError]]


class ParsedTips:
    """Tips parsed by earlier loads in this process, by everything that makes them: a
    file read again with the same bytes, path and timezone is not parsed again.

    `mkdocs serve` keeps one across rebuilds, so a save parses the one file it
    changed, not the whole archive; a build never needs one.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[str, str, bytes], Loaded]] = {}
        self._seen: set[str] = set()

    def get(self, source: str, key: tuple[str, str, bytes]) -> Loaded | None:
        self._seen.add(source)
        entry = self._entries.get(source)
        if entry is None or entry[0] != key:
            return None
        tip, problems = entry[1]
        return tip, list(problems)

    def put(self, source: str, key: tuple[str, str, bytes], loaded: Loaded) -> None:
        self._entries[source] = (key, (loaded[0], list(loaded[1])))

    def forget_unseen(self) -> None:
        """After a load: drop the files it did not read (deleted, renamed)."""
        self._entries = {s: e for s, e in self._entries.items() if s in self._seen}
        self._seen = set()


@dataclass(frozen=True)
class Reading:
    """How tips are read, as the adapter decides (`tipweek.speed`'s switches): by
    default every file is parsed, and every front matter read by libyaml."""

    #: Tips parsed by earlier loads of this process (`mkdocs serve`), reused by bytes.
    parsed: ParsedTips | None = None
    #: A faster reader of simple front matter (`tipweek.speed.quick_front_matter`).
    quick_front_matter: QuickReader | None = None


PLAIN = Reading()


def load_tip(abs_path: Path, source: str, tz: tzinfo, reading: Reading = PLAIN) -> Loaded:
    """Read and validate one tip file; never raises for bad content."""
    try:
        data = _read_at_most(abs_path, MAX_TIP_BYTES)
    except OSError as error:
        return None, [TipError(source, 1, f"cannot read the file: {error.strerror or error}")]
    except _TooLarge as error:
        return None, [
            TipError(
                source,
                1,
                f"the file is {error.size:,} bytes; a tip may be at most {MAX_TIP_BYTES:,}",
            )
        ]
    parsed = reading.parsed
    if parsed is None:
        return _load_bytes(data, abs_path, source, tz, reading.quick_front_matter)
    key = (str(abs_path), str(tz), data)
    loaded = parsed.get(source, key)
    if loaded is None:
        loaded = _load_bytes(data, abs_path, source, tz, reading.quick_front_matter)
        parsed.put(source, key, loaded)
    return loaded


def _load_bytes(
    data: bytes, abs_path: Path, source: str, tz: tzinfo, quick: QuickReader | None
) -> Loaded:
    if b"\x00" in data[:8192]:
        return None, [TipError(source, 1, "this is a binary file, not a Markdown tip")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [TipError(source, line, "the file is not UTF-8 text; save it as UTF-8")]
    return parse_tip(text, source, tz, abs_path=abs_path, quick_front_matter=quick)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes in four system calls (a buffered `open` makes eight, which
    `tipweek check` feels at 2,000 tips); `_TooLarge` beyond `limit`, unread."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise _TooLarge(size)
        chunks: list[bytes] = []
        total, wanted = 0, size + 1  # a byte more than the file holds: its end shows at once
        while chunk := os.read(fd, wanted):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _TooLarge(total)
            if len(chunk) < wanted and total >= size:
                break  # the end of the file
            wanted = 65536  # it grew since fstat (an editor saving it), or a short read
    finally:
        os.close(fd)
    return b"".join(chunks)


def parse_tip(
    text: str,
    source: str,
    tz: tzinfo,
    *,
    abs_path: Path | None = None,
    quick_front_matter: QuickReader | None = None,
) -> tuple[Tip | None, list[TipError]]:
    """Validate the text of a tip file; `source` names it in messages."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    problems: list[TipError] = []

    def problem(line: int, message: str, severity: str = "error") -> None:
        problems.append(TipError(source, line, message, severity))

    opening = _BOUNDARY.match(text)
    closing = _BOUNDARY.search(text, opening.end()) if opening else None
    if opening is None:
        problem(1, "no front matter: a tip starts with a '---' line, then 'title:' and 'date:'")
        return None, problems
    if closing is None:
        problem(1, "front matter is never closed: add a '---' line after the last key")
        return None, problems

    front = text[opening.end() : closing.start()]
    body = text[closing.end() :].removeprefix("\n")
    body_line = text.count("\n", 0, closing.end()) + 2
    if len(front) > MAX_FRONT_MATTER_CHARS:
        problem(2, f"front matter is larger than {MAX_FRONT_MATTER_CHARS:,} characters")
        return None, problems

    fields = read_front_matter(front, problem, quick_front_matter)
    if fields is None:
        return None, problems

    values, lines = fields.values, fields.lines
    closing_line = body_line - 1
    for key in REQUIRED_KEYS:
        if key not in values:
            problem(closing_line, f"'{key}' is missing from the front matter")
    for key in values:
        if key not in KNOWN_KEYS:
            hint = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            problem(lines[key], f"unknown front-matter key '{key}'{suggestion}", "warning")

    title = _text_field(values, lines, "title", problem, required=True)
    date = _date_field(fields, tz, problem)
    updated = _date_field(fields, tz, problem, "updated")
    if updated is not None and date is not None and updated < date:
        problem(lines["updated"], "'updated' is before the tip's 'date'")
    image = _text_field(values, lines, "image", problem)
    if image is not None and any(c in image for c in "\"'<> \t\n\\"):
        problem(lines["image"], "'image' must be a URL or a path such as /assets/tip.png")
    elif image is not None and link_problem(image):
        problem(lines["image"], f"'image' is {link_problem(image)}")
    tags = _list_field(values, lines, "tags", problem, allow_comma_string=True)
    aliases = _list_field(values, lines, "aliases", problem)
    author = _text_field(values, lines, "author", problem)
    summary = _text_field(values, lines, "summary", problem)
    draft = values.get("draft", False)
    if not isinstance(draft, bool):
        problem(lines.get("draft", 1), "'draft' must be true or false")
        draft = False

    for key, items, limit in (("tags", tags, MAX_TAGS), ("aliases", aliases, MAX_ALIASES)):
        if len(items) > limit:
            problem(lines[key], f"{len(items):,} {key}; a tip may have at most {limit}")
    for key, texts in (("title", [title]), ("summary", [summary]), ("author", [author])):
        _control_problems(key, texts, lines, problem)
    _control_problems("tags", tags, lines, problem)
    _control_problems("aliases", aliases, lines, problem)
    for line, message, severity in body_problems(body, body_line):
        problem(line, message, severity)
    for line, message in markdown_cost_problems(body, body_line):
        problem(line, message)

    slug = _slug(values, lines, abs_path, source, title, problem)
    written_aliases = []
    for alias in aliases:
        # Read once, into the form the site writes: every later check sees that form.
        written, reason = read_alias(alias)
        if written is None:
            problem(lines["aliases"], f"alias {alias!r} {reason}")
        else:
            written_aliases.append(written)

    if any(p.is_error for p in problems) or title is None or date is None or slug is None:
        return None, problems
    return (
        Tip(
            source=source,
            abs_path=abs_path or Path(source),
            title=title,
            date=date,
            slug=slug,
            body=body,
            tags=unique_casefolded(tags),
            author=author,
            summary=summary,
            draft=draft,
            aliases=tuple(written_aliases),
            updated=updated,
            image=image,
            body_line=body_line,
            key_lines=lines,
        ),
        problems,
    )


def _text_field(
    values: dict[str, Any], lines: dict[str, int], key: str, problem: Any, *, required: bool = False
) -> str | None:
    if key not in values:
        return None
    value = values[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problem(lines[key], f"'{key}' must be text")
        return None
    value = value.strip()
    if not value:
        if required:
            problem(lines[key], f"'{key}' is empty")
        return None
    return value


def _control_problems(
    key: str, texts: list[str | None], lines: dict[str, int], problem: Any
) -> None:
    """An error for a control character (YAML's "\\0", "\\x07") in a front-matter text."""
    for text in texts:
        code = control_character(text) if text else None
        if code:
            problem(lines[key], f"'{key}' contains the control character {code}; remove it")
            return


def _date_field(fields: Fields, tz: tzinfo, problem: Any, key: str = "date") -> datetime | None:
    if key not in fields.raw:
        return None
    line = fields.lines[key]
    raw = fields.raw[key]
    if raw is None or not raw.strip():
        problem(line, f"'{key}' must be a date such as 2025-07-01")
        return None
    try:
        return parse_date(raw, tz)
    except DateError as error:
        problem(line, str(error) if key == "date" else f"'{key}': {error}")
        return None


def _list_field(
    values: dict[str, Any],
    lines: dict[str, int],
    key: str,
    problem: Any,
    *,
    allow_comma_string: bool = False,
) -> list[str]:
    value = values.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",") if allow_comma_string else [value]
    elif isinstance(value, list):
        items = value
    else:
        problem(lines[key], f"'{key}' must be a list such as [a, b]")
        return []
    result = []
    for item in items:
        if not isinstance(item, str):
            problem(lines[key], f"every entry of '{key}' must be text, got {_describe(item)}")
            continue
        if item.strip():
            result.append(item.strip())
        else:
            problem(lines[key], f"'{key}' has an empty entry")
    return result


def _slug(
    values: dict[str, Any],
    lines: dict[str, int],
    abs_path: Path | None,
    source: str,
    title: str | None,
    problem: Any,
) -> str | None:
    if "slug" in values:
        slug = values["slug"]
        if not isinstance(slug, str) or not is_slug(slug):
            problem(
                lines["slug"],
                f"slug {slug!r} must be lowercase ASCII words joined by hyphens, e.g. 'be-brief'",
            )
            return None
        return slug
    stem = PurePosixPath(source).stem if abs_path is None else abs_path.stem
    from_name = slugify(_DATE_PREFIX.sub("", stem))
    if from_name:
        return from_name
    return slug_or_digest(title, "tip") if title else None


def unique_casefolded(items: Iterable[str]) -> tuple[str, ...]:
    """Items without repeats that differ only in case (`Empathy`, `empathy`), in first order."""
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            unique.append(item)
    return tuple(unique)


def _describe(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"
