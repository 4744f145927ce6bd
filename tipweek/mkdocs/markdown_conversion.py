"""Convert tips' Markdown exactly as MkDocs would, but faster: one parser, and a cache.

MkDocs' `Page.render` builds a new `markdown.Markdown` (every extension,
every processor) for each page.  `TipConverter` builds one per build, resets it
between tips, and registers MkDocs' own per-page processors on it for each
tip, so links are rewritten and validated, anchors collected and the title
extracted by MkDocs' code, not a copy of it.

With a `MarkdownCache`, a tip whose Markdown and Markdown settings are unchanged
skips Markdown altogether: its HTML, table of contents and anchors come from
the last build.  Two things are deliberately never cached:

- a conversion that logged anything (a broken link, an extension's warning): a
  cache hit could not repeat the message, and `mkdocs build --strict` must
  fail on it every time;
- nothing the site's other files decide is trusted blindly: a tip whose links
  were resolved against the site's files is only reused while the set of
  files (and their URLs) is the same.

On a cold build of a large archive, `tipweek.speed.markdown_pool` converts the
tips the cache lacks in forked processes, one parser each, before MkDocs asks
for the first page; MkDocs' own `Page.render` calls then pick up the results.

("Convert" is Markdown to HTML, throughout tipweek; "render" is a Jinja
template to a page, `tipweek.speed.template_pool`.)

This module is MkDocs-specific (it drives MkDocs' private processors, through
`compat`); the cache itself (`tipweek.cache.markdown_cache`) is not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from tipweek.cache.describe import undescribable
from tipweek.cache.inputs import code_digest, extension_inputs
from tipweek.cache.markdown_cache import ConvertedTip, MarkdownCache, fingerprint, stable_repr
from tipweek.mkdocs.compat import register_page_processors, set_anchors, set_rendered_title

#: Loggers a tip's conversion can write to: MkDocs' link checks and Markdown's extensions.
CONVERSION_LOGGERS = ("mkdocs.structure.pages", "MARKDOWN")


class LogCapture(logging.Handler):
    """Keeps log records instead of printing them (a conversion's messages, a worker's)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    loggers = [logging.getLogger(name) for name in CONVERSION_LOGGERS]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        yield capture
    finally:
        for logger in loggers:
            logger.removeHandler(capture)


def settings_fingerprint(config: MkDocsConfig, plugin_config: Any) -> tuple[str, str | None]:
    """A hash of every setting and version that can change how any tip converts (the
    inputs `tipweek.cache.inputs.MARKDOWN_INPUTS` declares), and why tips cannot be
    cached in this build, if an extension's inputs cannot be declared."""
    configs = config.mdx_configs or {}
    versions, reason = extension_inputs(config.markdown_extensions, configs)
    root = str(Path(config.config_file_path or ".").resolve().parent)
    options = dict(plugin_config) if plugin_config is not None else None
    described = stable_repr([config.markdown_extensions, configs, options])
    if reason is None and (what := undescribable(described)) is not None:
        reason = f"an extension option holds a value tipweek cannot describe ({what})"
    key = fingerprint(
        "tipweek-render",
        code_digest(),
        versions,
        described.replace(root, "<project>"),
        config.use_directory_urls,
        dict(config.validation),
    )
    return key, reason


def files_fingerprint(files: Files) -> str:
    """A hash of the site's files as links see them: source path, URL, inclusion."""
    return fingerprint(sorted((f.src_uri, f.url, f.inclusion.name) for f in files))


class TipConverter:
    """Converts tip pages for one build, with one Markdown instance and an optional cache."""

    def __init__(
        self,
        config: MkDocsConfig,
        settings: str,
        cache: MarkdownCache | None = None,
        *,
        extra: Callable[[Page], Any] | None = None,
    ) -> None:
        """`extra(page)`, given a freshly converted page, computes something else worth
        keeping with its HTML (tipweek: the excerpt), JSON-able; `kept_extra` gives it back."""
        self.config = config
        self.settings = settings
        self.cache = cache
        self.extra = extra
        self._md: markdown.Markdown | None = None
        self._files: Files | None = None
        self._files_fingerprint = ""
        # Entries converted ahead (`tipweek.speed.markdown_pool`), by key, until MkDocs
        # asks for their pages.
        self._converted_ahead: dict[str, ConvertedTip] = {}

    def _parser(self) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=self.config.markdown_extensions,
                extension_configs=self.config.mdx_configs or {},
            )
        return self._md.reset()

    def _site_files(self, files: Files) -> str:
        # Plugins may add files after tipweek's on_files, so hash the final set,
        # once, when the first tip converts.
        if files is not self._files:
            self._files, self._files_fingerprint = files, files_fingerprint(files)
        return self._files_fingerprint

    def _key(self, page: Page, markdown_text: str) -> str:
        return fingerprint(self.settings, page.file.src_uri, page.file.url, markdown_text)

    def fill(self, page: Page, files: Files) -> None:
        """Set `page.content`, `.toc`, anchors and links as `Page.render` would."""
        assert page.markdown is not None
        key = ""
        if self.cache is not None:
            key = self._key(page, page.markdown)
            entry = self.cache.get(key)
            if entry is not None:
                if self._apply(entry, page, files):
                    return
                self.cache.reject(key)
            entry = self._converted_ahead.pop(key, None)
            if entry is not None and self._apply(entry, page, files):
                self.cache.put(key, entry)  # converted (by a worker) in this build: a miss
                return
        entry = self._convert(page, files)
        if self.cache is not None and entry is not None:
            self.cache.put(key, entry)

    def key(self, page: Page, markdown_text: str) -> str:
        """The Markdown cache's key of `page` with this Markdown."""
        return self._key(page, markdown_text)

    def lacks(self, page: Page) -> bool:
        """Whether the cache lacks `page` as it is now (False without a cache)."""
        return self.cache is not None and self._key(page, page.tip.body) not in self.cache

    def prepare_to_fork(self, files: Files) -> None:
        """Hash the site's files and make the parser once, for every forked worker."""
        self._site_files(files)
        self._parser()

    def convert(self, page: Page, files: Files) -> ConvertedTip | None:
        """Convert `page`'s Markdown; what may be cached, or None (see `_convert`)."""
        return self._convert(page, files)

    def add_converted_ahead(self, entries: dict[str, ConvertedTip]) -> None:
        """Entries converted elsewhere (`tipweek.speed.markdown_pool`), by key, for
        `fill` to take when MkDocs asks for their pages."""
        self._converted_ahead.update(entries)

    def _convert(self, page: Page, files: Files) -> ConvertedTip | None:
        """Convert the Markdown; return what to cache, or None if this conversion must not be."""
        md = self._parser()
        found = register_page_processors(md, page, files, self.config)

        with _captured_logs() as capture:
            page.content = md.convert(page.markdown or "")
        toc_tokens = getattr(md, "toc_tokens", [])
        page.toc = get_toc(toc_tokens)
        set_rendered_title(page, found.found_title)
        set_anchors(
            page,
            found.present_anchor_ids,
            found.links_to_anchors if _keeps_anchor_links() else None,
        )
        extra = self.extra(page) if self.extra is not None else None
        _keep_extra(page, page.content, extra)
        if capture.records:
            return None
        return {
            "extra": extra,
            "content": page.content,
            "toc": toc_tokens,
            "title": found.found_title,
            "anchors": sorted(found.present_anchor_ids),
            "links": {
                target.src_uri: dict(by_anchor)
                for target, by_anchor in found.links_to_anchors.items()
            },
            "files": self._site_files(files) if found.looked_up_files else None,
        }

    def _apply(self, entry: ConvertedTip, page: Page, files: Files) -> bool:
        """Fill `page` from a cache entry; False if the entry no longer applies."""
        if not _well_formed(entry):
            return False  # an entry from an older, damaged or foreign cache file
        try:
            if entry["files"] is not None and entry["files"] != self._site_files(files):
                return False
            links_to_anchors = {}
            for src_uri, by_anchor in entry["links"].items():
                target = files.get_file_from_path(src_uri)
                if target is None:
                    return False
                links_to_anchors[target] = dict(by_anchor)
            page.content = entry["content"]
            page.toc = get_toc(entry["toc"])
            set_rendered_title(page, entry["title"])
            present = set(entry["anchors"])
            _keep_extra(page, entry["content"], entry.get("extra"))
        except (KeyError, TypeError, AttributeError, ValueError):
            return False  # an entry from an older or damaged cache
        set_anchors(page, present, links_to_anchors if _keeps_anchor_links() else None)
        return True


def _well_formed(entry: ConvertedTip) -> bool:
    """Whether `entry` has the layout `_convert` gives entries.  The cache file is
    valid JSON of any shape if damaged or foreign; a wrong type found only later
    (HTML that is a list) would stop the build with a traceback."""
    links = entry.get("links")
    anchors = entry.get("anchors")
    return (
        isinstance(entry.get("content"), str)
        and isinstance(entry.get("title"), (str, type(None)))
        and isinstance(entry.get("files"), (str, type(None)))
        and isinstance(anchors, list)
        and all(isinstance(anchor, str) for anchor in anchors)
        and isinstance(links, dict)
        and all(_strings(by_anchor) for by_anchor in links.values())
        and _toc_tokens(entry.get("toc"))
    )


def _strings(mapping: object) -> bool:
    return isinstance(mapping, dict) and all(
        isinstance(key, str) and isinstance(value, str) for key, value in mapping.items()
    )


def _toc_tokens(tokens: object) -> bool:
    """Markdown's `toc_tokens` as `get_toc` reads them: name, id, level, children."""
    return isinstance(tokens, list) and all(
        isinstance(token, dict)
        and isinstance(token.get("name"), str)
        and isinstance(token.get("id"), str)
        and type(token.get("level")) is int
        and _toc_tokens(token.get("children"))
        for token in tokens
    )


def _keep_extra(page: Page, content: str | None, extra: Any) -> None:
    page._tipweek_extra = (content, extra)  # type: ignore[attr-defined]


def kept_extra(page: Page) -> Any:
    """What `TipConverter`'s `extra` computed for `page` (in this build or one it
    was cached by), or None if the page's content changed since (another
    plugin's `on_page_content`) or it was converted another way."""
    content, extra = getattr(page, "_tipweek_extra", (None, None))
    return extra if content is not None and content == page.content else None


def _keeps_anchor_links() -> bool:
    # Page.render only records links to anchors when they can be reported.
    return logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG
