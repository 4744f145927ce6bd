"""The email edition of a tip: its HTML and plain-text twin, the MIME message, SMTP.

A layer of its own, beside the core it reads (`Tip`, the archive, the markup
helpers): no MkDocs, Jinja or Markdown here, so the plugin (which writes each
tip's edition into the site) and `tipweek email` (which sends one) make the same
email from the same code.
"""
