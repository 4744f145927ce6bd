"""Imported posts read like the originals: code keeps its lines and language, lists
keep their items, definition terms stay terms.

Each case is the HTML a real WordPress post holds (block editor, classic editor,
highlighter plugins), converted and then rendered with the extensions a site
from `tipweek init` enables; assertions are on the parsed HTML.
"""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from tests.import_exports import one_post_export
from tests.test_import import make_project, run_import
from tipweek.importer.convert import convert_post

# What MkDocs always adds, and what the starter mkdocs.yml enables.
SITE_EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list", "def_list"]


def rendered(html: str, *, raw: bool = True) -> BeautifulSoup:
    body = convert_post(html, needs_paragraphs=raw).markdown
    return BeautifulSoup(markdown.markdown(body, extensions=SITE_EXTENSIONS), "lxml")


BLOCK_EDITOR_CODE = """<!-- wp:paragraph -->
<p>Paste this into the console:</p>
<!-- /wp:paragraph -->

<!-- wp:code -->
<pre class="wp-block-code"><code>def greet(name):
    return f"Hello, {name}"

print(greet("caller"))</code></pre>
<!-- /wp:code -->"""


@pytest.mark.parametrize("raw", [True, False])
def test_a_block_editor_code_block_keeps_every_line(raw):
    page = rendered(BLOCK_EDITOR_CODE, raw=raw)
    (code,) = page.select("pre > code")
    assert code.get_text() == (
        'def greet(name):\n    return f"Hello, {name}"\n\nprint(greet("caller"))\n'
    )


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<pre><code class="language-python">a = 1\nb = 2</code></pre>', "python"),
        ('<pre class="wp-block-code"><code class="lang-js">let a;\nlet b;</code></pre>', "js"),
        ('<pre class="brush: php; title: ; notranslate">echo 1;\necho 2;</pre>', "php"),
        ('<pre lang="ruby" line="1">puts 1\nputs 2</pre>', "ruby"),
        ('<pre class="lang:sh decode:true">ls\npwd</pre>', "sh"),
    ],
)
def test_a_code_blocks_language_class_is_kept(html, language):
    (code,) = rendered(html).select("pre > code")
    assert code["class"] == [f"language-{language}"]
    assert len(code.get_text().splitlines()) == 2


def test_a_class_that_names_no_language_is_dropped():
    (code,) = rendered('<pre class="screen x&quot;onclick"><code>a\nb</code></pre>').select(
        "pre code"
    )
    assert not code.get("class")


CLASSIC_LIST_WITH_CODE = """Before the list.

<ul>
    <li>Open a terminal.</li>
<li>Run the report:
<pre>
<code>
  report --week 12
  report --mail team
</code>
</pre></li>
    <li>Read it.</li>
</ul>

After the list."""


@pytest.mark.parametrize("raw", [True, False])
def test_a_code_block_inside_a_list_item_stays_in_the_item(raw):
    page = rendered(CLASSIC_LIST_WITH_CODE, raw=raw)
    (listing,) = page.find_all("ul")  # one list, not two, and nothing nested
    items = listing.find_all("li", recursive=False)
    assert [li.get_text(" ", strip=True).split(" ")[0] for li in items] == ["Open", "Run", "Read"]
    (code,) = items[1].select("pre > code")
    assert code.get_text().splitlines() == ["  report --week 12", "  report --mail team"]
    assert page.find_all("p")[-1].get_text() == "After the list."


def test_an_ordered_list_with_code_keeps_its_numbers():
    page = rendered("<ol><li>First<pre>a\n\nb</pre></li><li>Second</li><li>Third</li></ol>")
    (listing,) = page.find_all("ol")
    assert len(listing.find_all("li", recursive=False)) == 3
    assert listing.find("pre").get_text() == "a\n\nb\n"


def test_definition_terms_starting_with_a_hash_stay_terms():
    page = rendered(
        "<dl><dt>#dowork</dt><dd>The tag for tasks.</dd>"
        "<dt>## urgent</dt><dd>Two hashes.</dd></dl>"
        "<h2>Later heading</h2><p>Text.</p>"
    )
    assert [dt.get_text() for dt in page.find_all("dt")] == ["#dowork", "## urgent"]
    assert [dd.get_text() for dd in page.find_all("dd")] == ["The tag for tasks.", "Two hashes."]
    assert [h.get_text() for h in page.find_all(["h1", "h2"])] == ["Later heading"]


def test_a_line_of_text_starting_with_a_hash_is_no_heading():
    page = rendered("<p>Use the tag<br>\n#support on every ticket.</p>")
    assert page.find_all(["h1", "h2"]) == []
    assert "#support on every ticket." in page.get_text()


def test_a_definition_list_is_reported_when_the_site_lacks_def_list():
    assert convert_post("<dl><dt>a</dt><dd>b</dd></dl>").extensions == {"def_list"}
    assert convert_post("<p>No list.</p>").extensions == set()


def test_an_import_into_a_site_without_def_list_says_what_to_enable(tmp_path, capsys):
    project = make_project(tmp_path)  # its mkdocs.yml lists no markdown_extensions
    export = one_post_export(tmp_path, content="<dl><dt>SLA</dt><dd>Reply within a day.</dd></dl>")
    assert run_import(project, str(export), "--report", "report.md") == 0
    report = (project / "report.md").read_text(encoding="utf-8")
    assert "add \\`- def\\_list\\` to its markdown\\_extensions" in report


OLD = "https://old.example/2019/03/05/x/"


def converted(html: str, *, raw: bool = True):
    result = convert_post(html, needs_paragraphs=raw, base_url=OLD)
    page = BeautifulSoup(markdown.markdown(result.markdown, extensions=SITE_EXTENSIONS), "lxml")
    return page, result.notes


@pytest.mark.parametrize(
    "html",
    [
        # Block editor, new style: figures in the gallery figure.
        '<figure class="wp-block-gallery has-nested-images columns-3">'
        '<figure class="wp-block-image"><img src="/a.jpg" alt="a"/></figure>'
        '<figure class="wp-block-image"><img src="/b.jpg" alt="b"/></figure>'
        '<figure class="wp-block-image"><img src="/c.jpg" alt="c"/></figure>'
        '<figcaption class="blocks-gallery-caption">The desk</figcaption></figure>',
        # Block editor, old style: a list of figures.
        '<figure class="wp-block-gallery columns-3"><ul class="blocks-gallery-grid">'
        '<li class="blocks-gallery-item"><figure><img src="/a.jpg" alt="a"></figure></li>'
        '<li class="blocks-gallery-item"><figure><img src="/b.jpg" alt="b"></figure></li>'
        '<li class="blocks-gallery-item"><figure><img src="/c.jpg" alt="c"></figure></li>'
        "</ul></figure>",
        # A feed's rendered [gallery].
        '<div id="gallery-1" class="gallery galleryid-5 gallery-columns-3">'
        '<dl class="gallery-item"><dt class="gallery-icon"><img src="/a.jpg" alt="a"></dt></dl>'
        '<dl class="gallery-item"><dt class="gallery-icon"><img src="/b.jpg" alt="b"></dt></dl>'
        '<br style="clear: both" />'
        '<dl class="gallery-item"><dt class="gallery-icon"><img src="/c.jpg" alt="c"></dt></dl>'
        "</div>",
    ],
    ids=["block", "block-list", "rendered"],
)
def test_a_gallery_becomes_one_grid_of_figures(html):
    page, notes = converted(html)
    (grid,) = page.select("div.tw-gallery")
    figures = grid.find_all("figure", recursive=False)
    assert [f.img["alt"] for f in figures] == ["a", "b", "c"]
    assert "a rendered gallery of 3 images became a grid" in notes
    assert "3 images left on the old host old.example" in notes


@pytest.mark.parametrize(
    ("html", "selector"),
    [
        ('<p><img class="alignleft size-medium" src="/a.jpg" alt="x">Text.</p>', "p > img.tw-left"),
        (
            '<p><a href="/a.jpg"><img class="alignright" src="/a.jpg" alt="x"></a>Text.</p>',
            "a > img.tw-right",
        ),
        (
            '<figure class="wp-block-image alignright"><img src="/a.jpg" alt="x"></figure>',
            "figure.tw-right",
        ),
        (
            '<div class="wp-block-image"><figure class="alignleft"><img src="/a.jpg" alt="x"></figure></div>',
            "figure.tw-left",
        ),
        (
            '<div class="wp-caption alignleft"><img src="/a.jpg" alt="x"><p class="wp-caption-text">C</p></div>',
            "figure.tw-left",
        ),
        (
            '[caption align="alignright" width="300"]<img src="/a.jpg" alt="x"> C[/caption]',
            "figure.tw-right",
        ),
        ('<p><img class="aligncenter size-large" src="/a.jpg" alt="x"></p>', "p > img.tw-center"),
    ],
)
def test_left_and_right_aligned_images_keep_their_side(html, selector):
    page, _notes = converted(html)
    (element,) = page.select(selector)
    assert (element.img or element)["alt"] == "x"


def test_no_other_class_survives():
    page, _notes = converted(
        '<div class="grid cards" onclick="x"><p class="alignleft evil">Text</p>'
        '<img class="wp-image-5 size-full" src="/a.jpg" alt="x"></div>'
    )
    classes = {c for element in page.find_all(True) for c in element.get("class") or []}
    assert classes == set()


@pytest.mark.parametrize(
    ("src", "host"),
    [
        ("https://oldblog.files.wordpress.com/2014/07/headset.jpg", "oldblog.files.wordpress.com"),
        ("https://i0.wp.com/old.example/wp-content/uploads/a.jpg", "i0.wp.com"),
        ("https://i2.wp.com/elsewhere.example/a.jpg", "i2.wp.com"),
    ],
)
def test_images_on_wordpress_com_media_hosts_are_listed_as_left_behind(src, host):
    _page, notes = converted(f'<p><img src="{src}" alt="x"></p>')
    assert notes == [f"1 image left on the old host {host} (WordPress.com's media)"]


def test_a_preformatted_blocks_line_breaks_are_its_lines():
    html = '<pre class="wp-block-preformatted">Two roads<br>  diverged<br><br>in a wood</pre>'
    (code,) = rendered(html).select("pre > code")
    assert code.get_text() == "Two roads\n  diverged\n\nin a wood\n"  # no trailing spaces


def test_a_code_shortcode_becomes_a_code_block_with_its_language():
    html = (
        'Try this:\n\n[code language="python"]\ndef first(items):\n'
        '    return items[0] if items else "[gallery]"\n\nprint(first([1]))\n[/code]\n\n'
        'Or [sourcecode lang="php"]&lt;?php echo 1; ?&gt;[/sourcecode] in PHP.'
    )
    blocks = rendered(html).select("pre > code")
    assert [code["class"] for code in blocks] == [["language-python"], ["language-php"]]
    assert blocks[0].get_text() == (
        'def first(items):\n    return items[0] if items else "[gallery]"\n\nprint(first([1]))\n'
    )
    assert blocks[1].get_text() == "<?php echo 1; ?>\n"


# A site from `tipweek init` also reads fenced code inside lists, quotes and definitions.
INIT_EXTENSIONS = [*SITE_EXTENSIONS, "pymdownx.highlight", "pymdownx.superfences"]
INIT_CONFIGS = {"pymdownx.highlight": {"pygments_lang_class": True}}

NESTED_CODE = [
    # (the post's HTML, the element the code block must stay in, its language, its lines)
    (
        '<ul><li>Run:<pre><code class="language-bash">report --week\n  --mail</code></pre>'
        "</li><li>Next</li></ul>",
        "li",
        "bash",
        ["report --week", "  --mail"],
    ),
    (  # the item's first block: a fence on the bullet's line would be a code span
        '<ol><li><pre><code class="language-sql">SELECT 1;\nSELECT 2;</code></pre></li>'
        "<li>Next</li></ol>",
        "li",
        "sql",
        ["SELECT 1;", "SELECT 2;"],
    ),
    (
        "<ul><li>Outer<ul><li>Inner:"
        '<pre><code class="language-js">let a = 1;\n\nlet b = 2;</code></pre></li></ul></li></ul>',
        "li",
        "js",
        ["let a = 1;", "", "let b = 2;"],
    ),
    (
        '<blockquote><p>Try:</p><pre><code class="language-bash">echo hi\necho there</code>'
        "</pre></blockquote>",
        "blockquote",
        "bash",
        ["echo hi", "echo there"],
    ),
    (
        '<dl><dt>Query</dt><dd><pre><code class="language-sql">SELECT 1;\nSELECT 2;</code>'
        "</pre></dd></dl>",
        "dd",
        "sql",
        ["SELECT 1;", "SELECT 2;"],
    ),
]


@pytest.mark.parametrize(("html", "container", "language", "lines"), NESTED_CODE)
def test_code_inside_a_list_quote_or_definition_keeps_its_language_with_superfences(
    html, container, language, lines
):
    converted = convert_post(html, nested_fences=True)
    body = markdown.markdown(
        converted.markdown, extensions=INIT_EXTENSIONS, extension_configs=INIT_CONFIGS
    )
    page = BeautifulSoup(body, "lxml")
    (pre,) = page.find_all("pre")
    assert pre.find_parent(container) is not None
    assert pre.find_parent(class_=f"language-{language}") is not None
    assert pre.get_text().splitlines() == lines
    assert converted.notes == []
    if container == "li":  # the list keeps its items: the code ended none early
        assert len(page.find_all("li")) == html.count("<li>")


def test_without_superfences_such_code_is_indented_and_its_language_is_a_note():
    converted = convert_post(NESTED_CODE[0][0])
    page = BeautifulSoup(markdown.markdown(converted.markdown, extensions=SITE_EXTENSIONS), "lxml")
    assert page.select_one("li pre").get_text().splitlines() == NESTED_CODE[0][3]
    assert converted.notes == [
        "code inside a list or quote is written without its language (bash): "
        "add `- pymdownx.superfences` to mkdocs.yml's markdown_extensions to keep it"
    ]
