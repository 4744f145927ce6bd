"""The caches manual's table of cache inputs lists exactly what `tipweek/cache/inputs.py`
declares (docs/manual/caches.md; the README points there).

The table sits between `<!-- cache-inputs -->` and `<!-- /cache-inputs -->`: a
header, then one row a cache, `| converted tips | input; input; … |` and
`| pages | input; … |`, each cache's inputs in the order `MARKDOWN_INPUTS` and
`PAGE_INPUTS` give them.
"""

from __future__ import annotations

from pathlib import Path

from tipweek.cache.inputs import MARKDOWN_INPUTS, PAGE_INPUTS

REPO = Path(__file__).resolve().parent.parent
START, END = "<!-- cache-inputs -->", "<!-- /cache-inputs -->"
#: The table's name for each cache, and what inputs.py declares for it.
DECLARED = {"converted tips": MARKDOWN_INPUTS, "pages": PAGE_INPUTS}


def declared_inputs() -> dict[str, list[str]]:
    return {cache: [what for what, _why in inputs] for cache, inputs in DECLARED.items()}


def expected_table() -> str:
    """The table as it belongs in the README (printed when the test fails)."""
    lines = ["| cache | its key holds |", "|---|---|"]
    lines += [f"| {cache} | {'; '.join(inputs)} |" for cache, inputs in declared_inputs().items()]
    return "\n".join([START, *lines, END])


def table_inputs(text: str) -> dict[str, list[str]]:
    """Each cache's inputs as the table between the markers lists them."""
    inside = text.split(START, 1)[1].split(END, 1)[0]
    rows = [line.strip() for line in inside.splitlines() if line.strip().startswith("|")]
    found: dict[str, list[str]] = {}
    for row in rows[2:]:  # after the header and the |---| line
        cache, *rest = (cell.strip() for cell in row.strip("|").split("|"))
        found[cache] = [item.strip() for item in " | ".join(rest).split(";")]
    return found


MANUAL = REPO / "docs" / "manual" / "caches.md"


def test_the_table_of_cache_inputs_lists_exactly_the_declared_inputs():
    text = MANUAL.read_text(encoding="utf-8")
    assert START in text, f"{MANUAL.name} has lost its {START} table"
    found = table_inputs(text)
    assert found == declared_inputs(), f"the table in {MANUAL.name} should be:\n{expected_table()}"


def test_a_table_that_misses_or_adds_an_input_is_told_apart():
    """The parser sees a missing, extra or reworded input (so the test above can fail)."""
    table = expected_table()
    assert table_inputs(table) == declared_inputs()
    for changed in (
        table.replace("tipweek's code, by content; ", "", 1),
        table.replace("the whole navigation", "the whole navigation; the weather"),
        table.replace("the whole navigation", "the menus"),
    ):
        assert table_inputs(changed) != declared_inputs()
