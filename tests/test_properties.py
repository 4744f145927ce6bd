"""Property-based tests of the pure core: pager, slugs, front matter, excerpts."""

from __future__ import annotations

import html
import unicodedata
from datetime import date
from zoneinfo import ZoneInfo

import html5lib
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tipweek.core.markup import make_excerpt, plain_text
from tipweek.core.paging import pager_window, paginate
from tipweek.core.slugs import is_slug, slugify, tag_slug
from tipweek.core.tip_writer import tip_document
from tipweek.core.tips import parse_tip

UTC = ZoneInfo("UTC")


@given(count=st.integers(0, 500), per_page=st.integers(1, 50))
def test_every_item_is_on_exactly_one_page_in_order(count, per_page):
    pages = paginate(list(range(count)), per_page)
    assert [item for page in pages for item in page.items] == list(range(count))
    assert all(1 <= len(page.items) <= per_page for page in pages if count)


@given(data=st.data(), total=st.integers(1, 400), edge=st.integers(0, 5), around=st.integers(0, 5))
def test_window_holds_first_last_and_current_page(data, total, edge, around):
    current = data.draw(st.integers(1, total))
    window = pager_window(current, total, edge, around)
    numbers = [n for n in window if n is not None]
    assert {1, total, current} <= set(numbers) or edge == 0
    assert current in numbers
    assert numbers == sorted(set(numbers))
    # No two gaps in a row, and a gap always hides at least two pages.
    for before, gap, after in zip(window, window[1:], window[2:], strict=False):
        if gap is None:
            assert before is not None and after is not None and after - before > 2


@given(st.text(max_size=60))
def test_slugs_are_ascii_and_hyphen_trimmed(text):
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert slugify(slug) == slug  # stable
    assert tag_slug(text).isascii() and tag_slug(text)


@given(st.from_regex(r"[a-z0-9]+(?:-[a-z0-9]+)*", fullmatch=True))
def test_a_slug_is_its_own_slug_with_or_without_the_shortcut(slug):
    assert is_slug(slug) and slugify(slug) == slug  # slugify's shortcut
    assert slugify(slug + " ") == slug  # the whole way, which the shortcut skips
    assert not is_slug(slug + "\n")


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=30))
def test_tags_differing_in_case_or_accents_share_a_slug(word):
    # Letters whose case mapping is not one-to-one ("ß" → "SS") are different words.
    assume(word.upper().lower() == word.lower() and word.lower().upper() == word.upper())
    assert tag_slug(word.upper()) == tag_slug(word.lower())
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
    )
    if slugify(word):
        assert tag_slug(word) == tag_slug(stripped)


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=80
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=150)
@given(
    title=safe_text,
    day=st.dates(date(1990, 1, 1), date(2099, 12, 31)),
    tags=st.lists(safe_text.filter(lambda s: "," not in s), max_size=5, unique_by=str.casefold),
    author=st.none() | st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    summary=st.none() | safe_text,
    draft=st.booleans(),
    aliases=st.lists(
        st.from_regex(r"/[a-z0-9]{1,8}(/[a-z0-9-]{1,8}){0,3}/", fullmatch=True),
        max_size=3,
        unique=True,
    ),
)
def test_front_matter_round_trips_through_the_writer_and_the_loader(
    title, day, tags, author, summary, draft, aliases
):
    text = tip_document(
        {
            "title": title,
            "date": day,
            "tags": tags,
            "author": author,
            "summary": summary,
            "draft": draft,
            "aliases": aliases,
        },
        "Body.",
    )
    tip, problems = parse_tip(text, "tips/2025-01-01-x.md", UTC)
    assert [p for p in problems if p.is_error] == [], text
    assert tip is not None
    assert (tip.title, tip.date.date(), list(tip.tags), tip.author, tip.summary, tip.draft) == (
        title,
        day,
        tags,
        author,
        summary,
        draft,
    )
    assert [f"/{alias}" for alias in tip.aliases] == aliases


def well_formed(fragment: str) -> bool:
    try:
        html5lib.HTMLParser(strict=True).parseFragment(fragment)
    except html5lib.html5parser.ParseError:
        return False
    return True


words = st.text(alphabet="abc <>&\"'é", min_size=1, max_size=12)


@given(
    paragraphs=st.lists(st.lists(words, min_size=1, max_size=40), min_size=1, max_size=6),
    limit=st.integers(1, 80),
)
def test_excerpts_are_well_formed_and_within_the_limit(paragraphs, limit):
    rendered = "".join(f"<p>{html.escape(' '.join(p))}</p>" for p in paragraphs)
    excerpt = make_excerpt(rendered, None, limit)
    assert well_formed(excerpt)
    assert len(plain_text(excerpt).split()) <= limit + 1  # the limit, plus the ellipsis


@given(
    base=st.sampled_from(
        [
            "https://example.org/",
            "https://example.org/tips/",
            "http://127.0.0.1:8000/a b/",
            "https://example.org/tips",  # no final slash: urljoin drops `tips`
            "https://example.org/?q=1",
            "",
        ]
    ),
    path=st.text(alphabet="ab/.:?#;% \\~-é\t", max_size=12),
)
@settings(max_examples=2000)
def test_share_urls_join_as_urljoin_does(base, path):
    from urllib.parse import urljoin

    from tipweek.core.share import absolute

    assume("://" not in path)
    assert absolute(base, path) == urljoin(base, path.lstrip("/"))
