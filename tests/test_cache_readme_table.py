"""The README's table of cache inputs lists exactly what `tipweek/cache/inputs.py` declares.

The table sits between `<!-- cache-inputs -->` and `<!-- /cache-inputs -->`; each
row is `| cache | depends on | because |`, the cache being `render` or `page`.
Until the README has the markers this test skips; `notes/caches-readme.md`
(the text for the README) is checked the same way while it exists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tipweek.cache.inputs import PAGE_INPUTS, RENDER_INPUTS

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- cache-inputs -->", "<!-- /cache-inputs -->"


def declared_rows() -> list[tuple[str, str, str]]:
    return [("render", what, why) for what, why in RENDER_INPUTS] + [
        ("page", what, why) for what, why in PAGE_INPUTS
    ]


def expected_table() -> str:
    """The table as it belongs in the README (printed when the test fails)."""
    lines = ["| cache | depends on | because |", "|---|---|---|"]
    lines += [f"| {cache} | {what} | {why} |" for cache, what, why in declared_rows()]
    return "\n".join([START, *lines, END])


def table_rows(text: str) -> list[tuple[str, ...]]:
    """The body rows of the Markdown table between the markers, cell by cell."""
    inside = text.split(START, 1)[1].split(END, 1)[0]
    rows = [line.strip() for line in inside.splitlines() if line.strip().startswith("|")]
    cells = [tuple(cell.strip() for cell in row.strip("|").split("|")) for row in rows]
    return [row for row in cells[2:]]  # after the header and the |---| line


@pytest.mark.parametrize("document", ["README.md", "notes/caches-readme.md"])
def test_the_table_of_cache_inputs_lists_exactly_the_declared_inputs(document):
    path = REPO / document
    if not path.is_file() or START not in path.read_text(encoding="utf-8"):
        pytest.skip(f"{document} has no {START} table yet")
    rows = table_rows(path.read_text(encoding="utf-8"))
    assert rows == declared_rows(), f"the table in {document} should be:\n{expected_table()}"


def test_a_table_that_misses_an_input_is_told_apart():
    """The parser sees a missing or extra row (so the test above can fail)."""
    table = expected_table()
    assert table_rows(table) == declared_rows()
    shorter = "\n".join(line for line in table.splitlines() if "tipweek's code" not in line)
    assert table_rows(shorter) != declared_rows()
