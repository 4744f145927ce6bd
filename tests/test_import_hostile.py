"""Imported content cannot script the site (issue #19, part 1).

Every row of `HOSTILE` is a post an attacker (or an old plugin) could have left
in a blog: Markdown that would become live links, attr_list handlers, raw
scripts, fence break-outs, hostile attributes and shortcodes.  They are
imported from a feed (rendered HTML) and from a WordPress export (raw post
text), the site is built, and every built HTML and XML file is scanned: no
`on*` attribute, no injected `<script>`, no `javascript:`, `vbscript:` or
`data:` URL (but `data:image/` images) anywhere, feeds' HTML content included.
Each payload calls `pwned(...)`, so an injected script is easy to tell from
the theme's own.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.test_import import make_project, run_import
from tipweek.cli.workspace import load_workspace
from tipweek.importer import plan as plan_module
from tipweek.importer.convert import Converted, convert_post
from tipweek.importer.inert import InertCheck, scripting_problems

HOSTILE = {
    "markdown link": "<p>[x](javascript:pwned(1)) and [y]( javascript:pwned(2) )</p>",
    "markdown image": "<p>![](javascript:pwned(3)) ![a](javascript:pwned(4) 'title')</p>",
    "reference definition": "<p>See [the page][1].</p><p>[1]: javascript:pwned(5)</p>",
    "reference on its own line": "[z][r]\n\n[r]: <javascript:pwned(6)>",
    "data link": "<p>[d](data:text/html;base64,PHNjcmlwdD5wd25lZCg3KTwvc2NyaXB0Pg==)</p>",
    "attr_list line": '<p>Hello</p>\n<p>{: onclick="pwned(8)" }</p>',
    "attr_list after a link": "<p>[x](https://ok.example/){: onclick=pwned(9) }</p>",
    "attr_list in a heading": "<h2>Title {: onmouseover=pwned(10) }</h2>",
    "attr_list in a table": "<table><tr><td>{: onclick=pwned(11)}</td></tr></table>",
    "raw script": "<p>Hi</p><script>pwned(12)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "html handlers and urls": (
        '<p><a href="javascript:pwned(13)">a</a><img src="x.png" onerror="pwned(14)">'
        '<a href=" JaVa&#x09;ScRiPt:pwned(15)">b</a><a href="vbscript:pwned(16)">c</a></p>'
    ),
    "escaped tags as text": "<p>&lt;script&gt;pwned(17)&lt;/script&gt; &lt;img src=x onerror=pwned(18)&gt;</p>",
    "autolink as text": "<p>&lt;javascript:pwned(19)&gt; and &lt;data:text/html,x&gt;</p>",
    "fence break-out": "<pre>```\n[x](javascript:pwned(20))\n```\n<b onclick=pwned(21)>x</b></pre>",
    "pre in a quote": "<blockquote><pre>[x](javascript:pwned(22))\n{: onclick=pwned(23) }</pre></blockquote>",
    "image alt": '<p><img alt="x](javascript:pwned(24)) ![y" src="https://ok.example/a.png"></p>',
    "link title": '<p><a title=\'x" onmouseover="pwned(25)\' href="https://ok.example/">t</a></p>',
    "svg and iframe": '<svg onload="pwned(26)"></svg><iframe src="javascript:pwned(27)"></iframe>',
    "caption": '[caption]<img src="https://ok.example/a.png" onerror="pwned(28)"> [c](javascript:pwned(29))[/caption]',
    "media shortcodes": (
        '[audio mp3="javascript:pwned(30)"][/audio][video src="data:text/html,pwned(31)"]'
        "[embed]javascript:pwned(32)[/embed]"
    ),
    "gallery attribute": "[gallery ids='1\" onload=\"pwned(33)']",
    "figure caption in a list": (
        '<ul><li><figure><img src="https://ok.example/a.png"><figcaption>[f](javascript:pwned(34))'
        " {: onclick=pwned(35)}</figcaption></figure></li></ul>"
    ),
    "backslashes": "<p>\\[x\\](javascript:pwned(36)) \\\\[y](javascript:pwned(37))</p>",
    "entity-encoded scheme": "<p>[e](&amp;#106;avascript:pwned(38)) [f](jav&#x61;script:pwned(39))</p>",
    "html in markdown": '<p>&lt;div markdown="1"&gt;[x](javascript:pwned(40))&lt;/div&gt;</p>',
    "definition list": "<dl><dt>[t](javascript:pwned(41))</dt><dd>{: onclick=pwned(42)}</dd></dl>",
    "code with backticks": "<p><code>`` [x](javascript:pwned(43)) ``</code></p>",
    "a medium image": "<p>&lt;![](https://example.org/x.png) and &lt;!-- and &lt;![CDATA[</p>",
    "style attribute": '<p style="background:url(javascript:pwned(44))">styled</p>',
}
# Titles, tags and excerpts are written as front matter, not Markdown; they get
# payloads too.
HOSTILE_TITLE = (
    '<script>pwned(90)</script>[t](javascript:pwned(91)) <img src=x onerror="pwned(92)">'
)
HOSTILE_TAG = '<img src=x onerror="pwned(93)">'
HOSTILE_EXCERPT = "[x](javascript:pwned(94)) {: onclick=pwned(95) }"
HTML_ELEMENTS = {"description", "encoded", "content", "summary"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset"}


def rss(posts: dict[str, str]) -> str:
    items = []
    for n, (name, html) in enumerate(posts.items()):
        title = HOSTILE_TITLE if n == 0 else escape(name)
        items.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://old.example/{n}/hostile-{n}/</link>"
            f"<guid>https://old.example/?p={n + 1}</guid>"
            f"<pubDate>Tue, {n % 28 + 1:02d} Jul 2014 12:00:00 +0000</pubDate>"
            f"<category>{escape(HOSTILE_TAG)}</category><category>fine</category>"
            f"<description>{escape(HOSTILE_EXCERPT)}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Hostile</title>'
        + "".join(items)
        + "</channel></rss>\n"
    )


def wxr(posts: dict[str, str]) -> str:
    items = []
    for n, html in enumerate(posts.values()):
        title = HOSTILE_TITLE if n == 0 else f"Post {n}"
        items.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://old.example/2015/{n}/</link>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            f"<excerpt:encoded><![CDATA[{HOSTILE_EXCERPT}]]></excerpt:encoded>"
            f'<category domain="post_tag">{escape(HOSTILE_TAG)}</category>'
            f"<wp:post_id>{n + 1}</wp:post_id>"
            f"<wp:post_date_gmt>2015-03-{n % 28 + 1:02d} 12:00:00</wp:post_date_gmt>"
            f"<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Hostile</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>" + "".join(items) + "</channel></rss>\n"
    )


def dangers_in_html(markup: str, *, page: bool = True) -> list[str]:
    """Everything in a page (or, `page=False`, a feed's HTML) that could run a script."""
    found = []
    soup = BeautifulSoup(markup, "lxml")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}>")
            if name.lower() in URL_ATTRIBUTES:
                url = "".join(str(value).split()).lower()
                image = element.name == "img" and url.startswith("data:image/")
                if url.startswith(("javascript:", "vbscript:", "data:")) and not image:
                    found.append(f"<{element.name} {name}={value!r}>")
        if element.name == "script":
            code = element.get_text().strip()
            if code.startswith("pwned") or "evil" in element.get("src", ""):
                found.append(f"<script>{code[:40]}")
    # The theme has a search <form>; imported text (content, excerpts) may have none.
    imported = soup.select(".e-content, .p-summary") if page else [soup]
    for part in imported:
        for element in part.find_all(["iframe", "object", "embed", "form", "base", "script"]):
            found.append(f"<{element.name}> in imported text")
    return found


def dangers_in_site(site_dir: Path) -> dict[str, list[str]]:
    problems = {}
    for path in sorted(site_dir.rglob("*")):
        if path.suffix == ".html":
            found = dangers_in_html(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml":
            tree = etree.fromstring(path.read_bytes())
            found = [
                f"<{el.tag}> {name}"
                for el in tree.iter()
                for name in el.attrib
                if name.startswith("on")
            ]
            for element in tree.iter():
                # Elements that carry HTML as text; titles and categories are plain text
                # (escaped XML text that readers show as such).
                carries_html = etree.QName(element).localname in HTML_ELEMENTS
                if carries_html and element.text and "<" in element.text:
                    found += dangers_in_html(element.text, page=False)
                if element.text and element.text.strip().lower().startswith(
                    ("javascript:", "data:")
                ):
                    found.append(f"<{element.tag}>{element.text[:40]}")
        else:
            continue
        if found:
            problems[path.relative_to(site_dir).as_posix()] = found
    return problems


@pytest.mark.parametrize("kind", ["feed", "export"])
def test_no_hostile_post_can_script_the_built_site(make_site, kind):
    root = make_project(make_site.root)
    source = root / "hostile.xml"
    source.write_text(rss(HOSTILE) if kind == "feed" else wxr(HOSTILE), encoding="utf-8")
    code = run_import(root, str(source), "--report", "report.html")
    written = sorted((root / "tips").rglob("*.md"))
    assert code == 0 and len(written) == len(HOSTILE)  # imported, made inert, not refused
    report = (root / "report.html").read_text(encoding="utf-8")
    assert dangers_in_html(report, page=False) == []  # the editor's report is inert too
    assert "pwned(90)" in BeautifulSoup(report, "lxml").get_text()
    site = make_site.build(
        {"timezone": "UTC"},
        extra_config={"markdown_extensions": ["attr_list", "def_list", "md_in_html", "tables"]},
    )
    assert dangers_in_site(site.site_dir) == {}
    # The payloads are still there, as text a reader can see.
    page = site.html("2014/07/01/hostile-0/" if kind == "feed" else "2015/03/01/post-0/")
    assert "[x](javascript:pwned(1))" in page.select_one(".e-content").get_text()
    assert "pwned(90)" in page.select_one("article .p-name").get_text()


def test_the_scan_itself_finds_what_it_looks_for():
    """The scanner would see a payload that got through (so the test above can fail)."""
    page = (
        '<p><a href="javascript:pwned(1)">x</a><img src=x onerror="pwned(2)">'
        '<img src="data:image/png;base64,AA=="><a href="data:text/html,x">d</a></p>'
        "<script>pwned(3)</script>"
    )
    assert dangers_in_html(page, page=False) == [
        "<a href='javascript:pwned(1)'>",
        "<img onerror>",
        "<a href='data:text/html,x'>",
        "<script>pwned(3)",
        "<script> in imported text",
    ]
    assert scripting_problems(page) == [
        "a 'javascript:pwned(1)' address in <a href>",
        "an onerror= handler on <img>",
        "a 'data:text/html,x' address in <a href>",
        "a <script> element",
    ]


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](javascript:alert(1))",
        "![x](vbscript:x)",
        "[a][1]\n\n[1]: data:text/html,x",
        "Hello\n{: onclick=alert(1) }",
        "<b onmouseover=alert(1)>x</b>",
        "<script>alert(1)</script>",
    ],
)
def test_the_rendered_check_sees_markdown_that_would_script(tmp_path, markdown_text):
    make_project(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        (tmp_path / "mkdocs.yml").read_text() + "markdown_extensions: [attr_list]\n"
    )
    check = InertCheck(load_workspace(None, tmp_path).settings)
    assert check.problems(markdown_text) != []
    assert check.problems("[x](https://example.org/) and ![y](data:image/png;base64,AA==)") == []


def test_a_body_the_check_refuses_is_not_written(tmp_path, monkeypatch, capsys):
    """Should the converter's escaping ever miss something, the post fails, visibly."""
    root = make_project(tmp_path)
    source = root / "feed.xml"
    source.write_text(rss({"one": "<p>Fine.</p>"}), encoding="utf-8")
    monkeypatch.setattr(
        plan_module, "convert_post", lambda *a, **k: Converted("[x](javascript:alert(1))")
    )
    assert run_import(root, str(source)) == 1
    assert list((root / "tips").rglob("*.md")) == []
    out = capsys.readouterr().out
    assert "failed: entry 1" in out
    assert (
        "its converted text would put a 'javascript:alert(1)' address in <a href> in the site"
        in out
    )


PIECES = [
    "[", "]", "(", ")", "{", "}", "{:", "!", "`", "```", "~~~", "\\", "<", ">", "&", ";", ":",
    "#", "*", "_", "|", "-", "1.", "'", '"', "=", "\n", "\n\n", "    ", " ",
    "javascript:", "JaVaScRiPt:", "vbscript:", "data:text/html,", "onclick=", "onerror=",
    "pwned(1)", "x", "[1]:", "<script>", "</script>", "&lt;", "&#106;", "{: .c #i onclick=y }",
    "[^1]", "*[x]:", "]:", "<!--", "-->", "&#", "\t", "https://ok.example/", "mailto:",
    "<a href=", "<img src=x onerror=", "markdown=\"1\"", "<div", ">", "~~~",
]  # fmt: skip
WRAPPERS = [
    "<p>{}</p>", "<h2>{}</h2>", "<ul><li>{}<ul><li>{}</li></ul></li></ul>", "<blockquote>{}</blockquote>",
    "<pre>{}</pre>", "<code>{}</code>", "<table><tr><td>{}</td></tr></table>", "<dl><dt>{}</dt><dd>{}</dd></dl>",
    '<a href="https://ok.example/">{}</a>', '<img alt="{}" src="https://ok.example/a.png">',
    "[caption]<img src='https://ok.example/a.png'> {}[/caption]", "{}",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(
        st.lists(st.sampled_from(PIECES), max_size=12).map("".join), min_size=1, max_size=3
    ),
    wrappers=st.lists(st.sampled_from(WRAPPERS), min_size=1, max_size=3),
    raw=st.booleans(),
)
def test_escaped_text_never_renders_as_script_whatever_it_holds(texts, wrappers, raw):
    """The first line of defence alone: converted text, rendered with the extensions that
    give text the most power, holds no handler, script or dangerous URL."""
    html = "".join(
        wrapper.replace("{}", escape(text, quote=wrapper.startswith("<img")))
        for wrapper, text in zip(wrappers, texts * 3, strict=False)
    )
    body = convert_post(html, needs_paragraphs=raw, base_url="https://old.example/p/").markdown
    rendered = markdown.markdown(body, extensions=POWERFUL_EXTENSIONS)
    assert scripting_problems(rendered) == [], (html, body)


POWERFUL_EXTENSIONS = [
    "attr_list",
    "def_list",
    "md_in_html",
    "tables",
    "fenced_code",
    "toc",
    "abbr",
    "footnotes",
]
