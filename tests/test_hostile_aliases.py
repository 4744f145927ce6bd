"""Aliases read once, in the form the site writes (issue #29, #28 item 4, #32's case rule).

An alias is percent-decoded, put in NFC and only then checked; what the build would not
write, or another tool would overwrite, is one `path:line:` error from `tipweek check` and
the build alike.  A non-ASCII or percent-encoded old URL is written to its decoded folder,
which a real HTTP server (that decodes request paths) answers.
"""

from __future__ import annotations

import unicodedata
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import errors_of_check_and_build, serve_folder

from tipweek.core.aliases import read_alias

TIP = "tips/2025/2025-07-08-case.md"


def tip(*front: str, body: str = "Some advice.") -> str:
    return "\n".join(["---", "title: Case", "date: 2025-07-08", *front, "---", body, ""])


REFUSED = [
    ("/.htaccess", "has a name starting with a dot ('.htaccess'); MkDocs does not write"),
    ("/.well-known/security.txt", "starting with a dot ('.well-known')"),
    ("/old/.hidden/", "starting with a dot ('.hidden')"),
    ("/%2e%2e/%2e%2e/x/", "must not contain '.' or '..' segments"),
    ("/a/%2E/b/", "must not contain '.' or '..' segments"),
    ("/%2ehtaccess", "starting with a dot ('.htaccess')"),
    ("/a%2Fb/", "has an encoded '/'"),
    ("/a%5Cb/", "has an encoded '/'"),
    ("/%FF%FE/", "is not UTF-8 once its %-escapes are decoded"),
    ("/x%00y/", "contains the control character U+0000 once decoded"),
    ("/what%3F/", "'?', which Windows cannot hold"),
    ("/pagefind/pagefind.js", "inside Pagefind's index folder"),
    ("/pagefind/", "inside Pagefind's index folder"),
    ("/Pagefind/x.js", "inside Pagefind's index folder"),
    ("/Assets/stylesheets/x.css", "inside the theme's assets folder"),
    ("/%61ssets/x.css", "inside the theme's assets folder"),
]


@pytest.mark.parametrize(("alias", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_an_alias_the_build_would_not_write_is_one_error_from_check_and_build(
    make_site, capsys, alias, reason
):
    make_site.add_tip("Neighbour", "2025-07-01")
    make_site.write(TIP, tip(f"aliases: ['{alias}']"))
    code, checked, built = errors_of_check_and_build(make_site, capsys)
    assert code == 1
    assert len(checked) == 1, checked
    assert checked[0].startswith(f"{TIP}:4: error: alias ")
    assert reason in checked[0]
    assert built == checked


def test_aliases_are_decoded_once_into_nfc():
    decomposed = unicodedata.normalize("NFD", "/café/")
    assert read_alias("/2014/07/%E6%97%A5%E6%9C%AC/") == ("2014/07/日本/", None)
    assert read_alias("/2014/07/日本") == ("2014/07/日本/", None)
    assert read_alias(decomposed) == ("café/", None)
    assert read_alias("/caf%65%CC%81/") == ("café/", None)
    assert read_alias("/old%20post/") == ("old post/", None)
    assert read_alias("/old/post.html") == ("old/post.html", None)
    assert read_alias("/?p=123") == ("?p=123", None)
    # Decoded once only: `%2541` is the text `%41`, not `A`.
    assert read_alias("/%2541/") == ("%41/", None)


def test_two_spellings_of_one_old_url_are_one_redirect(make_site, capsys):
    make_site.add_tip(
        "Japan", "2025-07-01", aliases=["/2014/07/%E6%97%A5%E6%9C%AC/", "/2014/07/日本/"]
    )
    make_site.add_tip("Other", "2025-07-08", aliases=["/2014/07/%e6%97%a5%e6%9c%ac/"])
    code, checked, built = errors_of_check_and_build(make_site, capsys)
    assert code == 1
    assert [m for m in checked if "2025-07-08-other.md" in m and "also claimed by" in m]
    assert built == checked


CASE_COLLISIONS = [
    # (this tip's aliases, the other tip's aliases, words naming the other)
    (["/About-Us/"], ["/about-us/"], "differs only in case from /about-us/ of tips/"),
    (["/2025/07/01/Neighbour/"], [], "differs only in case from /2025/07/01/neighbour/ of tips/"),
    (["/About/"], [], "differs only in case from /about/, the page docs/about.md"),
    (["/Feed.xml"], [], "differs only in case from /feed.xml"),
]


@pytest.mark.parametrize(("mine", "theirs", "words"), CASE_COLLISIONS)
def test_urls_that_differ_only_in_case_are_an_error_naming_both(
    make_site, capsys, mine, theirs, words
):
    """`/About/` and `/about/` are one folder on macOS' and Windows' file systems."""
    make_site.write("docs/about.md", "# About\n")
    make_site.add_tip("Neighbour", "2025-07-01", aliases=theirs)
    make_site.write(TIP, tip(f"aliases: {mine}"))
    code, checked, built = errors_of_check_and_build(make_site, capsys)
    assert code == 1
    mentions = [m for m in checked if words in m]
    assert mentions, checked
    # Both tips are named: the message is on one, and names the other's file.
    if theirs or "neighbour" in words:
        assert any(TIP in m and "2025-07-01-neighbour.md" in m for m in mentions), mentions
    assert sorted(built) == sorted(checked)


@pytest.fixture
def served(make_site) -> Iterator[str]:
    """The built site of three tips with old URLs, served by Python's own HTTP server,
    which decodes the request path before it looks for a file, as static hosts do."""
    make_site.add_tip(
        "Japan",
        "2025-07-01",
        aliases=["/2014/07/%E6%97%A5%E6%9C%AC/", "/old%20post/", "/?p=123"],
    )
    make_site.add_tip(
        "Cafe", "2025-07-08", aliases=[unicodedata.normalize("NFD", "/2013/01/café/")]
    )
    site = make_site.build()
    with serve_folder(site.site_dir) as base:
        yield base


def fetch(url: str) -> BeautifulSoup:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return BeautifulSoup(response.read(), "html.parser")


@pytest.mark.parametrize(
    ("old_url", "tip_path"),
    [
        ("/2014/07/%E6%97%A5%E6%9C%AC/", "/2025/07/01/japan/"),  # as browsers send it
        ("/2014/07/%e6%97%a5%e6%9c%ac/", "/2025/07/01/japan/"),
        ("/old%20post/", "/2025/07/01/japan/"),
        ("/2013/01/caf%C3%A9/", "/2025/07/08/cafe/"),  # NFC, as browsers send it
    ],
)
def test_an_encoded_old_url_answers_on_a_server_that_decodes_paths(served, old_url, tip_path):
    page = fetch(served + old_url)
    canonical = page.select_one('link[rel="canonical"]')["href"]
    assert canonical == f"https://example.org/tips{tip_path}"
    refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
    target = urljoin(served + old_url, refresh.split("url=", 1)[1])
    assert target == served + tip_path
    assert fetch(target).select_one("article.h-entry .p-name") is not None


def test_a_query_alias_is_served_by_the_home_pages_script(served):
    """A static host cannot see `?p=123` in a file name: the home page answers, and its
    script (a browser test follows it) maps the query to the tip."""
    home = fetch(served + "/?p=123")
    scripts = [s.get_text() for s in home.find_all("script") if "p=123" in s.get_text()]
    assert len(scripts) == 1
    assert '"p=123": "2025/07/01/japan/"' in scripts[0]


def test_the_redirect_folders_are_the_decoded_names(served, make_site):
    site_dir = Path(make_site.root / "site")
    assert (site_dir / "2014" / "07" / "日本" / "index.html").is_file()
    assert (site_dir / "old post" / "index.html").is_file()
    assert (site_dir / "2013" / "01" / "café" / "index.html").is_file()
    assert not any("%" in p.name for p in site_dir.rglob("*"))
