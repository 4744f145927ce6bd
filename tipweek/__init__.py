"""tipweek: publish a weekly tip column as a static site (MkDocs + Material) with feeds."""

__version__ = "0.1.0"
