"""The MkDocs stages: generated pages, Markdown conversion, template contexts, the
feeds' and email's files, search, publishing; `tipweek/plugin.py` wires them to
MkDocs' events.

Every private MkDocs or Material access lives in `compat`, the one module to
read when either is upgraded.  Nothing here imports `tipweek.speed`: with every
speed mechanism gone, these stages still build the same site.
"""
