"""Is the output the same? Two built sites compared byte for byte, paths and contents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TreeComparison:
    """Two output trees compared by relative path and content."""

    reference: str  # the tool whose tree the other is compared with
    files: int  # files in both trees together
    differing: list[str] = field(default_factory=list)  # same path, other bytes
    only_in_reference: list[str] = field(default_factory=list)  # folders end in "/"
    only_in_this: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.differing or self.only_in_reference or self.only_in_this)

    def describe(self, shown: int = 5) -> str:
        if self.identical:
            return f"site identical to {self.reference} ({self.files:,} files)"
        parts = []
        for label, paths in (
            ("differ", self.differing),
            (f"only in {self.reference}", self.only_in_reference),
            ("only in this one", self.only_in_this),
        ):
            if paths:
                more = f", … {len(paths) - shown} more" if len(paths) > shown else ""
                parts.append(f"{len(paths)} {label}: {', '.join(paths[:shown])}{more}")
        return f"site DIFFERS from {self.reference} ({self.files:,} files): " + "; ".join(parts)


def _tree(root: Path) -> dict[str, Path]:
    """Every file and folder under `root` by relative POSIX path (folders end in "/")."""
    entries = {}
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        for name in dirs:
            entries[(here / name).relative_to(root).as_posix() + "/"] = here / name
        for name in names:
            entries[(here / name).relative_to(root).as_posix()] = here / name
    return entries


def compare_trees(reference: str, ours: Path, theirs: Path) -> TreeComparison:
    """`theirs` (the reference's tree) against `ours`: paths and bytes."""
    mine, other = _tree(ours), _tree(theirs)
    both = sorted(mine.keys() & other.keys())
    return TreeComparison(
        reference=reference,
        files=sum(1 for path in mine.keys() | other.keys() if not path.endswith("/")),
        differing=[
            path
            for path in both
            if not path.endswith("/") and mine[path].read_bytes() != other[path].read_bytes()
        ],
        only_in_reference=sorted(other.keys() - mine.keys()),
        only_in_this=sorted(mine.keys() - other.keys()),
    )
