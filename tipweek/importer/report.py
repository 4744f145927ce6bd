"""`tipweek import --report FILE`: every entry of the source, what became of it, and why.

An editor reviewing a 1,900-post move needs one list in the source's order:
each entry written (to which file), skipped or failed (with the reason), and
what was approximated in it (shortcodes reduced, images left on the old host,
a made-up title).  Markdown by default; HTML when the file name ends in
`.html` or `.htm`.  Titles come from the old site, so both formats escape them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from tipweek.core.tip_writer import replace_file
from tipweek.importer.convert import plain_text
from tipweek.importer.markdown_writer import escape_text
from tipweek.importer.plan import Plan, PlannedTip
from tipweek.importer.source import Source, SourcePost


@dataclass(frozen=True)
class Row:
    post: SourcePost
    result: str  # "written", "skipped" or "failed"
    detail: str  # the file written, or the reason
    notes: tuple[str, ...]

    @property
    def title(self) -> str:
        return plain_text(self.post.title_html)


def report_rows(
    source: Source, plan: Plan, written: list[PlannedTip], *, dry_run: bool
) -> list[Row]:
    """One row per source entry, in the source's order."""
    rows: dict[int, Row] = {}
    verb = "would be written" if dry_run else "written"
    for tip in written:
        rows[tip.post.position] = Row(tip.post, verb, tip.source, tuple(tip.notes))
    for result, outcomes in (("skipped", plan.skipped), ("failed", plan.failed)):
        for outcome in outcomes:
            rows[outcome.post.position] = Row(outcome.post, result, outcome.reason, outcome.notes)
    return [rows[post.position] for post in source.posts if post.position in rows]


def _counts(rows: list[Row]) -> str:
    results: dict[str, int] = {}
    for row in rows:
        results[row.result] = results.get(row.result, 0) + 1
    review = sum(1 for row in rows if row.notes)
    parts = [f"{count} {result}" for result, count in results.items()]
    return f"{len(rows)} entries: {', '.join(parts) or 'none'}; {review} with approximations"


def markdown_report(source: Source, rows: list[Row]) -> str:
    lines = [
        f"# Import report: {escape_text(source.location)}",
        "",
        f"{escape_text(source.kind)}, {_counts(rows)}.",
        "",
        *(f"- how it was read: {escape_text(note)}" for note in source.notes),
        *([""] if source.notes else []),
    ]
    for row in rows:
        title = f" \u201c{escape_text(row.title)}\u201d" if row.title else ""
        detail = f"`{row.detail}`" if row.result.endswith("written") else escape_text(row.detail)
        lines.append(f"- **{escape_text(row.post.label)}**{title}: {row.result}: {detail}")
        lines.extend(f"    - approximated: {escape_text(note)}" for note in row.notes)
    return "\n".join(lines) + "\n"


def html_report(source: Source, rows: list[Row]) -> str:
    body = []
    for row in rows:
        notes = "".join(f"<li>{escape(note)}</li>" for note in row.notes)
        body.append(
            f'<tr class="{escape(row.result.split()[-1])}"><td>{escape(row.post.label)}</td>'
            f"<td>{escape(row.title)}</td><td>{escape(row.result)}</td>"
            f"<td>{escape(row.detail)}</td><td>{f'<ul>{notes}</ul>' if notes else ''}</td></tr>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Import report: {escape(source.location)}</title>\n"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}"
        ".skipped{background:#f6f6f6}.failed{background:#fdd}</style>\n</head>\n<body>\n"
        f"<h1>Import report: {escape(source.location)}</h1>\n"
        f"<p>{escape(source.kind)}, {escape(_counts(rows))}.</p>\n"
        + "".join(f"<p>How it was read: {escape(note)}</p>\n" for note in source.notes)
        + "<table>\n<thead><tr><th>Entry</th><th>Title</th><th>Result</th>"
        "<th>File or reason</th><th>Approximated</th></tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def write_report(path: Path, source: Source, rows: list[Row]) -> None:
    """Write the report atomically, as HTML for `.html`/`.htm`, else Markdown."""
    is_html = path.suffix.lower() in (".html", ".htm")
    text = html_report(source, rows) if is_html else markdown_report(source, rows)
    replace_file(path, text)
