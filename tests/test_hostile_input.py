"""Hostile and careless input (issue #19): one `path:line:` message each, never a traceback.

Every case is run through `tipweek check` and `mkdocs build` alike, and both must
report the same line.  The tables are the issue's cases plus our own.
"""

from __future__ import annotations

import pytest
from conftest import run_cli, tip_text
from mkdocs.exceptions import Abort, PluginError

from tipweek.core.site_paths import MAX_NAME_BYTES
from tipweek.core.tips import MAX_TAGS

TIP = "tips/2025/2025-07-08-case.md"
LONG = "a" * 300


def front(*lines: str, body: str = "Some advice.") -> str:
    return "\n".join(["---", *lines, "---", body, ""])


# (id, file text, line, what the error says)
ERRORS = [
    (
        "date-9999-minus-12h",
        front("title: X", "date: 9999-12-31 23:59:59 -12:00"),
        3,
        "is out of range: tipweek reads years 1000 to 9998",
    ),
    (
        "date-0001-plus-14h",
        front("title: X", "date: 0001-01-01 00:00:00 +14:00"),
        3,
        "is out of range",
    ),
    ("date-year-9999", front("title: X", "date: 9999-12-31"), 3, "is out of range"),
    (
        "slug-300",
        front("title: X", "date: 2025-07-08", f"slug: {LONG}"),
        4,
        f"the slug makes a file or folder name of 300 bytes ('{'a' * 40}…'); "
        f"names in the site may have at most {MAX_NAME_BYTES} bytes",
    ),
    ("tag-300", front("title: X", "date: 2025-07-08", f"tags: [{LONG}]"), 4, "300 bytes"),
    (
        "tag-300-bytes-of-accents",
        # 150 'é' are 300 bytes of UTF-8 but a 150-letter slug: only bytes of the slug count.
        front("title: X", "date: 2025-07-08", "tags: [" + "ab" * 130 + "]"),
        4,
        "260 bytes",
    ),
    ("alias-300", front("title: X", "date: 2025-07-08", f"aliases: [/{LONG}/]"), 4, "300 bytes"),
    (
        "alias-deep",
        front("title: X", "date: 2025-07-08", "aliases: [/" + "/".join(["b" * 200] * 6) + "/]"),
        4,
        "an alias may have at most 1,024",
    ),
    ("nul-in-title", front('title: "A\\0B"', "date: 2025-07-08"), 2, "U+0000"),
    ("bell-in-title", front('title: "A\\aB"', "date: 2025-07-08"), 2, "U+0007"),
    ("nul-in-tag", front("title: X", "date: 2025-07-08", 'tags: ["t\\0x"]'), 4, "U+0000"),
    ("escape-in-summary", front("title: X", "date: 2025-07-08", 'summary: "\\e[31m"'), 4, "U+001B"),
    ("nul-in-alias", front("title: X", "date: 2025-07-08", 'aliases: ["/a\\0/"]'), 4, "U+0000"),
    (
        "nul-in-body-past-8k",
        front("title: X", "date: 2025-07-08", body="x\n" * 5000 + "a\x00b"),
        5005,
        "the text contains a NUL character",
    ),
    (
        "5000-tags",
        front(
            "title: X",
            "date: 2025-07-08",
            "tags: [" + ", ".join(f"t{n}" for n in range(5000)) + "]",
        ),
        4,
        f"5,000 tags; a tip may have at most {MAX_TAGS}",
    ),
    (
        "aliases-101",
        front(
            "title: X",
            "date: 2025-07-08",
            "aliases: [" + ", ".join(f"/o/{n}/" for n in range(101)) + "]",
        ),
        4,
        "101 aliases; a tip may have at most 100",
    ),
    # A script link is an error, as it is anywhere else in the site (issue #29).
    (
        "javascript-link",
        front("title: X", "date: 2025-07-08", body="Hi\n\n[x](javascript:alert(1))"),
        7,
        "a javascript: link",
    ),
    (
        "javascript-reference",
        front("title: X", "date: 2025-07-08", body="[x][1]\n\n[1]: JavaScript:alert(1)"),
        7,
        "a javascript: link",
    ),
    (
        "javascript-entity",
        front("title: X", "date: 2025-07-08", body='<a href="jav&#97;script:x()">x</a>'),
        5,
        "a javascript: link",
    ),
    (
        "vbscript-autolink",
        front("title: X", "date: 2025-07-08", body="<vbscript:msgbox(1)>"),
        5,
        "a vbscript: link",
    ),
    (
        "data-html",
        front("title: X", "date: 2025-07-08", body="[x](data:text/html,<b>hi</b>)"),
        5,
        "a data: link",
    ),
    (
        "attr-list-href",
        front("title: X", "date: 2025-07-08", body="[x](https://ok/){: href='javascript:y' }"),
        5,
        "a javascript: link",
    ),
]


def write_case(make_site, text: str, name: str = TIP) -> None:
    make_site.add_tip("Neighbour", "2025-07-01")
    make_site.write("docs/about.md", "# About\n")
    make_site.write("docs/img/logo.png", "not really a png")
    make_site.write(name, text)


def check_and_build_errors(make_site, capsys) -> tuple[int, list[str], list[str]]:
    """(check's exit code, its stderr lines, the build's error lines); the build must Abort."""
    code, _, err = run_cli(capsys, "check")
    with pytest.raises(Abort):
        make_site.build()
    logged = [m for m in make_site.messages() if ": error: " in m]
    return code, err.splitlines(), logged


@pytest.mark.parametrize(
    ("text", "line", "message"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS]
)
def test_each_case_is_one_error_with_its_line_in_check_and_build(
    make_site, capsys, text, line, message
):
    write_case(make_site, text)
    code, checked, built = check_and_build_errors(make_site, capsys)
    prefix = f"{TIP}:{line}: error: "
    assert code == 1
    assert [m for m in checked if m.startswith(prefix) and message in m], checked
    assert [m for m in built if m.startswith(prefix) and message in m], built
    # The same problems, the same words: one source of truth for check and build.
    assert sorted(m for m in checked if ": error: " in m) == sorted(built)
    assert not any("Traceback" in m for m in checked + built)
    # And the preview: no failed build (a hung browser), the same lines on every page.
    preview = make_site.build(command="serve", strict=False)
    for url in ("/", "/2025/07/01/neighbour/"):
        shown = [li.get_text() for li in preview.html(url).select(".tw-problems li")]
        assert sorted(shown) == sorted(built), url


# Aliases that would replace something: (alias, what the message names besides the tip).
ALIASES_OVER_SOMETHING = [
    ("/assets/stylesheets/site.css", "the theme's assets folder"),
    ("/assets/tipweek/tipweek.css", "the theme's assets folder"),
    ("/assets/javascripts/x/", "the theme's assets folder"),
    ("/sitemap.xml", "MkDocs' sitemap"),
    ("/sitemap.xml.gz", "MkDocs' compressed sitemap"),
    ("/404.html", "the theme's 404 page"),
    ("/search/search_index.json", "the search index"),
    ("/search/", "the search plugin's folder"),
    ("/feed.xml", "the site's feed"),
    ("/tags/focus/feed.xml", "the feed of tag 'focus'"),
    ("/tags/focus/", "page 1 of tag 'focus'"),
    ("/tags/", "the tag index"),
    ("/2025/", "page 1 of the 2025 archive"),
    ("/page/1/", None),  # not a page that exists (page 1 is /): allowed
    ("/about/", "the page docs/about.md"),
    ("/about/index.html", "the page docs/about.md"),
    ("/img/logo.png", "the file docs/img/logo.png"),
    ("/2025/07/01/neighbour/", "tips/2025/2025-07-01-neighbour.md"),
    ("/2025/07/01/neighbour/index.html", "tips/2025/2025-07-01-neighbour.md"),
    ("/feed.xml/old/", "below the site's feed, a file"),
    ("/img/logo.png/old.html", "below the file docs/img/logo.png, a file"),
]


@pytest.mark.parametrize(
    ("alias", "owner"), ALIASES_OVER_SOMETHING, ids=[a for a, _ in ALIASES_OVER_SOMETHING]
)
def test_an_alias_cannot_overwrite_anything(make_site, capsys, alias, owner):
    make_site.add_tip("Neighbour", "2025-07-01", tags=["focus"])
    make_site.write("docs/about.md", "# About\n")
    make_site.write("docs/img/logo.png", "not really a png")
    make_site.write(TIP, tip_text("Case", "2025-07-08", aliases=[alias]))
    code, _, err = run_cli(capsys, "check")
    if owner is None:
        assert code == 0, err
        site = make_site.build()
        assert site.exists(alias)
        return
    assert code == 1
    [line] = [m for m in err.splitlines() if m.startswith(f"{TIP}:")]
    # Both named: the tip by its path (and line), the other by what it is.
    assert line.startswith(f"{TIP}:4: error: ") and alias.rstrip("/").split("/")[-1] in line
    assert owner in line, line
    with pytest.raises(Abort):
        make_site.build()
    assert [m for m in make_site.messages() if m.startswith(f"{TIP}:")] == [line]


# (id, file name, text, line, warning)
WARNINGS = [
    (
        "escape-in-body",
        TIP,
        front("title: X", "date: 2025-07-08", body="red \x1b[31m"),
        5,
        "invisible control character (U+001B)",
    ),
    (
        "upper-case-extension",
        "tips/2025/2025-07-08-case.MD",
        front("title: X", "date: 2025-07-08"),
        1,
        "is not read: tip files end in '.md' (lowercase), not '.MD'",
    ),
    (
        "mixed-case-extension",
        "tips/2025/2025-07-08-case.Md",
        front("title: X", "date: 2025-07-08"),
        1,
        "not '.Md'",
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "message"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS]
)
def test_each_case_is_one_warning_with_its_line_in_check_and_build(
    make_site, capsys, name, text, line, message
):
    write_case(make_site, text, name)
    code, _, err = run_cli(capsys, "check")
    expected = f"{name}:{line}: warning: "
    found = [m for m in err.splitlines() if m.startswith(expected) and message in m]
    assert code == 0 and len(found) == 1, err
    make_site.build(strict=False)
    assert [m for m in make_site.messages() if m == found[0]], make_site.messages()
    with pytest.raises(Abort):  # a warning, so `mkdocs build --strict` fails on it
        make_site.build(strict=True)


# Bodies that are fine: they build, and the page shows what was typed.
# (id, body, text the tip's content must show)
ODD_BODIES = [
    ("image-after-lt", "<![](https://example.org/x.png) look", "< look"),
    ("bang-lt", "a <! b and <!x", "a <! b and <!x"),
    ("stray-lt", "1 < 2 and 3 <4", "1 < 2 and 3 <4"),
    ("bogus-section-in-raw-html", "<div><![ raw text</div>", "<![ raw text"),
    ("cdata-bracket", "<![if !IE]> x <![endif]>", "<![if !IE]> x <![endif]>"),
    ("unclosed-tags", "<div><span><em>open", "open"),
    ("entities", "&amp; &#x26; &#38; &bogus; &#xZZ; &", "& & & &bogus; &#xZZ; &"),
    ("comment-open", "<!-- never closed", ""),
]


@pytest.mark.parametrize(
    ("body", "shown"), [b[1:] for b in ODD_BODIES], ids=[b[0] for b in ODD_BODIES]
)
def test_odd_markup_in_a_body_builds_and_shows_as_typed(make_site, capsys, body, shown):
    write_case(make_site, front("title: Odd", "date: 2025-07-08", body=body))
    code, _, err = run_cli(capsys, "check")
    assert code == 0, err
    site = make_site.build()
    content = site.html("/2025/07/08/case/").select_one(".e-content")
    assert content is not None
    assert shown in content.get_text(), content
    # The raw `<![` never reaches the page as markup a browser would hide text in.
    assert "<![" not in str(content).replace("<![CDATA[", "")
    assert site.feed().bozo == 0


def test_a_slug_made_from_a_long_title_is_one_error_too(make_site, capsys):
    # A file name with no ASCII words: the slug comes from the title, 299 letters of it.
    write_case(
        make_site, front(f"title: {'word ' * 60}", "date: 2025-07-08"), "tips/2025/2025-07-08.md"
    )
    code, checked, built = check_and_build_errors(make_site, capsys)
    expected = "tips/2025/2025-07-08.md:2: error: the slug makes a file or folder name of 299 bytes"
    assert code == 1
    assert [m for m in checked if m.startswith(expected)] and [
        m for m in built if m.startswith(expected)
    ]


def test_the_image_after_a_literal_lt_keeps_its_image(make_site):
    write_case(
        make_site, front("title: Odd", "date: 2025-07-08", body="<![](https://example.org/x.png)")
    )
    site = make_site.build()
    [image] = site.html("/2025/07/08/case/").select(".e-content img")
    assert image["src"] == "https://example.org/x.png"


def test_the_importers_excerpt_token_in_a_tip_does_not_move_the_excerpt(make_site):
    words = " ".join(f"w{n}" for n in range(80))
    body = f"{words}\n\nTIPWEEKMOREMARKERQZX\n\nAfter."
    write_case(make_site, front("title: Token", "date: 2025-07-08", body=body))
    site = make_site.build()
    [entry] = [e for e in site.html("/").select("article.h-entry") if "Token" in e.get_text()]
    summary = entry.select_one(".p-summary").get_text(" ", strip=True)
    assert summary.startswith("w0 w1 w2") and "After" not in summary


def test_no_control_character_reaches_any_built_file(make_site):
    write_case(make_site, front("title: X", "date: 2025-07-08", body="tab\tand form\x0cfeed"))
    site = make_site.build()
    for path in site.site_dir.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "\x00" not in text and "\x1b" not in text, path


def test_an_alias_over_a_theme_or_custom_dir_file_is_an_error_in_check_and_build(make_site, capsys):
    make_site.write("overrides/humans.txt", "User-agent: *\n")
    make_site.write("overrides/main.html", '{% extends "base.html" %}\n')  # a template: not copied
    aliases = ["/humans.txt", "/humans.txt/old/", "/main.html"]
    make_site.write(TIP, tip_text("Case", "2025-07-08", aliases=aliases))
    make_site.write(
        "mkdocs.yml",
        "site_name: T\ntheme: {name: material, custom_dir: overrides}\nplugins: [tipweek]\n",
    )
    code, _, err = run_cli(capsys, "check")
    expected = [
        f"{TIP}:4: error: alias /humans.txt would write humans.txt over the theme's file "
        "humans.txt; choose another alias",
        f"{TIP}:4: error: alias /humans.txt/old/ would write humans.txt/old/index.html below "
        "the theme's file humans.txt, a file; choose another alias",
    ]
    assert code == 1 and err.splitlines() == expected
    with pytest.raises(Abort):
        make_site.build(extra_config={"theme": {"name": "material", "custom_dir": "overrides"}})
    assert [m for m in make_site.messages() if m.startswith(TIP)] == expected


LATE_PLUGIN = """\
from mkdocs.structure.files import File


def on_files(files, config):
    files.append(File.generated(config, "feeds/all.xml", content="<rss/>"))
    files.append(File.generated(config, "old", content="a file, not a folder"))
    return files
"""


EARLY_PLUGIN = "from mkdocs.plugins import event_priority\n\n\n" + LATE_PLUGIN.replace(
    "def on_files", "@event_priority(50)  # before tipweek's\ndef on_files"
)


@pytest.mark.parametrize("plugin", [LATE_PLUGIN, EARLY_PLUGIN], ids=["after", "before"])
def test_an_alias_over_a_file_another_plugin_adds_stops_the_build(make_site, plugin):
    """`tipweek check` cannot see what other plugins add; the build finds it, before
    anything is written, whether the plugin adds its files before tipweek or after."""
    make_site.write("hooks/late.py", plugin)
    make_site.write(TIP, tip_text("Case", "2025-07-08", aliases=["/feeds/all.xml", "/old/post/"]))
    make_site.build()  # a first site, which must stay as it is
    before = sorted(p.relative_to(make_site.root) for p in (make_site.root / "site").rglob("*"))
    with pytest.raises((Abort, PluginError)):
        make_site.build(extra_config={"hooks": ["hooks/late.py"]})
    assert [m for m in make_site.messages() if m.startswith(TIP)] == [
        f"{TIP}:4: error: alias /feeds/all.xml would write feeds/all.xml over a file of "
        "hooks/late.py; choose another alias",
        f"{TIP}:4: error: alias /old/post/ would write old/post/index.html below a file of "
        "hooks/late.py, a file; choose another alias",
    ]
    after = sorted(p.relative_to(make_site.root) for p in (make_site.root / "site").rglob("*"))
    assert after == before
