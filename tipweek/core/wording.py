"""How numbers are said in messages: `count(3, "tip")` is "3 tips", `count(1, "tip")` "1 tip"."""

from __future__ import annotations


def count(number: int, noun: str) -> str:
    """`number` and `noun`, with an "s" unless there is exactly one."""
    return f"{number} {noun}{'s' * (number != 1)}"
