"""Authors of imported posts: match them to authors.yml, add the missing ones.

A post names its author by WordPress login (`dc:creator` in an export) or by
display name (in a feed).  Either may already be in authors.yml, under its key
or its `name`; only authors found nowhere are added, appended to the file as
written (its comments and order stay), atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tipweek.core.slugs import slugify
from tipweek.core.tip_writer import replace_file, write_new


class AuthorsFileError(Exception):
    """authors.yml exists but cannot be read or extended safely."""


@dataclass
class AuthorBook:
    """The authors known so far: those in authors.yml plus the ones this import adds."""

    names: dict[str, str] = field(default_factory=dict)  # key → display name
    added: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> AuthorBook:
        if not path.is_file():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise AuthorsFileError(f"{path}: cannot read it ({error})") from None
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise AuthorsFileError(f"{path}: must be a mapping of author keys to entries")
        names = {}
        for key, entry in data.items():
            name = entry.get("name") if isinstance(entry, dict) else None
            names[str(key)] = str(name or key)
        return cls(names)

    def key_for(self, login: str, display_name: str) -> str | None:
        """The authors.yml key for this author, adding an entry if there is none."""
        login, display_name = login.strip(), (display_name or login).strip()
        if not login and not display_name:
            return None
        for candidate in (login, slugify(login)):
            if candidate and candidate in self.names:
                return candidate
        wanted = display_name.casefold()
        for key, name in self.names.items():
            if name.casefold() == wanted:
                return key
        key = slugify(login) or slugify(display_name)
        if not key:
            return None
        self.names[key] = display_name
        self.added[key] = display_name
        return key


def append_authors(path: Path, added: dict[str, str]) -> None:
    """Add `key: {name: ...}` entries to authors.yml, keeping what the file already says."""
    if not added:
        return
    entries = yaml.safe_dump(
        {key: {"name": name} for key, name in added.items()},
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    if not path.exists():
        write_new(path, entries)
        return
    text = path.read_text(encoding="utf-8-sig")
    if text and not text.endswith("\n"):
        text += "\n"
    combined = text + entries
    # Appending to a file that ends inside a block scalar or a flow mapping would
    # change the meaning of the last entry: check that every old key survived.
    reloaded = yaml.safe_load(combined)
    before = yaml.safe_load(text) or {}
    if (
        not isinstance(reloaded, dict)
        or any(reloaded.get(key) != value for key, value in before.items())
        or any(key not in reloaded for key in added)
    ):
        raise AuthorsFileError(
            f"{path}: cannot append to it safely; add {', '.join(added)} by hand"
        )
    replace_file(path, combined)
