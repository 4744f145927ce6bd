"""The pure core: tips, the archive, paging, views, feeds and redirects, options.

Nothing here imports MkDocs, Jinja or Material (a test enforces it), so the core
can be tested alone and carried to another engine.  Data flows one way:
files → `Tip` → `Archive` → views → pages and feeds.
"""
