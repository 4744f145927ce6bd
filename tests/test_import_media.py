"""The WordPress move (issue #16): shortcodes, embeds, untitled and dateless posts,
rich structures, `?p=N` aliases from feeds, and `--report`, each checked in the
built site where a reader would see it.

The export (tests/fixtures/import/wordpress-media.xml, written for these tests)
holds a gallery by ids (one id missing), a gallery of the post's own
attachments, a caption, audio, video, a playlist, `[embed]`, bare YouTube and
Twitter addresses, unknown shortcodes, an untitled aside, two posts dated only
by their RSS fields, and a post of definition lists, tables, nested lists and code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.test_import import FIXTURES, body, front, make_project, run_import, tip_files
from tipweek.cli.workspace import load_workspace

MEDIA = FIXTURES / "wordpress-media.xml"
TZ = {"timezone": "America/New_York"}
UPLOADS = "https://frontdesk.example.net/wp-content/uploads/2016/03/"
# The sample site's own Markdown extensions (its mkdocs.yml enables def_list for imports).
SAMPLE_CONFIG = yaml.safe_load((Path(__file__).parent.parent / "mkdocs.yml").read_text("utf-8"))
EXTENSIONS = {"markdown_extensions": SAMPLE_CONFIG["markdown_extensions"]}


@pytest.fixture
def imported(make_site):
    """The media export imported into a fresh project, built as the sample site would."""
    make_project(make_site.root)
    assert run_import(make_site.root, str(MEDIA), "--report", "report.md") == 0
    return make_site.build(TZ, extra_config=EXTENSIONS)


def content(site, url: str) -> BeautifulSoup:
    return site.html(url).select_one("article.h-entry .e-content")


def figures(element) -> list[tuple[str | None, str | None, str]]:
    """(link, image, caption) of each figure."""
    found = []
    for figure in element.find_all("figure"):
        link, image = figure.find("a"), figure.find("img")
        caption = figure.find("figcaption")
        found.append(
            (
                link["href"] if link else None,
                image["src"] if image else None,
                caption.get_text(" ", strip=True) if caption else "",
            )
        )
    return found


def test_the_imported_tips_pass_check(imported):
    loaded = load_workspace(None, imported.root).load()
    assert (loaded.errors, len(loaded.tips)) == ([], 7)


def test_a_gallery_becomes_figures_linking_to_the_originals(imported):
    page = content(imported, "2016/03/01/our-new-lobby/")
    assert figures(page) == [
        (
            UPLOADS + "chairs.jpg",
            UPLOADS + "chairs.jpg",
            "Chairs with arms, for guests who need them",
        ),
        (UPLOADS + "water.jpg", UPLOADS + "water.jpg", ""),
    ]
    # The attachment's own alt text where the export has one, else its title.
    assert [img["alt"] for img in page.find_all("img")] == [
        "Six grey chairs with armrests by the window",
        "Water station",
    ]
    assert "gallery" not in page.get_text()


def test_a_gallery_without_ids_shows_the_posts_own_attachments_in_menu_order(imported):
    page = content(imported, "2016/03/08/badges/")
    assert [src for _link, src, _caption in figures(page)] == [
        UPLOADS + "badge-rack.jpg",
        UPLOADS + "badge-close.jpg",
    ]


def test_a_caption_becomes_a_figure_with_its_figcaption(imported):
    first = content(imported, "2016/03/15/sounds/").find("figure")
    assert first.find("a")["href"] == UPLOADS + "desk.jpg"
    assert first.find("img")["src"] == UPLOADS + "desk-640x480.jpg"
    assert first.find("img")["alt"] == "The new desk"
    caption = first.find("figcaption")
    assert caption.get_text(" ", strip=True) == "The desk, before opening day"
    assert caption.find("em").get_text() == "before"


def test_audio_video_and_playlists_become_players_with_links_to_the_files(imported):
    page = content(imported, "2016/03/15/sounds/")
    players = [
        (tag.name, tag["src"], tag.find("a")["href"]) for tag in page.find_all(["audio", "video"])
    ]
    assert players == [
        ("audio", UPLOADS + "good-call.mp3", UPLOADS + "good-call.mp3"),
        ("video", UPLOADS + "role-play.mp4", UPLOADS + "role-play.mp4"),
        ("audio", UPLOADS + "welcome.mp3", UPLOADS + "welcome.mp3"),
        ("audio", UPLOADS + "goodbye.mp3", UPLOADS + "goodbye.mp3"),
    ]
    assert all(tag.has_attr("controls") for tag in page.find_all(["audio", "video"]))
    captions = [f.find("figcaption").get_text(strip=True) for f in page.find_all("figure")[1:]]
    assert captions == ["good-call.mp3", "role-play.mp4", "A warm welcome", "A calm goodbye"]


def test_embeds_and_bare_oembed_addresses_become_links_named_after_the_provider(imported):
    page = content(imported, "2016/03/15/sounds/")
    links = {a.get_text(strip=True): a["href"] for a in page.find_all("a")}
    assert links["Video on Vimeo"] == "https://vimeo.com/76979871"
    assert links["Video on YouTube"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert links["Post on Twitter"] == "https://twitter.com/frontdesk/status/123456"


def test_unknown_shortcodes_keep_their_text_and_escaped_ones_stay_literal(imported):
    text = content(imported, "2016/03/15/sounds/").get_text(" ", strip=True)
    assert "Smile before you pick up." in text
    assert "[note" not in text and "contact-form" not in text
    assert "Type [gallery] to add your own." in text


def test_an_untitled_post_is_titled_by_its_first_words_and_keeps_its_old_urls(imported):
    relative = "tips/2016/2016-03-22-quick-reminder-greet-every-guest-within-ten-seconds.md"
    fields = front(imported.root, relative)
    assert fields["title"] == "Quick reminder: greet every guest within ten seconds\u2026"
    assert fields["aliases"] == ["/2016/03/22/404/", "/?p=404"]
    redirect = imported.html("2016/03/22/404/")
    assert redirect.find("link", rel="canonical")["href"].endswith(
        "/2016/03/22/quick-reminder-greet-every-guest-within-ten-seconds/"
    )


@pytest.mark.parametrize(
    ("relative", "date"),
    [
        ("tips/2016/2016-03-29-dated-by-its-feed.md", "2016-03-29 10:00"),  # pubDate
        ("tips/2016/2016-04-05-dated-by-dublin-core.md", "2016-04-05 10:00"),  # dc:date
    ],
)
def test_posts_without_wordpress_dates_fall_back_to_their_feed_dates(imported, relative, date):
    assert front(imported.root, relative)["date"] == date


def test_definition_lists_tables_nested_lists_and_code_survive(imported):
    page = content(imported, "2016/04/12/words-tables-code/")
    terms = [(dt.get_text(), dt.find_next_sibling("dd").get_text()) for dt in page.select("dl dt")]
    assert terms == [
        ("Greeting", "The first ten seconds of a visit."),
        ("Handover", "Passing a guest to a colleague by name."),
    ]
    rows = [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in page.select("tr")]
    assert rows == [["Shift", "Desk | Phone"], ["Morning", "2 | 1"], ["Evening", "1 | 2"]]
    outer = page.find("ol")
    assert [li.find(string=True).strip() for li in outer.find_all("li", recursive=False)] == [
        "Open the desk",
        "Greet the first guest",
    ]
    assert outer.select_one("li > ul > li > ul > li").get_text() == "pen on a string"
    blocks = [pre.get_text() for pre in page.find_all("pre")]
    assert blocks[0].rstrip("\n") == 'book --guest "Ames"\n  --time 09:30'
    assert blocks[1].rstrip("\n") == (
        "if waiting > 10 minutes:\n    offer_coffee()\n\n``` not a fence\n    apologise()"
    )


def test_the_built_page_says_what_the_source_said(imported):
    """Round trip: the source post's text and links, read from the built page."""
    source = BeautifulSoup(
        MEDIA.read_text(encoding="utf-8").split("<![CDATA[<p>Three words", 1)[1].split("]]>")[0],
        "lxml",
    )
    source_html = "<p>Three words" + str(source)
    original = BeautifulSoup(source_html, "lxml")
    built = content(imported, "2016/04/12/words-tables-code/")
    for permalink in built.select("a.headerlink"):
        permalink.decompose()

    def words(element) -> list[str]:
        return element.get_text(" ").split()

    assert words(built) == words(original)
    assert [a["href"] for a in built.find_all("a")] == [a["href"] for a in original.find_all("a")]


def test_the_report_lists_every_entry_and_what_was_approximated(imported):
    report = (imported.root / "report.md").read_text(encoding="utf-8")
    entries = [line for line in report.splitlines() if line.startswith("- **")]
    assert len(entries) == 13  # every item of the export, attachments included
    assert entries[0] == (
        "- **post 401** \u201cOur New Lobby\u201d: written: `tips/2016/2016-03-01-our-new-lobby.md`"
    )
    for expected in [
        "approximated: \\[gallery\\]: attachment 599 not in the source, left out",
        "approximated: 2 images left on the old host frontdesk.example.net",
        "approximated: shortcode \\[note\\] reduced to its text",
        "approximated: shortcode \\[contact-form-7\\] removed (tipweek has no equivalent)",
        "approximated: Video on YouTube (an embedded address) became a link",
        "approximated: date taken from dc:date (it has no publication date)",
        'approximated: untitled: the title "Quick reminder: greet every guest within ten '
        'seconds\u2026" was made up, check it',
    ]:
        assert expected in report
    assert (
        "- **post 505** \u201cA calm goodbye\u201d: skipped: it is an attachment (a media file), not a post"
        in report
    )


@pytest.mark.parametrize("source", [MEDIA, FIXTURES / "feed-rendered.rss"], ids=["export", "feed"])
def test_importing_again_changes_nothing(project_dir: Path, capsys, source):
    assert run_import(project_dir, str(source)) == 0
    before = {p: p.read_bytes() for p in (project_dir / "tips").rglob("*") if p.is_file()}
    capsys.readouterr()
    assert run_import(project_dir, str(source)) == 0
    assert {p: p.read_bytes() for p in (project_dir / "tips").rglob("*") if p.is_file()} == before
    assert "imported 0 tips" in capsys.readouterr().out


def test_without_a_report_one_line_says_where_to_look(project_dir: Path, capsys):
    assert run_import(project_dir, str(MEDIA)) == 0
    assert capsys.readouterr().err == (
        # Six approximated, and one uses def_list syntax this site does not enable.
        "tipweek import: note: 7 tips approximated something of the old post (shortcodes, "
        "embeds, made-up titles...); --report FILE lists what, post by post\n"
    )


def test_an_html_report_is_a_table_of_every_entry(project_dir: Path):
    assert run_import(project_dir, str(MEDIA), "--dry-run", "--report", "report.html") == 0
    page = BeautifulSoup((project_dir / "report.html").read_text(encoding="utf-8"), "lxml")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in page.select("tbody tr")
    ]
    assert len(rows) == 13
    assert rows[3][:3] == [
        "post 404",
        "",
        "would be written",
    ]
    assert "untitled: the title" in rows[3][4]
    assert tip_files(project_dir) == set()  # a dry run reports, and writes no tip


def test_a_feeds_query_links_and_guids_become_p_aliases(project_dir: Path):
    feed = project_dir / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        "<item><title>Short Link</title><link>https://old.example/?p=77</link>"
        '<guid isPermaLink="true">https://old.example/?p=77</guid>'
        "<dc:date>2015-02-03T12:00:00Z</dc:date>"
        '<description><![CDATA[<p>Watch:</p><iframe src="https://www.youtube.com/embed/abc" '
        'width="560"></iframe><iframe src="https://ads.example/x"></iframe>]]></description>'
        "</item></channel></rss>\n",
        encoding="utf-8",
    )
    assert run_import(project_dir, str(feed)) == 0
    assert front(project_dir, "tips/2015/2015-02-03-short-link.md")["aliases"] == ["/?p=77"]
    assert body(project_dir, "tips/2015/2015-02-03-short-link.md") == (
        "\nWatch:\n\n[Video on YouTube](https://www.youtube.com/embed/abc)\n"
    )


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path)


RENDERED = FIXTURES / "feed-rendered.rss"


def test_a_feeds_rendered_captions_and_galleries_become_figures(make_site):
    make_project(make_site.root)
    assert run_import(make_site.root, str(RENDERED)) == 0
    tip = "tips/2016/2016-06-07-pictures-from-the-open-day.md"
    assert front(make_site.root, tip)["aliases"] == ["/?p=812"]  # its link and guid: /?p=812
    site = make_site.build(TZ, extra_config=EXTENSIONS)
    page = content(site, "2016/06/07/pictures-from-the-open-day/")
    uploads = "https://frontdesk.example.net/wp-content/uploads/2016/06/"
    assert figures(page) == [
        (
            uploads + "queue.jpg",
            uploads + "queue-300x200.jpg",
            "The queue at nine, shorter than feared",
        ),
        (uploads + "tea.jpg", uploads + "tea-150x150.jpg", "Tea for whoever waits"),
        (uploads + "sign.jpg", uploads + "sign-150x150.jpg", ""),
        (None, uploads + "team.jpg", "The whole team"),
    ]
    assert page.find("dl") is None  # the gallery's markup is gone, its pictures are not
    links = {a.get_text(strip=True): a["href"] for a in page.find_all("a")}
    assert links["Video on YouTube"] == "https://www.youtube.com/embed/XyZ123?feature=oembed"
    source = BeautifulSoup(RENDERED.read_text(encoding="utf-8"), "xml").find("encoded").get_text()
    original = BeautifulSoup(source, "lxml")
    assert (
        page.get_text(" ").split()
        == [
            *original.get_text(" ").split()[:-5],  # all the text, in order...
            "Video",  # ...with the player as a named link
            "on",
            "YouTube",
            *original.get_text(" ").split()[-5:],
        ]
    )
