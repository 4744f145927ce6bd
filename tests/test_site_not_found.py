"""The 404 page: a way home, the newest tips and the way to every tag, with links that work
at any depth (absolute, under the site's own path); a site's own 404.html still wins."""

from __future__ import annotations


def test_the_404_page_links_home_and_the_newest_published_tips(make_site):
    make_site.add_weekly_tips(7)
    make_site.add_tip("Secret Draft", "2015-03-03", draft=True)
    make_site.add_tip("Next Year", "2026-06-02")  # after "now" (2026-01-01): scheduled
    site = make_site.build()  # site_url https://example.org/tips/
    page = site.html("404.html")
    body = page.select_one(".tw-not-found")
    assert body.select_one("h1").get_text() == "Page not found"
    home = body.select_one("a.md-button")
    assert (home.get_text(strip=True), home["href"]) == ("Go to the home page", "/tips/")
    newest = body.select(".tw-not-found__newest li")
    assert [li.a.get_text() for li in newest] == ["Tip 7", "Tip 6", "Tip 5", "Tip 4", "Tip 3"]
    assert newest[0].a["href"] == "/tips/2015/02/17/tip-7/"
    assert newest[0].time["datetime"] == "2015-02-17"
    for li in newest:
        target = li.a["href"].removeprefix("/tips/")
        assert site.exists(target), target
    assert body.select_one(".tw-not-found__more a")["href"] == "/tips/tags/"
    # The site's navigation and search are Material's, as on every page.
    assert page.select_one("nav.md-nav") is not None
    assert page.select_one("[data-tw-search], form.md-search__form") is not None


def test_without_tips_the_404_page_still_leads_home(make_site):
    make_site.write("docs/about.md", "# About\n")
    site = make_site.build()
    body = site.html("404.html").select_one(".tw-not-found")
    assert body.select_one("a.md-button")["href"] == "/tips/"
    assert body.select(".tw-not-found__newest") == []


def test_a_custom_dir_404_page_wins(make_site):
    make_site.add_weekly_tips(2)
    make_site.write(
        "overrides/404.html",
        '{% extends "main.html" %}{% block content %}<h1 id="ours">Lost?</h1>{% endblock %}',
    )
    site = make_site.build(extra_config={"theme": {"name": "material", "custom_dir": "overrides"}})
    page = site.html("404.html")
    assert page.select_one("h1#ours").get_text() == "Lost?"
    assert page.select_one(".tw-not-found") is None
