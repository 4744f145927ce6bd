"""`tipweek init --from` a WordPress export of what real exports hold, built strictly
with Pagefind on: every post comes over reading like the original.

The export (tests/fixtures/import/real/counter-blog.xml) was written for this test
after the classes of failure found by importing other projects' exports: a
block-editor code block, a code block inside a list item, definition terms
starting with `#`, a post in 63 categories, a gallery with left and right aligned
images (one on WordPress.com's media host), a post whose whole text is `&`, and a
relative link.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import run_cli

from tests.test_cli_init import build_site, here  # noqa: F401 (the `here` fixture)

pytest.importorskip("pagefind_bin")

EXPORT = Path(__file__).parent / "fixtures" / "import" / "real" / "counter-blog.xml"


@pytest.fixture
def site(here: Path, capsys, caplog) -> tuple[Path, str]:  # noqa: F811
    code, out, err = run_cli(capsys, "init", "counter", "--from", str(EXPORT), "--timezone", "UTC")
    assert code == 0, err
    root = here / "counter"
    code, _, err = run_cli(
        capsys,
        "--config",
        "counter/mkdocs.yml",
        "import",
        str(EXPORT),
        "--force",
        "--report",
        "report.md",
    )
    assert code == 0, err
    build_site(root, caplog)  # strict: a warning fails it
    return root, out


def page(root: Path, url: str) -> BeautifulSoup:
    html = (root / "site" / url / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "lxml").select_one("article.h-entry .e-content")


def test_every_post_comes_over_and_the_site_builds_strictly(site):
    root, out = site
    assert "imported 7 tips, skipped 6, failed 0" in out  # six attachments skipped
    extensions = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))[
        "markdown_extensions"
    ]
    assert "def_list" in extensions
    assert (root / "site" / "pagefind" / "pagefind-entry.json").is_file()


def test_code_blocks_keep_lines_language_and_their_list(site):
    root, _ = site
    (code,) = page(root, "2018/05/01/greeting-macro").select("pre code")
    assert code.get_text().splitlines() == [
        "def greeting(name):",
        '    return f"Hello {name}, thanks for writing."',
        "",
        'print(greeting("Sam"))',
    ]
    # pymdownx.highlight (in an init site) puts the language on the block around <pre>.
    assert code.find_parent(class_="language-python") is not None
    body = page(root, "2018/05/08/ticket-report")
    (steps,) = body.find_all("ol")
    items = steps.find_all("li", recursive=False)
    assert len(items) == 3
    assert items[1].find("pre").get_text().splitlines() == [
        "report --week",
        "report --mail team@example.com",
    ]
    # Inside the list item too (pymdownx.superfences reads fences there).
    assert items[1].find("pre").find_parent(class_="language-bash") is not None


def test_definition_lists_render_and_a_hash_term_is_no_heading(site):
    root, _ = site
    body = page(root, "2018/05/15/words-of-the-desk")
    assert [dt.get_text() for dt in body.select("dl dt")] == ["#dowork", "#waiting"]
    assert [h.get_text(strip=True).rstrip("¶") for h in body.find_all(["h1", "h2"])] == [
        "Why tags",
        "Who tags",
    ]


def test_a_post_in_63_categories_keeps_them_all(site):
    root, _ = site
    html = (root / "site" / "2018/05/22/filed-under-everything/index.html").read_text("utf-8")
    categories = BeautifulSoup(html, "lxml").select("article.h-entry .p-category")
    assert len(categories) == 63


def test_a_gallery_is_a_grid_and_aligned_images_keep_their_side(site):
    root, _ = site
    body = page(root, "2018/05/29/spring-training-photos")
    (grid,) = body.select("div.tw-gallery")
    assert len(grid.find_all("figure", recursive=False)) == 6
    assert body.select_one("img.tw-left")["alt"] == "The counter at opening time"
    assert (
        body.select_one("figure.tw-right figcaption").get_text() == "Badges go on the right side."
    )
    css = (root / "site" / "assets" / "tipweek" / "tipweek.css").read_text(encoding="utf-8")
    assert ".tw-gallery" in css and ".tw-left" in css and ".tw-right" in css
    report = (root.parent / "report.md").read_text(encoding="utf-8")  # run from `here`
    assert "left on the old host oldcounter.files.wordpress.com" in report
    assert "7 images left on the old host oldcounter.example.com" in report


def test_a_wordless_post_and_a_relative_link(site):
    root, _ = site
    assert page(root, "2018/06/05/and").get_text(strip=True) == "&"
    links = page(root, "2018/06/12/linked-notes").find_all("a")
    assert [a["href"] for a in links] == [
        "https://oldcounter.example.com/2018/06/12/linked-notes/checklist.html",
        "https://oldcounter.example.com/2018/05/15/words-of-the-desk/",
    ]
