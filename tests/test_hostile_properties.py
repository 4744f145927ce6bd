"""Property tests: random Markdown-and-HTML-ish bodies through check, the HTML helpers and
the build.  Stray `<`, `<!`, `<![`, unclosed tags, entities: never a traceback."""

from __future__ import annotations

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from tipweek.core.lenient_html import escape_bogus_sections
from tipweek.core.markup import (
    absolutize,
    close_open_tags,
    make_excerpt,
    plain_text,
    relocate,
    root_paths_to_relative,
)
from tipweek.core.tips import parse_tip

FRAGMENTS = [
    "<", "<!", "<![", "<![CDATA[", "]]>", ">", "<!>", "<!-->", "<?", "?>", "</", "</>",
    "<!DOCTYPE", "<!--", "-->", "<!-- more -->", "&", "&amp;", "&#", "&#x", "&#x26;", "&#0;",
    "&bogus", ";", "<a href='", "<a href=/x>", "<img src=", "/>", "'", '"', "<div>", "</div>",
    "<p", "</p>", "<em", "<span>", "<script>", "</script>", "<style>", "<svg><![CDATA[", "<math>",
    "`", "```\n", "[", "](", ")", "![", "]: ", "*", "_", "#", "> ", "- ", "|", "{: ", "}",
    "\n", "\n\n", " ", "    ", "x", "é", "javascript:", "data:",
]  # fmt: skip
BODIES = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join)
FRONT = "---\ntitle: Random\ndate: 2025-07-08\n---\n"


@settings(max_examples=300, deadline=None)
@given(BODIES)
def test_check_and_the_html_helpers_never_raise(body):
    tip, problems = parse_tip(FRONT + body, "tips/x.md", None)  # type: ignore[arg-type]
    assert all(str(p).startswith("tips/x.md:") for p in problems)
    assert (tip is None) == any(p.is_error for p in problems)
    rendered = escape_bogus_sections(
        markdown.markdown(body, extensions=["attr_list", "md_in_html"])
    )
    for html in (rendered, body):  # rendered HTML, and the raw text as if it were HTML
        make_excerpt(html, None, 55)
        close_open_tags(html)
        plain_text(html)
        absolutize(html, "https://example.org/2025/07/08/x/")
        relocate(html, "2025/07/08/x/", "page/2/")
        root_paths_to_relative(html, "2025/07/08/x/")


def test_mkdocs_raw_html_preprocessor_is_replaced_by_a_lenient_one():
    """MkDocs' own anchor collector raises on `<![`; the one tipweek registers does not."""
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    from tipweek.mkdocs.compat import LenientRawHTMLPreprocessor

    lines = ["<![](https://example.org/x.png)", '<a id="here"></a>']
    with pytest.raises(AssertionError):
        _RawHTMLPreprocessor().run(lines)
    lenient = LenientRawHTMLPreprocessor()
    assert lenient.run(lines) == lines
    assert lenient.present_anchor_ids == {"here"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES)
def test_the_build_never_raises_anything_but_an_abort_with_path_and_line(make_site, body):
    make_site.write(
        "tips/2025/2025-07-01-fixed.md", "---\ntitle: Fixed\ndate: 2025-07-01\n---\nOk.\n"
    )
    make_site.write("tips/2025/2025-07-08-random.md", FRONT + body)
    try:
        site = make_site.build(
            strict=False, extra_config={"markdown_extensions": ["attr_list", "md_in_html", "toc"]}
        )
    except Abort:
        errors = [m for m in make_site.messages() if ": error: " in m]
        assert errors and all(m.startswith("tips/2025/2025-07-08-random.md:") for m in errors)
        return
    assert site.exists("/2025/07/08/random/")
    assert site.feed().bozo == 0


TEXTS = st.text(max_size=30) | st.sampled_from(["\x00", "<![", "a" * 300, "/assets/x.css", "../x"])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=TEXTS, tags=st.lists(TEXTS, max_size=4), aliases=st.lists(TEXTS, max_size=3))
def test_any_title_tags_and_aliases_give_a_site_or_path_line_errors(
    make_site, title, tags, aliases
):
    front = {"title": title, "date": "2025-07-08", "tags": tags, "aliases": aliases}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"
    make_site.write("tips/2025/2025-07-08-random.md", text)
    _, problems = parse_tip(text, "tips/x.md", None)  # type: ignore[arg-type]
    assert all(str(p).startswith("tips/x.md:") for p in problems)
    try:
        site = make_site.build(strict=False)
    except Abort:
        errors = [m for m in make_site.messages() if ": error: " in m]
        assert errors and all(m.startswith("tips/2025/2025-07-08-random.md:") for m in errors)
        return
    assert site.feed().bozo == 0
    for path in site.site_dir.rglob("*.html"):
        assert "\x00" not in path.read_text(encoding="utf-8"), path
