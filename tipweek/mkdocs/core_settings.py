"""What the core is given from mkdocs.yml: MkDocs' settings and the plugin's options
turned into the core's plain arguments, in one place.

The core (`tipweek.core`) never sees a MkDocs config: each function here reads
the two configs and returns what one stage of the build takes: the project
(`read_project`), the views of pages (`view_settings`), and the site's absolute
URL (`site_url`).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from tipweek.core.comments import CommentSettings
from tipweek.core.docs_pages import docs_urls
from tipweek.core.project import Project, load_project, queue_start
from tipweek.core.share import ShareSite
from tipweek.core.tips import Reading
from tipweek.core.urls import UrlScheme
from tipweek.core.views import Link, ViewSettings

log = get_plugin_logger(__name__)


def read_project(
    config: MkDocsConfig,
    options: Any,  # the plugin's validated options (`tipweek.mkdocs.config`)
    root: Path,
    *,
    tz: tzinfo,
    now: datetime,
    scheme: UrlScheme,
    reading: Reading,
) -> Project:
    """Every tip, author and tag of the project, validated (`core.project.load_project`)."""
    return load_project(
        root,
        options.tips_dir,
        tz,
        authors_file=options.authors_file,
        tags_file=options.tags_file,
        strict_tags=options.strict_tags,
        scheme=scheme,
        per_page=options.per_page,
        page_urls=docs_urls(Path(config.docs_dir), config.use_directory_urls),
        queue_from=queue_start(now),
        now=now,
        publish_weekday=options.publish_weekday,
        # An alias over a theme's (or custom_dir's) file fails here, before the clean.
        theme_dirs=[Path(folder) for folder in config.theme.dirs],
        reading=reading,
    )


def view_settings(
    config: MkDocsConfig,
    options: Any,
    project: Project,
    *,
    scheme: UrlScheme,
    now: datetime,
    comments: CommentSettings | None,
) -> ViewSettings:
    """How pages show the archive (`core.views.Views`)."""
    return ViewSettings(
        site_name=config.site_name,
        scheme=scheme,
        date_format=options.date_format,
        now=now,
        pager_edge=options.pager.edge,
        pager_around=options.pager.around,
        call_to_action=[Link(c.title, c.url) for c in options.call_to_action],
        authors=project.authors,
        directory_urls=config.use_directory_urls,
        publication=options.publication,
        organisation=options.organisation,
        share=ShareSite(
            site_name=config.site_name,
            site_url=base_url(config),
            publisher=options.organisation or config.site_author or config.site_name,
            image=options.share_image,
        ),
        site_description=config.site_description or "",
        related=options.related_tips,
        comments=comments,
    )


def site_url(config: MkDocsConfig) -> str:
    """The absolute base URL feeds and canonical links need (a warning without one)."""
    if not config.site_url:
        log.warning(
            "site_url is not set in mkdocs.yml; feeds need absolute links, "
            "so they point at http://localhost:8000/ until you set it"
        )
    return base_url(config)


def base_url(config: MkDocsConfig) -> str:
    url = config.site_url or "http://localhost:8000/"
    return url if url.endswith("/") else url + "/"
