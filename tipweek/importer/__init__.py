"""`tipweek import`: bring an old blog's posts over as tip files.

`source` reads an RSS 2.0 / Atom feed or a WordPress export (WXR) into
`SourcePost`s, `convert` turns a post's HTML into safe Markdown, `plan`
decides what to write where (and what to skip), `authors` adds new authors to
authors.yml, and `command` is the CLI that ties them together.
"""

from __future__ import annotations
