"""`search: pagefind`: what the built site's search can find, and the markup around it.

The index is read back as the browser reads it: each result's fragment (its URL,
title, date, tags, text) and the metadata file (filters, sorts), through
`pagefind_canonical`'s reader of Pagefind's own format.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from tipweek.core.pagefind_canonical import SIGNATURE, _read

pytest.importorskip("pagefind_bin")

PAGEFIND = {"search": "pagefind"}


def fragments(site_dir: Path) -> dict[str, dict]:
    """Every indexed page by its URL."""
    found = {}
    for path in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE)
        fragment = json.loads(raw[len(SIGNATURE) :])
        found[fragment["url"]] = fragment
    return found


def metadata(site_dir: Path) -> list:
    entry = json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text())
    language = entry["languages"]["en"]
    return _read(site_dir / "pagefind" / f"pagefind.{language['hash']}.pf_meta")


def add_mixed_tips(make_site) -> None:
    """Two published tips, a draft, a scheduled tip (after 2026-01-01) and an alias."""
    make_site.add_tip(
        "Listen First",
        "2025-03-04",
        "Listening beats fixing.\n\n## Why it works\n\nPeople feel heard.\n",
        tags=["Empathy", "Phone Skills"],
        aliases=["/2014/07/22/listen/"],
    )
    make_site.add_tip("Say Their Name", "2024-06-04", "Names and listening.", tags=["Empathy"])
    make_site.add_tip("Secret Draft", "2025-05-06", "Listening in a draft.", draft=True)
    make_site.add_tip("Future Tip", "2026-06-02", "Listening next summer.", tags=["Empathy"])


def test_only_published_tips_are_indexed(make_site) -> None:
    add_mixed_tips(make_site)
    make_site.write("docs/about.md", "# About\n\nListening is what we teach.\n")
    site = make_site.build(PAGEFIND)
    found = fragments(site.site_dir)
    # Root-relative: search.js puts the site's own path (here /tips/) in front.
    assert sorted(found) == ["/2024/06/04/say-their-name/", "/2025/03/04/listen-first/"]
    assert any("2 tips indexed for search" in message for message in site.log)


def test_records_carry_title_date_tags_and_year(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND)
    listen = fragments(site.site_dir)["/2025/03/04/listen-first/"]
    assert listen["meta"] == {"title": "Listen First", "date": "2025-03-04", "shown": "3/4/25"}
    assert listen["filters"] == {"tag": ["Empathy", "Phone Skills"], "year": ["2025"]}
    # The article's text, not the page around it, nor the neighbours, nor the ¶ of headings.
    assert "Listening beats fixing." in listen["content"]
    assert "Say Their Name" not in listen["content"]
    assert "Signup for FREE Tips!" not in listen["content"]
    assert "¶" not in listen["content"]
    assert [anchor["text"] for anchor in listen["anchors"]] == ["Why it works"]
    _version, _pages, _chunks, filters, sorts, meta_fields = metadata(site.site_dir)
    assert [name for name, _ in filters] == ["tag", "year"]
    assert [name for name, _ in sorts] == ["date"]
    assert sorted(meta_fields) == ["date", "shown", "title"]


def test_the_text_searched_and_excerpted_is_the_body_not_the_title_and_tags(make_site) -> None:
    # Results show the title and tags already: an excerpt of "Listen First. Empathy, Phone
    # Skills. Listening beats…" would say them twice.
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND)
    listen = fragments(site.site_dir)["/2025/03/04/listen-first/"]
    assert listen["content"].startswith("Listening beats fixing.")
    for repeated in ("Listen First", "Empathy", "Phone Skills", "Tags:", "3/4/25"):
        assert repeated not in listen["content"], repeated
    # Still their metadata and filters, which search.js shows and filters by.
    assert listen["meta"]["title"] == "Listen First"
    assert listen["filters"]["tag"] == ["Empathy", "Phone Skills"]


def test_markup_marks_only_published_tip_articles(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND, command="serve")  # drafts and scheduled tips have pages
    tip = site.html("2025/03/04/listen-first/")
    (article,) = tip.select("[data-pagefind-body]")
    assert "h-entry" in article["class"]
    assert [a["data-pagefind-filter"] for a in article.select(".p-category")] == ["tag", "tag"]
    assert article.select_one(".p-name")["data-pagefind-meta"] == "title"
    assert article.select_one("time")["data-pagefind-sort"] == "date:2025-03-04"
    for ignored in (".tw-neighbours", ".tw-cta"):
        assert article.select_one(ignored).has_attr("data-pagefind-ignore")
    for url in ("2026/06/02/future-tip/", "2025/05/06/secret-draft/", "", "tags/empathy/"):
        assert site.html(url).select("[data-pagefind-body]") == [], url
    assert "/2026/06/02/future-tip/" not in fragments(site.site_dir)
    assert "/2025/05/06/secret-draft/" not in fragments(site.site_dir)


def test_two_builds_give_byte_identical_indexes(make_site, tmp_path: Path) -> None:
    add_mixed_tips(make_site)
    for n in range(12):
        tags = ["Empathy", "Training", "Email", "Phone Skills"][n % 4 :][:2]
        make_site.add_tip(f"Weekly {n}", f"2023-0{1 + n % 9}-{10 + n:02d}", f"Text {n}.", tags=tags)
    first = {k: v for k, v in make_site.build(PAGEFIND).tree().items() if k.startswith("pagefind/")}
    # Pagefind writes filters in hash-map order: several runs would differ without the fix.
    for _ in range(3):
        again = make_site.build(PAGEFIND).tree()
        assert {k: v for k, v in again.items() if k.startswith("pagefind/")} == first
    assert "pagefind/pagefind.js" in first
    assert not any(name.startswith("pagefind/pagefind-ui") for name in first)


def test_an_edit_is_searchable_after_the_rebuild(make_site) -> None:
    path = make_site.add_tip("Old Title", "2025-03-04", "Old words.")
    make_site.build(PAGEFIND)
    path.write_text(path.read_text().replace("Old Title", "New Title").replace("Old", "Fresh"))
    site = make_site.build(PAGEFIND)
    (fragment,) = fragments(site.site_dir).values()
    assert fragment["meta"]["title"] == "New Title"
    assert "Fresh words." in fragment["content"]


def test_urls_without_directory_urls(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND, extra_config={"use_directory_urls": False})
    # tipweek's pages stay folders; links (and so results) name their index.html.
    assert sorted(fragments(site.site_dir)) == [
        "/2024/06/04/say-their-name/index.html",
        "/2025/03/04/listen-first/index.html",
    ]
    links = [a["href"] for a in site.html("index.html").select(".h-entry .p-name")]
    assert "2025/03/04/listen-first/index.html" in links


def test_the_search_field_is_in_materials_header(make_site) -> None:
    add_mixed_tips(make_site)
    # The test sites list Material's `search` plugin: it is replaced, not run.
    site = make_site.build(PAGEFIND)
    assert not (site.site_dir / "search" / "search_index.json").exists()
    assert any("search: pagefind replaces the search plugin" in m for m in site.log)
    for url in ("", "2025/03/04/listen-first/", "tags/empathy/"):
        page = site.html(url)
        (box,) = page.select(".md-header [data-tw-search].md-search")
        assert "md-header" in box.find_parent("header")["class"]
        # The header's magnifier, which opens the search on a phone.
        assert page.select_one('.md-header label.md-header__button[for="__search"]')
        field = box.select_one("input.md-search__input")
        assert field["aria-label"] and field["aria-controls"] == "tw-search-results"
        # No form named "search": Material's script would fetch its lunr index for one.
        assert box.select_one("form").get("name") is None
        scripts = [tag["src"] for tag in page.select("script[src]")]
        assert any(src.endswith("assets/tipweek/search.js") for src in scripts)
    tip = site.html("2025/03/04/listen-first/")
    assert tip.select_one("[data-tw-search]")["data-tw-root"] == "../../../../"
    assert site.html("").select_one("[data-tw-search]")["data-tw-root"] == "./"
    # The 404 page's base_url is absolute (the site_url's path): one "/" at the end.
    assert site.html("404.html").select_one("[data-tw-search]")["data-tw-root"] == "/tips/"
    assert (site.site_dir / "assets/tipweek/search.js").is_file()


def test_a_site_at_a_hosts_root_has_its_404_search_rooted_at_slash(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND, extra_config={"site_url": "https://example.org/"})
    # Not "//": a URL of that form names a host, and search.js stopped at it.
    assert site.html("404.html").select_one("[data-tw-search]")["data-tw-root"] == "/"


def test_tipweeks_stylesheet_and_scripts_are_written_once(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build(PAGEFIND)
    used = set()
    for page in site.site_dir.rglob("*.html"):
        soup = site.html(page.relative_to(site.site_dir).as_posix())
        used |= {Path(tag["href"]).name for tag in soup.select("link[rel=stylesheet][href]")}
        used |= {Path(tag["src"]).name for tag in soup.select("script[src]")}
    for name in ("tipweek.css", "search.css", "search.js"):
        assert name in used
        written = [p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob(name)]
        assert written == [f"assets/tipweek/{name}"]


def test_search_without_the_search_plugin_listed(make_site) -> None:
    add_mixed_tips(make_site)
    plugins = [{"tipweek": PAGEFIND}]
    site = make_site.build(PAGEFIND, extra_config={"plugins": plugins})
    assert site.html("").select(".md-header [data-tw-search]")
    assert len(fragments(site.site_dir)) == 2
    assert not any("replaces the search plugin" in m for m in site.log)


def test_material_search_stays_the_default(make_site) -> None:
    add_mixed_tips(make_site)
    site = make_site.build()
    assert (site.site_dir / "search" / "search_index.json").is_file()
    assert not (site.site_dir / "pagefind").exists()
    page = site.html("2025/03/04/listen-first/")
    assert page.select("[data-pagefind-body]") == []
    assert page.select("[data-tw-search]") == []
    assert page.select_one('.md-search form[name="search"]') is not None


def test_an_archive_with_nothing_published_yet(make_site) -> None:
    make_site.add_tip("Future Tip", "2026-06-02", "Not yet.")
    site = make_site.build(PAGEFIND)
    # Pagefind makes no empty index; the search says it is not available.
    assert not (site.site_dir / "pagefind").exists()
    assert any("0 tips indexed for search" in message for message in site.log)


@pytest.mark.parametrize("text", ["&", "&amp; \u2014 ...", "![](https://x.example/a.png)"])
def test_tips_without_a_single_word_build_without_an_index(make_site, text) -> None:
    # An imported entry whose whole text is `&` (its title made of the same).
    make_site.add_tip("&", "2025-03-04", text)
    site = make_site.build(PAGEFIND)
    assert not (site.site_dir / "pagefind").exists()
    assert any("0 tips indexed for search" in message for message in site.log)
    assert (site.site_dir / "2025" / "03" / "04").is_dir()


def test_a_wordless_tip_beside_others_is_just_not_found(make_site) -> None:
    make_site.add_tip("&", "2025-03-04", "&")
    make_site.add_tip("Listen First", "2025-03-11", "Listening beats fixing.")
    site = make_site.build(PAGEFIND)
    assert set(fragments(site.site_dir)) == {"/2025/03/11/listen-first/"}


def test_without_pagefind_installed_the_build_says_what_to_install(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.exceptions import Abort

    add_mixed_tips(make_site)
    monkeypatch.setitem(sys.modules, "pagefind.service", None)  # import fails as if absent
    with pytest.raises(Abort):
        make_site.build(PAGEFIND)
    assert any("pip install 'tipweek[pagefind]'" in message for message in make_site.messages())
    monkeypatch.undo()
    # The Python package without its binary (PAGEFIND_BINARY_PATH is Pagefind's own override).
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(make_site.root / "no-such-pagefind"))
    with pytest.raises(Abort):
        make_site.build(PAGEFIND)
    assert any("needs Pagefind's binary" in message for message in make_site.messages())
