"""Property tests for issue #29: tips and posts built from the shapes that hurt (long runs of
Markdown and HTML delimiters, deep nesting, long numeric references) never raise, and are
either refused on a line of their file or converted within a bound proportional to their size.

The bound is on CPU time (`time.process_time`: the work done, not the wait for a busy
machine's cores) and generous, 2 s plus 100 µs a character: what it catches is the square.
Without the bounds, a body of 20,000 `[` (20 KB) takes about 40 s; the ones accepted here
take well under a second.
"""

from __future__ import annotations

import time

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipweek.core.lenient_html import escape_bogus_sections
from tipweek.core.markup import close_open_tags, make_excerpt, plain_text
from tipweek.core.tips import parse_tip
from tipweek.importer.convert import convert_post
from tipweek.importer.html_bounds import html_bound_problem
from tipweek.mkdocs.compat import LenientRawHTMLPreprocessor

# The extensions of the publication's own mkdocs.yml, plus the one tips may use for HTML.
EXTENSIONS = ["toc", "admonition", "tables", "attr_list", "def_list", "md_in_html"]
DELIMITERS = [
    "[", "]", "(", ")", "](", "![", "[x](", "<", "<!", "<![", "<!--", "-->", "<?", "<a ",
    '<a b="', "</", "</a ", ">", "<http://a ", "*", "**", "_", "`", "```\n", "~~~\n", "&",
    "&#", "&#x", "&a", "\\", "|", "{: ", "}", "#", "> ", "- ", "1. ", "    ", "\n", "\n\n",
    ":", "!", '"', "=", "<div>", "</div>", "<div markdown>\n", "]: ", "^",
]  # fmt: skip
PAIRS = [
    ("[", "]"), ("(", ")"), ("[", "]("), ("<div>", "</div>"), ("<div markdown>\n", "\n</div>\n"),
    ("> ", ""), ("<b>", "</b>"), ("*", "*"), ("<!--", "-->"), ("<![", "]]>"), ("- ", "\n"),
    ("<a href='", "'>"), ("`", "`"),
]  # fmt: skip
RUNS = st.builds(lambda unit, n: unit * n, st.sampled_from(DELIMITERS), st.integers(1, 6000))
NESTS = st.builds(
    lambda pair, n: pair[0] * n + "x" + pair[1] * n, st.sampled_from(PAIRS), st.integers(1, 3000)
)
REFERENCES = st.builds(
    lambda start, digits, end: start + "1" * digits + end,
    st.sampled_from(["&#", "&#x", "&#0", "&amp;#"]),
    st.integers(1, 6000),
    st.sampled_from([";", "", " "]),
)
FILLER = st.text(alphabet="ab \n", max_size=20)
BODIES = st.lists(st.one_of(RUNS, NESTS, REFERENCES, FILLER), min_size=1, max_size=4).map("".join)
FRONT = "---\ntitle: Shapes\ndate: 2025-07-08\n---\n"


def cpu_bound(text: str) -> float:
    return 2.0 + 100e-6 * len(text)


def build_work(body: str) -> None:
    """What the build does with a tip's body: MkDocs' raw-HTML anchor collector, Markdown
    with the site's extensions, then tipweek's own passes over the HTML."""
    LenientRawHTMLPreprocessor().run(body.split("\n"))
    html = escape_bogus_sections(markdown.Markdown(extensions=EXTENSIONS).convert(body))
    make_excerpt(html, None, 55)
    close_open_tags(html)
    plain_text(html)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(BODIES)
def test_a_tip_of_hurtful_shapes_is_refused_on_a_line_or_built_in_linear_time(body):
    text = FRONT + body
    tip, problems = parse_tip(text, "tips/x.md", None)  # type: ignore[arg-type]
    lines = text.count("\n") + 1
    for problem in problems:
        assert str(problem).startswith(f"tips/x.md:{problem.line}: ")
        assert 1 <= problem.line <= lines
    if tip is None:
        assert any(p.is_error for p in problems)
        return
    started = time.process_time()
    build_work(tip.body)
    assert time.process_time() - started < cpu_bound(body), len(body)


HTML_PAIRS = [
    ("<div>", "</div>"), ("<blockquote>", "</blockquote>"), ("<ul><li>", "</li></ul>"),
    ("<table><tr><td>", "</td></tr></table>"), ("<b>", ""), ("<p>", ""), ("<span>", "</span>"),
    ("<a href='x'>", "</a>"), ("<pre><code>", "</code></pre>"), ("<!--", ""),
]  # fmt: skip
HTML_RUNS = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["<", "<a ", "&#", "[", "<![", "<!--", "</div>", "<br>", "&amp;", "`"]),
    st.integers(1, 6000),
)
HTML_NESTS = st.builds(
    lambda pair, n: pair[0] * n + "x" + pair[1] * n,
    st.sampled_from(HTML_PAIRS),
    st.integers(1, 3000),
)
POSTS = st.lists(st.one_of(HTML_RUNS, HTML_NESTS, FILLER), min_size=1, max_size=3).map("".join)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(POSTS)
def test_a_post_of_hurtful_shapes_is_skipped_with_a_reason_or_converted_in_linear_time(html):
    reason = html_bound_problem(html)
    if reason is not None:
        assert reason.startswith("its HTML ")
        return
    started = time.process_time()
    converted = convert_post(html)
    assert time.process_time() - started < cpu_bound(html), len(html)
    # What comes out meets the build's own bounds, or the import reports it (never written).
    tip, problems = parse_tip(FRONT + converted.markdown, "tips/x.md", None)  # type: ignore[arg-type]
    assert tip is not None or any(p.is_error for p in problems)
