"""Pelican settings for the tipweek benchmark (scripts/bench.py).

Same features as the tipweek site, in Pelican's default theme: a page per tip at
/YYYY/MM/DD/slug/, a paged archive of 10 with ~55-word summaries, paged tag pages,
a tag index, year pages (Pelican's year archives are not paged), RSS for the site
and per tag (newest 20 items). Pages tipweek does not make (categories, authors,
the all-titles archive, Atom feeds) are switched off so both sides do the same work.
"""

AUTHOR = "Tips"
SITENAME = "Tips (Pelican)"
SITEURL = "https://example.org"
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-m/%-d/%y"

# Paging: 10 tips a page, /page/N/ like tipweek.
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 55

# URLs as tipweek's.
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"

# Not in tipweek: no category, author or all-titles pages. Sub-folders of content/
# are years, not categories.
USE_FOLDER_AS_CATEGORY = False
DISPLAY_CATEGORIES_ON_MENU = False
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""

# Feeds: RSS for the site and per tag, 20 items, full content; no Atom.
FEED_DOMAIN = SITEURL
FEED_ALL_RSS = "feed.xml"
TAG_FEED_RSS = "tags/{slug}/feed.xml"
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
