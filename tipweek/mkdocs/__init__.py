"""The MkDocs side: the plugin's event wiring, generated pages, rendering, templates.

Every private MkDocs or Material access lives in `compat`, the one module to
read when either is upgraded.
"""
