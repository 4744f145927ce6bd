"""The editors' command line: `tipweek new | check | queue | import`.

It starts without importing MkDocs or Markdown, so `tipweek check` is fast
enough for a pre-commit hook.
"""
