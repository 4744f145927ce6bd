"""A stable description of any configuration value, for cache keys.

`repr` will not do as a key: dicts come in any order, and a function or an
object prints its memory address (`<function _uslugify at 0x7f…>`), so a key
holding one never hits again.  `stable_repr` names functions and classes by
their qualified name and describes any other object by its class and its
state, as `pickle` would see them (`__reduce_ex__`), recursively: two values
that would pickle alike describe alike, and two that differ never look the
same.  A value that cannot be described at all (one `pickle` refuses) is
written as `UNDESCRIBABLE …`, and `undescribable` finds it, so the cache that
would key on it steps aside rather than key on half a value.
"""

from __future__ import annotations

import copyreg
import inspect
import re
from collections.abc import Mapping
from typing import Any

#: What stands in a description for a value that cannot be described.
UNDESCRIBABLE = "UNDESCRIBABLE"
_UNDESCRIBABLE = re.compile(UNDESCRIBABLE + r" ([\w.<>]+)")
#: How deep an object's state is followed; beyond, a value counts as undescribable.
_MAX_DEPTH = 40


def stable_repr(value: object) -> str:
    """A description of `value` that is the same in every process (no addresses, no
    hash-seeded order)."""
    return _describe(value, (), 0)


def undescribable(description: str) -> str | None:
    """The qualified type name of the first value `stable_repr` could not describe in
    `description`, or None."""
    found = _UNDESCRIBABLE.search(description)
    return None if found is None else found.group(1)


def qualified_name(value: object) -> str:
    module = getattr(value, "__module__", None) or "?"
    return f"{module}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def _describe(value: object, path: tuple[int, ...], depth: int) -> str:
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return repr(value)
    if id(value) in path:
        return "<cycle>"
    if depth > _MAX_DEPTH:
        return f"{UNDESCRIBABLE} {qualified_name(type(value))}"
    inner = (*path, id(value))

    def describe(item: object) -> str:
        return _describe(item, inner, depth + 1)

    if isinstance(value, Mapping):
        items = sorted((describe(k), describe(v)) for k, v in value.items())
        body = ", ".join(f"{k}: {v}" for k, v in items)
        kind = "" if type(value) is dict else qualified_name(type(value))
        return f"{kind}{{{body}}}"
    if isinstance(value, (list, tuple)):
        kind = "" if type(value) in (list, tuple) else qualified_name(type(value))
        return f"{kind}[" + ", ".join(describe(item) for item in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(describe(item) for item in value)) + "}"
    if inspect.ismethod(value):
        return f"<{qualified_name(value.__func__)} of {describe(value.__self__)}>"
    if (inspect.isroutine(value) or inspect.isclass(value)) and hasattr(value, "__qualname__"):
        return f"<{qualified_name(value)}>"
    if inspect.ismodule(value):
        return f"<module {value.__name__}>"
    return _describe_object(value, describe)


def _describe_object(value: object, describe: Any) -> str:
    """An object by what `pickle` would keep of it: how it is made, and its state."""
    try:
        # As pickle does: a reducer registered with copyreg first (compiled patterns).
        reducer = copyreg.dispatch_table.get(type(value))
        reduced = reducer(value) if reducer is not None else value.__reduce_ex__(4)
    except Exception:  # pickle refuses it, for whatever reason: it cannot be described
        return f"{UNDESCRIBABLE} {qualified_name(type(value))}"
    if isinstance(reduced, str):  # a global, pickled by name
        return f"<{qualified_name(type(value))} {reduced}>"
    parts = list(reduced) + [None] * (6 - len(reduced))
    make, args, state, items, pairs = parts[:5]
    described = [f"{qualified_name(type(value))}", describe(make), describe(args)]
    if state is not None:
        described.append(describe(state))
    if items is not None:
        described.append(describe(list(items)))
    if pairs is not None:
        described.append(describe(dict(pairs)))
    return "<" + " ".join(described) + ">"
