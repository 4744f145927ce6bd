"""Caches: each tip's rendered Markdown and each generated page's HTML.

Pure modules (no MkDocs import): every cache key is built from a declared list
of inputs, and nothing read back from `.cache` is ever executed or unpickled.
"""
