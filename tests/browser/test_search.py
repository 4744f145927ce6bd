"""The sample site's Pagefind search, as readers use it: typing, filtering, the keyboard,
a phone, a screen reader (axe), and what the browser downloads for one query."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import frontmatter
import pytest
from served_site import DESKTOP, SAMPLE_EPOCH, serve

from browser.browser_reader import Reader
from browser.test_accessibility import barriers

pytestmark = pytest.mark.browser

TIPS = Path(__file__).resolve().parents[2] / "tips"
TODAY = date.fromtimestamp(int(SAMPLE_EPOCH))


def published_tips_mentioning(stem: str) -> list[str]:
    """Titles of the sample's published tips whose text has a word starting with `stem`,
    newest first: read from the Markdown sources, independently of the index."""
    found = []
    for path in TIPS.rglob("*.md"):
        post = frontmatter.load(path)
        day = post["date"] if isinstance(post["date"], date) else date.fromisoformat(post["date"])
        if post.get("draft") or day > TODAY:
            continue
        if re.search(rf"\b{stem}", post.content, re.IGNORECASE):
            found.append((day, post["title"]))
    return [title for _, title in sorted(found, reverse=True)]


def open_search(reader: Reader) -> None:
    reader.open("/")
    if reader.page.viewport_size["width"] < 960:  # Material's phone header: the magnifier
        reader.page.click('label.md-header__button[for="__search"]')
    else:
        reader.page.click(".md-search__input")
    reader.page.wait_for_function("document.activeElement.matches('.md-search__input')")


def wait_for_results(reader: Reader) -> None:
    """Until search.js has drawn the results of the last change (and announced them)."""
    reader.page.wait_for_selector("[data-tw-search][data-tw-state=done]", state="attached")


def search(reader: Reader, words: str) -> None:
    reader.page.fill(".md-search__input", words)
    wait_for_results(reader)


def result_titles(reader: Reader) -> list[str]:
    return reader.page.locator(".md-search-result__item h2").all_inner_texts()


def test_typing_a_word_shows_the_right_tips_newest_first(reader: Reader) -> None:
    expected = published_tips_mentioning("record")
    assert len(expected) >= 4  # the sample has enough of them to show an order
    open_search(reader)
    reader.page.select_option("[data-tw-sort]", "desc")
    reader.page.keyboard.type("recording")
    wait_for_results(reader)

    assert result_titles(reader) == expected[:10]
    first = reader.page.locator(".md-search-result__item").first
    assert first.locator("mark").count() >= 1  # the hit is highlighted
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", first.locator("time").inner_text())
    assert reader.page.locator(".md-search-result__meta").inner_text() == (
        f"{len(expected)} matching tips"
    )
    reader.assert_clean()


def test_best_match_puts_the_tip_named_after_the_word_first(reader: Reader) -> None:
    open_search(reader)
    search(reader, "apology")

    assert result_titles(reader)[0] == "The Apology That Actually Works"


def test_a_tag_filter_lists_that_tags_tips(reader: Reader) -> None:
    reader.open("/tags/empathy/")
    on_tag_page = reader.page.locator(".h-feed article.h-entry .p-name").all_inner_texts()
    open_search(reader)
    empathy = reader.page.locator("[data-tw-filter=tag] option", has_text="Empathy")
    reader.page.select_option("[data-tw-filter=tag]", empathy.get_attribute("value"))
    wait_for_results(reader)

    # No words: the tag's tips newest first, as its archive page lists them.
    assert result_titles(reader) == on_tag_page[:10]
    search(reader, "customer")
    titles = result_titles(reader)
    assert titles and set(titles) <= set(on_tag_page)
    reader.assert_clean()


@pytest.mark.parametrize("words", ["holiday rush", "clean slate", "year-end review"])
def test_drafts_and_scheduled_tips_are_not_found(reader: Reader, words: str) -> None:
    # A draft (holiday rush) and two tips scheduled after the build (12/1, 12/8).
    open_search(reader)
    search(reader, words)
    titles = result_titles(reader)
    assert not any(
        t in titles
        for t in (
            "Planning for the Holiday Rush",
            "Gift the Next Shift a Clean Slate",
            "Year-End Review: Your Best Calls",
        )
    )


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_one_query_loads_index_chunks_not_the_archive(reader: Reader) -> None:
    loaded: dict[str, int] = {}

    def note(response) -> None:
        if response.url.startswith(reader.base_url):
            loaded[response.url.removeprefix(reader.base_url)] = len(response.body())

    reader.page.on("response", note)
    reader.open("/")
    reader.page.wait_for_load_state("networkidle")
    assert not any(url.startswith("pagefind/") for url in loaded)  # nothing before searching
    open_search(reader)
    search(reader, "listening")
    reader.page.wait_for_load_state("networkidle")

    searched = [url for url in loaded if url.startswith("pagefind/")]
    assert any(url.startswith("pagefind/index/") for url in searched)
    fragments = [url for url in searched if url.startswith("pagefind/fragment/")]
    # Only the shown results' fragments, not one per tip; and no lunr index of everything.
    shown = reader.page.locator(".md-search-result__item").count()
    assert 0 < len(fragments) == shown <= 10
    all_fragments = list((reader.site_dir / "pagefind" / "fragment").iterdir())
    assert len(fragments) < len(all_fragments)
    assert not any("search_index" in url for url in loaded)
    reader.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_search_from_the_keyboard(reader: Reader) -> None:
    reader.open("/about/")
    reader.page.keyboard.press("/")
    reader.page.wait_for_function("document.activeElement.matches('.md-search__input')")
    reader.page.keyboard.type("apology")
    wait_for_results(reader)
    reader.page.keyboard.press("ArrowDown")
    focused = reader.page.evaluate("document.activeElement.querySelector('h2').textContent")
    assert focused == result_titles(reader)[0]
    reader.page.keyboard.press("Enter")
    reader.page.wait_for_url(re.compile(r"/2026/03/31/the-apology-that-actually-works/$"))
    reader.assert_clean()


def test_the_open_search_has_no_accessibility_barriers(reader: Reader) -> None:
    open_search(reader)
    search(reader, "apology")
    reader.page.wait_for_load_state("networkidle")

    found = barriers(reader)

    assert found == [], "\n".join(found)
    # The results are on screen, inside the viewport, on a phone as on a desktop.
    box = reader.page.locator(".md-search-result__item").first.bounding_box()
    width = reader.page.viewport_size["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


@pytest.fixture(scope="module")
def sub_path_url(sample_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same site served under /tips/, as on a host shared with other sites."""
    host = tmp_path_factory.mktemp("host")
    (host / "tips").symlink_to(sample_site, target_is_directory=True)
    with serve(host) as base_url:
        yield base_url + "tips/"


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
def test_search_under_a_sub_path(reader: Reader, sub_path_url: str) -> None:
    reader.base_url = sub_path_url
    reader.open("/2026/03/31/the-apology-that-actually-works/")
    reader.page.click(".md-search__input")
    search(reader, "apology")
    first = reader.page.locator(".md-search-result__link").first
    assert (
        first.get_attribute("href") == sub_path_url + "2026/03/31/the-apology-that-actually-works/"
    )
    first.click()
    reader.page.wait_for_url(sub_path_url + "2026/03/31/the-apology-that-actually-works/")
    reader.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"], indirect=True)
@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("empathy", "Empathy Statements That Don't Sound Scripted"),
        ("apology", "The Apology That Actually Works"),
        # A word of the title alone (not in the tip's text): found by its title.
        ("onboarding", "Onboarding Week: The Shadowing Plan"),
    ],
)
def test_excerpts_are_the_tips_text_not_its_title_and_tags(reader: Reader, words, title) -> None:
    open_search(reader)
    search(reader, words)
    first = reader.page.locator(".md-search-result__item").first
    assert first.locator("h2").inner_text() == title
    excerpt = first.locator("article > p").first.inner_text()
    tags = first.locator(".tw-search__tags").inner_text().removeprefix("Tags: ").split(", ")
    assert excerpt and not excerpt.startswith(title), excerpt
    assert title not in excerpt and "Tags:" not in excerpt, excerpt
    # Not the tag line either ("Empathy, Training …" after the title).
    assert ", ".join(tags) not in excerpt, (excerpt, tags)
    reader.assert_clean()
