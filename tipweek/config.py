"""The plugin's typed options, as written under `plugins: - tipweek:` in mkdocs.yml.

MkDocs validates these before the build starts, so a typo in a value is a
config error with the option's name, not a surprise deep in the build.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from tipweek.defaults import PLUGIN_DEFAULTS as D
from tipweek.defaults import URL_DEFAULTS, WEEKDAYS
from tipweek.search_records import SEARCH_ENGINES

DEFAULT_CALL_TO_ACTION = [
    {"title": "Signup for FREE Tips!", "url": "subscribe/"},
    {"title": "Contact Us", "url": "contact/"},
    {"title": "More Resources", "url": "about/"},
    {"title": "Visit Our Home Page", "url": ""},
]


class LinkConfig(base.Config):
    title = c.Type(str)
    # Site-relative ("contact/") or absolute ("https://example.org/").
    url = c.Type(str, default="")


class PagerConfig(base.Config):
    # Pages always shown at each end of the pager: `1 2 … 27 28`.
    edge = c.Type(int, default=2)
    # Pages shown on each side of the current one: `… 18 19 [20] 21 22 …`.
    around = c.Type(int, default=2)


class UrlConfig(base.Config):
    tip = c.Type(str, default=URL_DEFAULTS["tip"])
    page = c.Type(str, default=URL_DEFAULTS["page"])
    tags = c.Type(str, default=URL_DEFAULTS["tags"])
    year = c.Type(str, default=URL_DEFAULTS["year"])
    feed = c.Type(str, default=URL_DEFAULTS["feed"])


class TipweekConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Folders and side files, relative to mkdocs.yml.
    tips_dir = c.Type(str, default=D["tips_dir"])
    authors_file = c.Type(str, default=D["authors_file"])
    tags_file = c.Type(str, default=D["tags_file"])
    strict_tags = c.Type(bool, default=D["strict_tags"])

    timezone = c.Type(str, default=D["timezone"])
    publish_weekday = c.Choice(WEEKDAYS, default=D["publish_weekday"])
    date_format = c.Type(str, default="%-m/%-d/%y")

    per_page = c.Type(int, default=D["per_page"])
    excerpt_words = c.Type(int, default=55)
    read_more = c.Type(str, default="Read more")
    pager = c.SubConfig(PagerConfig)
    urls = c.SubConfig(UrlConfig)

    feed_items = c.Type(int, default=20)
    feed_description = c.Type(str, default="")

    # `mkdocs serve` shows drafts and scheduled tips, badged, unless turned off.
    preview_drafts = c.Type(bool, default=True)
    call_to_action = c.ListOfItems(c.SubConfig(LinkConfig), default=DEFAULT_CALL_TO_ACTION)

    # The archive's search: Material's own (lunr, one index of every page's text) or
    # Pagefind (published tips only, loaded in chunks; `pip install 'tipweek[pagefind]'`).
    # "material" by default, so a site that upgrades tipweek keeps the search it had.
    search = c.Choice(SEARCH_ENGINES, default="material")

    # Keep unchanged pages in site_dir between builds, write pages in the background
    # (site_output.py). Off: MkDocs empties site_dir and writes every page itself.
    reuse_output = c.Type(bool, default=True)
