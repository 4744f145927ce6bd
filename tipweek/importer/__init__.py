"""`tipweek import`: bring an old blog's posts over as tip files.

`source` reads an RSS 2.0 / Atom feed or a WordPress export (WXR) into
`SourcePost`s, `convert` turns a post's HTML into safe Markdown, `plan`
decides what to write where (and what to skip), `authors` adds new authors to
authors.yml, and `command` is the CLI that ties them together.
"""

from __future__ import annotations

# A date at the end of an old title, as in `Review the Failures of Others - 7/22/14 TOW`
# (any dash, 7/22/14 or 2014-07-22, optionally in parentheses or followed by an
# abbreviation).  Here, not in `convert`, so the CLI can show it without loading nh3.
DEFAULT_TITLE_DATE_SUFFIX = (
    r"\s*[-\u2013\u2014|:,]?\s*\(?(?:\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\)?"
    r"(?:\s+[A-Z]{2,5})?\s*$"
)

# `--timeout` and `--max-bytes` defaults, here for the same reason: the CLI's parser
# shows them, and `limits` (urllib, sockets, threads) loads only when an import runs.
DEFAULT_TIMEOUT_SECONDS = 300.0
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
