"""The email edition's HTML, checked rule by rule on the parsed document, and its text twin."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tipweek.core.archive import Archive
from tipweek.core.options import EMAIL_PROVIDERS
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme
from tipweek.email.edition import EditionView, edition_view, email_settings
from tipweek.email.html_edition import edition_html, stylesheet
from tipweek.email.providers import UNSUBSCRIBE_TAGS
from tipweek.email.text_edition import edition_text

SITE_URL = "https://tips.example.org/"
GMAIL_CLIP = 102 * 1024
BODY = """
<h2 id="why">Why it works<a class="headerlink" href="#why" title="Permanent link">&para;</a></h2>
<p>Say the customer's name <strong>once</strong>, then <a href="../../../../about/">read more</a>.</p>
<p><img src="/assets/chart.png" alt="A chart of calls"> and <img src="https://cdn.example.net/wide.png" width="1200" height="800"></p>
<ul><li>Listen</li><li>Repeat back: <a href="https://example.net/a-very-long-address/that-goes-on/and-on/and-on/and-on/and-on">https://example.net/a-very-long-address/that-goes-on/and-on/and-on/and-on/and-on</a></li></ul>
<blockquote><p>People remember how you made them feel.</p></blockquote>
<pre><code>Hello, Sam!
  How can I help?</code></pre>
<table><tr><th>Before</th><th>After</th></tr><tr><td>2 min</td><td>1 min</td></tr></table>
"""
BUTTONS = [
    {"title": "Signup for FREE Tips!", "url": "subscribe/"},
    {"title": "Contact Us", "url": "/contact/"},
    {"title": "Visit Our Home Page", "url": ""},
    {"title": "Write to us", "url": "mailto:desk@example.org"},
]


def make_tip(title: str = "Say Their Name", **extra: object) -> Tip:
    fields: dict = {
        "source": "tips/2025/2025-07-01-x.md",
        "abs_path": Path("x.md"),
        "title": title,
        "date": datetime(2025, 7, 1, 9, tzinfo=timezone.utc),
        "slug": "say-their-name",
        "body": "",
        "tags": ("Phone Skills", "empathy"),
        "summary": "A name is the sweetest sound.",
    }
    fields.update(extra)
    return Tip(**fields)


def make_view(body: str = BODY, tip: Tip | None = None, **email: object) -> EditionView:
    tip = tip or make_tip()
    options = {
        "provider": "mailchimp",
        "from_address": "Tips <tips@example.org>",
        "postal_address": "Example Training\n1 Main Street\nSpringfield",
        "logo": "assets/logo.png",
        "logo_width": 180,
        "accent_color": "#0b6e4f",
        "unsubscribe": "",
        **email,
    }
    site = email_settings(options, site_name="Example Tips", site_url=SITE_URL, language="en")
    return edition_view(
        tip,
        archive=Archive([tip]),
        scheme=UrlScheme(),
        site=site,
        body_html=body,
        summary_text="",
        call_to_action=BUTTONS,
    )


def parsed(view: EditionView) -> BeautifulSoup:
    return BeautifulSoup(edition_html(view).document, "lxml")


def declarations(style: str) -> dict[str, str]:
    found = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if name.strip():
            found[name.strip().lower()] = value.strip()
    return found


def top_level_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every rule outside an @-rule."""
    rules, depth, start, prelude = [], 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude = css[start:index].strip()
            depth += 1
            inner_start = index + 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                if not prelude.startswith("@"):
                    rules.append((prelude, declarations(css[inner_start:index])))
                start = index + 1
    return rules


def test_every_rule_of_the_stylesheet_is_inlined_on_what_it_matches():
    soup = parsed(make_view())
    rules = top_level_rules(stylesheet("#0b6e4f"))
    assert len(rules) > 20
    checked = 0
    for selector, wanted in rules:
        for element in soup.select(selector):
            inline = declarations(element.get("style", ""))
            for name in wanted:
                assert name in inline, f"{selector} {{{name}}} is not inlined on <{element.name}>"
            checked += 1
    assert checked > 40


def test_only_media_rules_stay_in_a_style_element_and_nothing_is_linked_or_scripted():
    soup = parsed(make_view())
    styles = soup.find_all("style")
    assert len(styles) == 1
    outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", styles[0].string)
    assert outside_media.strip() == ""
    assert soup.find_all(["script", "link", "iframe", "object", "embed", "form"]) == []
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]


def test_every_link_and_image_is_absolute_and_images_have_width_and_alt():
    soup = parsed(make_view())
    unsubscribe = UNSUBSCRIBE_TAGS["mailchimp"]
    links = [a["href"] for a in soup.find_all("a")]
    assert links and all(
        href.startswith(("https://", "mailto:")) or href == unsubscribe for href in links
    )
    assert "https://tips.example.org/about/" in links
    assert "https://tips.example.org/contact/" in links
    images = soup.find_all("img")
    assert [img["src"] for img in images] == [
        "https://tips.example.org/assets/logo.png",
        "https://tips.example.org/assets/chart.png",
        "https://cdn.example.net/wide.png",
    ]
    for img in images:
        assert img.has_attr("alt") and 0 < int(img["width"]) <= 600
    assert images[0]["alt"] == "Example Tips" and images[0]["width"] == "180"
    # Wider than the column: narrowed, its height dropped so it keeps its shape.
    assert images[2]["width"] == "552" and not images[2].has_attr("height")


def test_one_column_of_600_px_and_bulletproof_buttons():
    soup = parsed(make_view())
    column = soup.select_one("table.column")
    assert declarations(column["style"])["max-width"] == "600px"
    assert '[if mso]><table role="presentation" width="600"' in str(soup)
    buttons = soup.select("table.button")
    assert [b.get_text(strip=True) for b in buttons] == [b["title"] for b in BUTTONS]
    for button in buttons:
        cell = button.select_one("td")
        assert cell["bgcolor"] == "#0b6e4f"
        assert declarations(cell["style"])["background-color"] == "#0b6e4f"
        link = cell.select_one("a")
        assert declarations(link["style"])["display"] == "inline-block"
    assert buttons[0].select_one("a")["href"] == "https://tips.example.org/subscribe/"
    assert buttons[2].select_one("a")["href"] == "https://tips.example.org/"
    assert buttons[3].select_one("a")["href"] == "mailto:desk@example.org"


def test_head_declares_colour_schemes_and_the_preheader_is_the_hidden_summary():
    soup = parsed(make_view())
    assert soup.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert soup.find("meta", attrs={"name": "viewport"})
    first = soup.body.find(True)
    assert "preheader" in first["class"]
    style = declarations(first["style"])
    assert style["display"] == "none" and style["max-height"] == "0"
    assert first.get_text().startswith("A name is the sweetest sound.")


def test_a_tip_without_summary_previews_its_first_words():
    tip = make_tip(summary=None)
    site = make_view().site
    view = edition_view(
        tip, archive=Archive([tip]), scheme=UrlScheme(), site=site, body_html=BODY,
        summary_text="Say the customer's name once", call_to_action=[],
    )  # fmt: skip
    assert parsed(view).select_one(".preheader").get_text().startswith("Say the customer's")


def test_no_text_colour_without_a_background_behind_it():
    soup = parsed(make_view())
    coloured = [e for e in soup.find_all(style=True) if "color" in declarations(e["style"])]
    assert len(coloured) > 10
    for element in coloured:
        grounds = [element, *element.parents]
        assert any(
            "background-color" in declarations(e.get("style", "")) or e.get("bgcolor")
            for e in grounds
            if getattr(e, "attrs", None) is not None
        ), f"<{element.name} class={element.get('class')}> has a colour and no background"


def test_shows_publication_title_date_body_tags_web_link_and_address():
    soup = parsed(make_view())
    assert soup.select_one(".masthead a")["href"] == SITE_URL
    title = soup.select_one("h1.title a")
    assert (title.get_text(), title["href"]) == (
        "Say Their Name",
        "https://tips.example.org/2025/07/01/say-their-name/",
    )
    assert soup.select_one(".date time")["datetime"] == "2025-07-01"
    assert soup.select_one(".date").get_text() == "7/1/25"
    assert soup.select_one(".body h2").get_text() == "Why it works"
    assert [(a.get_text(), a["href"]) for a in soup.select(".tags a")] == [
        ("Phone Skills", "https://tips.example.org/tags/phone-skills/"),
        ("empathy", "https://tips.example.org/tags/empathy/"),
    ]
    footer = soup.select_one(".footer")
    web = footer.find("a", string="Read this tip on the web")
    assert web["href"] == title["href"]
    assert (
        footer.select_one(".address").get_text("|") == "Example Training|1 Main Street|Springfield"
    )


@pytest.mark.parametrize("provider", EMAIL_PROVIDERS)
def test_the_unsubscribe_link_is_the_providers_merge_tag(provider):
    custom = "https://lists.example.org/leave?list=tips"
    view = make_view(provider=provider, unsubscribe=custom)
    expected = UNSUBSCRIBE_TAGS.get(provider, custom)
    link = parsed(view).select_one(".footer").find("a", string="Unsubscribe")
    assert link["href"] == expected
    assert f"Unsubscribe: {expected}" in edition_text(view)


def test_every_provider_the_options_offer_has_a_tag_and_custom_is_the_only_other():
    assert set(EMAIL_PROVIDERS) == {*UNSUBSCRIBE_TAGS, "custom"}


def test_under_gmails_clip_even_for_a_long_tip_and_a_huge_one_links_to_the_web():
    long_body = "".join(f"<p>Paragraph {n}: {'word ' * 120}</p>" for n in range(90))
    long_html = edition_html(make_view(long_body)).document
    assert 60_000 < len(long_html.encode()) < GMAIL_CLIP
    assert BeautifulSoup(long_html, "lxml").find(string=re.compile("Paragraph 89"))
    huge_body = "".join(f"<p>Paragraph {n}: {'word ' * 120}</p>" for n in range(400))
    huge_html = edition_html(make_view(huge_body)).document
    assert len(huge_html.encode()) < GMAIL_CLIP
    soup = BeautifulSoup(huge_html, "lxml")
    assert not soup.find(string=re.compile("Paragraph 0"))
    assert soup.select_one(".body a", string="read it on the web")["href"] == (
        "https://tips.example.org/2025/07/01/say-their-name/"
    )


HOSTILE = """
<script>alert(1)</script><p onclick="alert(2)" style="position:fixed">Hi</p>
<a href="javascript:alert(3)">x</a><a href=" JaVaScRiPt:alert(4)">y</a>
<img src="x.png" onerror="alert(5)"><img src="data:text/html,<script>alert(6)</script>">
<iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input></form>
<svg onload="alert(7)"><script>alert(8)</script></svg><style>body{display:none}</style>
<link rel="stylesheet" href="https://evil.example/x.css"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<object data="https://evil.example/x.swf"></object><base href="https://evil.example/">
"""


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def test_a_hostile_body_is_inert_in_the_email():
    view = make_view(HOSTILE, tip=make_tip(title='<script>alert("t")</script>'))
    soup = parsed(view)
    assert soup.find_all(["script", "iframe", "form", "svg", "object", "base", "input"]) == []
    assert soup.find_all("link") == [] and len(soup.find_all("style")) == 1
    assert len(soup.find_all("meta", attrs={"http-equiv": True})) == 0
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
        for name in ("href", "src"):
            value = element.get(name, "")
            assert not value.strip().lower().startswith(("javascript:", "data:")), value
    body = soup.select_one(".body")
    for element in body.find_all(True):
        # What style an element has is the stylesheet's, never the tip's.
        assert "position" not in element.get("style", "")
    assert soup.select_one("h1.title").get_text() == '<script>alert("t")</script>'
    text = edition_text(view)
    assert lines_of(text)[2] == '<script>alert("t")</script>'  # plain text: shown as typed
    assert "alert(1)" not in text and "alert(8)" not in text


def test_the_text_twin_says_what_the_html_says():
    view = make_view()
    text = edition_text(view)
    assert "<" not in text.replace("<https://", "").replace("<mailto:", "")
    lines = text.splitlines()
    assert lines[:4] == ["Example Tips", "", "Say Their Name", "7/1/25"]
    words = " ".join(text.split())
    assert (
        "Say the customer's name once, then read more <https://tips.example.org/about/>." in words
    )
    assert "[A chart of calls]" in text
    assert "- Listen\n- Repeat back:" in text
    assert "> People remember how you made them feel." in text
    assert "Hello, Sam!\n  How can I help?" in text
    assert "Tags: Phone Skills, empathy" in text
    assert "Signup for FREE Tips!: https://tips.example.org/subscribe/" in text
    assert "Read this tip on the web: https://tips.example.org/2025/07/01/say-their-name/" in text
    assert "Example Training\n1 Main Street\nSpringfield" in text
    assert lines[-1] == "Unsubscribe: *|UNSUB|*"
    # A bare link is written once, not as `url <url>`.
    assert text.count("https://example.net/a-very-long-address/") == 1
    html_words = set(re.findall(r"\w+", parsed(view).select_one(".body").get_text(" ")))
    assert html_words <= set(re.findall(r"\w+", text))
