"""Switches that turn tipweek's speed mechanisms off, one by one, to measure what each gains.

``TIPWEEK_WITHOUT`` is a comma list of mechanism names (see `MECHANISMS`);
each mechanism's call site asks `off(name)` and, when it is switched off,
takes the plain path a build without that mechanism would take.  The site
is byte-identical either way (``tests/test_speedups.py``); only the time
and memory differ, which is what ``scripts/bench.py --without`` measures.

The variable is read once per process, the first time a mechanism asks:
a build must not change its mind halfway.  `reset` forgets what was read,
for tests that switch mechanisms within one process.

Pure: no MkDocs import; the CLI asks it too (`tipweek check`).
"""

from __future__ import annotations

import os

ENV = "TIPWEEK_WITHOUT"

#: Every mechanism that can be switched off, with what switching it off does.
MECHANISMS: dict[str, str] = {
    "forks": "convert Markdown and render templates serially (no forked worker pools)",
    "teardown": "let Python's collector free the whole site when the command exits",
    "quick-front-matter": "read every tip's front matter with libyaml",
    "markdown-cache": "convert every tip's Markdown in every build (no cache read or written)",
    "page-cache": "render every page's template in every build (no cache read or written)",
    "email-cache": "make every tip's email edition in every build (no store read or written)",
    "preview-writes": "under `mkdocs serve`, stage and write the whole preview on every save",
    "parsed-tips": "under `mkdocs serve`, parse every tip again on every save",
    "search-later": "under `mkdocs serve`, wait for Pagefind's index before the page reloads",
}

_switched_off: frozenset[str] | None = None


def parse(text: str) -> frozenset[str]:
    """The names in a ``TIPWEEK_WITHOUT`` value; ValueError names any unknown one,
    so a misspelt switch never measures the full build under another name."""
    names = _names(text)
    unknown = sorted(names - MECHANISMS.keys())
    if unknown:
        raise ValueError(
            f"{ENV}: unknown mechanism {', '.join(unknown)} (known: {', '.join(MECHANISMS)})"
        )
    return frozenset(names)


def _names(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def problem() -> str | None:
    """What is wrong with ``TIPWEEK_WITHOUT`` as set, or None: the build and the CLI
    report it as one line before anything else (never as a traceback halfway)."""
    try:
        parse(os.environ.get(ENV, ""))
    except ValueError as error:
        return str(error)
    return None


def off(mechanism: str) -> bool:
    """Whether `mechanism` (a key of `MECHANISMS`) is switched off in this process."""
    assert mechanism in MECHANISMS, mechanism
    global _switched_off
    if _switched_off is None:
        # Unknown names were reported (`problem`) by whatever started first, the build's
        # on_config or the CLI, which stopped there; a late asker (the build's teardown,
        # after that error) must not fail again with a traceback.
        _switched_off = frozenset(_names(os.environ.get(ENV, "")) & MECHANISMS.keys())
    return mechanism in _switched_off


def reset() -> None:
    """Forget the variable's value: the next `off` reads it again (tests only)."""
    global _switched_off
    _switched_off = None
