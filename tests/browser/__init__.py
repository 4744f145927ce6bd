"""Checks of the built sample site with real web tools (Chromium, axe-core, vnu, LinkChecker)."""
