"""The files made from the archive, not from a template: redirects, feeds, email.

MkDocs writes them like any asset (`File.generated`).  Their paths are known
once the archive is (`on_files`), and joining the files then lets links to
them validate; a redirect's bytes are known then too.  A feed or an email
edition carries the tips' rendered HTML, known only once every tip has been
rendered: those files join empty and are filled in `on_env`, before MkDocs
writes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from tipweek.core import documents
from tipweek.core.archive import Archive
from tipweek.core.crawlers import robots_txt
from tipweek.core.project import Project
from tipweek.core.tips import Tip
from tipweek.core.urls import UrlScheme
from tipweek.core.wording import count
from tipweek.email.edition import email_settings
from tipweek.email.site_files import EditionStore, email_documents, email_paths
from tipweek.mkdocs.generated_pages import generated_file
from tipweek.mkdocs.redirect_clashes import redirect_clashes
from tipweek.mkdocs.tip_texts import TipTexts

log = get_plugin_logger(__name__)

ROBOTS_TXT = "robots.txt"


class SiteDocuments:
    """One build's redirects, feeds and email editions, as MkDocs files."""

    def __init__(
        self,
        config: MkDocsConfig,
        options: Any,  # the plugin's validated options (`tipweek.mkdocs.config`)
        project: Project,
        archive: Archive,
        scheme: UrlScheme,
        site_url: str,
    ) -> None:
        self.config = config
        self.options = options
        self.project = project
        self.archive = archive
        self.scheme = scheme
        self.site_url = site_url
        self.redirects: list[File] = []  # an alias's page each
        self.feeds: dict[str, File] = {}  # by URL: the site's feed, one per tag
        self.email: dict[str, File] = {}  # by path: each tip's edition, the email feed

    def add_to(self, files: Files) -> None:
        """Join the site's files: robots.txt (unless docs/ or the theme has one), the
        redirects, and the feeds and email editions, empty until `fill`."""
        config = self.config
        if files.get_file_from_path(ROBOTS_TXT) is None:
            files.append(generated_file(config, ROBOTS_TXT, robots_txt(self.site_url).encode()))
        icon = config.theme.get("favicon") or ""
        if "://" in icon or icon.startswith(("/", "data:")):
            icon = ""  # only a file of the site, which a relative link reaches from any alias
        redirects = documents.redirect_documents(self.archive, self.scheme, self.site_url, icon)
        self.redirects = [generated_file(config, path, data) for path, data in redirects.items()]
        # Before they join: MkDocs would let a redirect replace a file of the same name.
        self.check_redirects(files)
        self.feeds = {
            url: generated_file(config, url, b"")
            for url in documents.feed_urls(self.archive, self.scheme)
        }
        self.email = {
            path: generated_file(config, path, b"")
            for path in email_paths(self.archive, self.scheme)
        }
        for file in [*self.redirects, *self.feeds.values(), *self.email.values()]:
            files.append(file)

    def check_redirects(self, files: Iterable[File]) -> None:
        """Stop the build if a redirect would be written over (or below) a file of
        another plugin (`redirect_clashes.py`): in `on_files`, and again once every
        plugin has added its files."""
        problems = redirect_clashes(self.archive.tips, self.redirects, files)
        if not problems:
            return
        for problem in problems:
            log.error(str(problem))
        raise PluginError(
            f"tipweek: {count(len(problems), 'redirect')} over other files (listed above); "
            "nothing was built and the previous site is untouched"
        )

    def fill(
        self,
        texts: TipTexts,
        html_of: Callable[[Tip], str],
        email_store: EditionStore | None,
    ) -> None:
        """The feeds' and the email editions' bytes, once every tip is rendered:
        `html_of(tip)` is its page's HTML, `email_store` keeps editions made before."""
        config, options, project = self.config, self.options, self.project
        description = options.feed_description or config.site_description or ""
        language = config.theme.get("language")
        feeds = documents.feed_documents(
            self.archive,
            self.scheme,
            texts.feed_text,
            site_url=self.site_url,
            site_name=config.site_name,
            description=description,
            language=language,
            authors=project.authors,
            tag_info=project.tag_info,
            limit=options.feed_items,
        )
        email = email_documents(
            self.archive,
            self.scheme,
            html_of=html_of,
            summary_of=lambda tip: texts.text(tip).excerpt_text,
            text_of=texts.feed_text,
            site=email_settings(
                options.email,
                site_name=config.site_name,
                site_url=self.site_url,
                language=language,
                date_format=options.date_format,
            ),
            call_to_action=options.call_to_action,
            description=description,
            authors=project.authors,
            limit=options.feed_items,
            store=email_store,
        )
        _fill(self.feeds, feeds)
        _fill(self.email, email)


def _fill(files: Mapping[str, File], contents: Mapping[str, bytes]) -> None:
    for path, data in contents.items():
        files[path].content_bytes = data
