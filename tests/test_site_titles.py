"""Titles as the old WordPress site had them: the publication and the organisation."""

from __future__ import annotations

OLD_SITE = {
    "publication": "Customer Service Tip of the Week",
    "organisation": "Customer Service Solutions, Inc.",
}


def titles(site, urls):
    return {url: site.html(url).title.get_text() for url in urls}


def test_publication_and_organisation_make_the_old_sites_titles(make_site):
    make_site.add_weekly_tips(25, tags=["training"])
    site = make_site.build(OLD_SITE)
    org = "Customer Service Solutions, Inc."
    assert titles(site, ["/", "/page/3/", "/tags/training/page/2/", "/2015/", "/tags/"]) == {
        "/": f"Customer Service Tip of the Week | {org}",
        "/page/3/": f"Customer Service Tip of the Week | {org} - Page 3",
        "/tags/training/page/2/": f"training | {org} - Page 2",
        "/2015/": f"2015 | {org}",
        "/tags/": f"Tags | {org}",
    }
    assert site.html("/2015/01/06/tip-1/").title.get_text() == f"Tip 1 | {org}"
    # The visible heading stays the site's name; only the <title> follows the old site.
    assert site.html("/page/3/").h1.get_text() == "Tip Site - Page 3"


def test_organisation_alone_replaces_the_site_name_after_the_bar(make_site):
    make_site.add_weekly_tips(12)
    site = make_site.build({"organisation": "Northwind"})
    assert titles(site, ["/", "/page/2/", "/2015/01/06/tip-1/"]) == {
        "/": "Northwind",
        "/page/2/": "Northwind - Page 2",
        "/2015/01/06/tip-1/": "Tip 1 | Northwind",
    }


def test_a_title_change_is_not_hidden_by_the_page_cache(make_site):
    make_site.add_weekly_tips(3)
    make_site.build()
    site = make_site.build({"organisation": "Northwind"})
    assert site.html("/2015/01/06/tip-1/").title.get_text() == "Tip 1 | Northwind"
