"""Decide, for every post of a source, which tip file to write, or why not.

Nothing is written here.  The planner knows the tips already in the project,
so a second import of the same source skips every post it imported before
(same old URL, or same date and slug), two posts with one slug on one day get
distinct files (`-2`), and an old URL that another tip or page already owns is
not claimed twice.  Every planned document is read back through `parse_tip`,
the validator the build uses, before it is offered for writing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from tipweek.core.archive import Archive
from tipweek.core.project import display_path, tip_files
from tipweek.core.settings import Settings
from tipweek.core.site_paths import fold
from tipweek.core.slugs import slugify
from tipweek.core.tip_writer import tip_document
from tipweek.core.tips import (
    MAX_TAGS,
    MAX_TIP_BYTES,
    Tip,
    alias_problem,
    load_tip,
    normalize_alias,
    parse_tip,
    unique_casefolded,
)
from tipweek.core.urls import listing_urls
from tipweek.importer import DEFAULT_TITLE_DATE_SUFFIX
from tipweek.importer.authors import AuthorBook
from tipweek.importer.convert import clean_title, convert_post, summary_text
from tipweek.importer.html_bounds import html_bound_problem
from tipweek.importer.inert import InertCheck
from tipweek.importer.names import MAX_TAG_CHARS, fits_file_system, plain_tag, short_slug
from tipweek.importer.shortcodes import Attachment, MediaContext
from tipweek.importer.source import SourcePost
from tipweek.importer.untitled import made_up_title

PUBLISHED_STATUSES = {"publish", "future"}  # a scheduled post is a scheduled tip
HIDDEN_STATUSES = {"draft", "pending", "private"}
STATUS_WORDS = {"draft": "a draft", "pending": "pending review", "private": "private"}
STATUS_REASONS = {
    "trash": "it is in WordPress's trash",
    "auto-draft": "it is an automatic draft WordPress never saved",
    "inherit": "it is a revision",
}
TYPE_REASONS = {
    "page": "it is a page, not a post",
    "attachment": "it is an attachment (a media file), not a post",
    "revision": "it is a revision of another post",
    "nav_menu_item": "it is a menu item, not a post",
}
_QUERY_ALIAS = re.compile(r"^[A-Za-z_]+=[\w-]+$")
_HTTP_URL = re.compile(r"^https?://[^/\s]", re.IGNORECASE)


@dataclass(frozen=True)
class ImportOptions:
    drafts: bool = False
    force: bool = False
    title_date_suffix: re.Pattern[str] | None = re.compile(DEFAULT_TITLE_DATE_SUFFIX)


@dataclass
class PlannedTip:
    post: SourcePost
    path: Path
    source: str
    fields: dict[str, Any]
    body: str
    replaces: bool = False
    text: str = ""
    # What was approximated on the way (for `--report`).
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.fields["title"])


@dataclass(frozen=True)
class Outcome:
    """A post that was not imported, and why."""

    post: SourcePost
    reason: str
    notes: tuple[str, ...] = ()


@dataclass
class Plan:
    tips: list[PlannedTip] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def old_url_alias(url: str) -> str | None:
    """The alias that keeps an old link working: its path, or `/?p=123` on the home page."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https", ""):
        return None  # an Atom id such as urn:uuid:... is no link
    path = parts.path or "/"
    if parts.query:
        if path.strip("/") == "" and _QUERY_ALIAS.match(parts.query):
            return f"/?{parts.query}"
        return None
    if path == "/":
        return None
    path = quote(unquote(path), safe="/-._~!$()*+,;=:@")
    if not fits_file_system(path):
        return None  # the build writes the redirect as folders: no name may be too long
    return path if alias_problem(path) is None else None


class Planner:
    """Plans posts one at a time (`add`), then settles aliases and validates (`finish`)."""

    def __init__(
        self,
        settings: Settings,
        options: ImportOptions,
        authors: AuthorBook,
        author_names: dict[str, str] | None = None,
        attachments: dict[str, Attachment] | None = None,
        source_link: str = "",
    ) -> None:
        self.settings = settings
        # The base of relative links in an entry that has no link of its own.
        self.source_link = source_link if _HTTP_URL.match(source_link) else ""
        self.attachments = attachments or {}
        self.inert = InertCheck(settings)
        self.options = options
        self.authors = authors
        self.author_names = author_names or {}
        self.tz = settings.tz
        self.plan = Plan()
        self.existing = self._existing_tips()
        # Who owns each URL (tip URL or alias) among the existing tips.
        self.url_owner: dict[str, Tip] = {}
        for tip in self.existing:
            for url in (self.tip_url(tip.date, tip.slug), *tip.aliases):
                self.url_owner.setdefault(url, tip)
        self.day_slug_owner = {(tip.date.date(), tip.slug): tip for tip in self.existing}
        self.taken_day_slugs: set[tuple[Any, str]] = set(self.day_slug_owner)
        self.taken_paths: set[Path] = {tip.abs_path.resolve() for tip in self.existing}
        self.matched: set[Path] = set()

    def _existing_tips(self) -> list[Tip]:
        files, _problems = tip_files(self.settings.root / self.settings.tips_dir)
        tips = []
        for path in files:
            tip, _ = load_tip(path, display_path(path, self.settings.root), self.tz)
            if tip is not None:
                tips.append(tip)
        return tips

    def tip_url(self, moment: datetime, slug: str) -> str:
        return self.settings.scheme.tip.format(
            yyyy=f"{moment.year:04d}", mm=f"{moment.month:02d}", dd=f"{moment.day:02d}", slug=slug
        )

    def add(self, post: SourcePost) -> None:
        reason = self._not_a_tip(post)
        if reason:
            self.plan.skipped.append(Outcome(post, reason))
            return
        # Before anything parses it: converting 100,000 nested elements never ends.
        too_much = html_bound_problem(post.content_html) or html_bound_problem(post.excerpt_html)
        if too_much:
            self.plan.failed.append(Outcome(post, too_much))
            return
        notes: list[str] = []
        moment = self._date(post)
        if moment is None:
            self.plan.skipped.append(Outcome(post, "it has no publication date"))
            return
        if post.date_fallback:
            notes.append(f"date taken from {post.date_fallback} (it has no publication date)")
        title = clean_title(post.title_html, self.options.title_date_suffix)
        if not title:
            title = made_up_title(post.content_html, moment)
            notes.append(f'untitled: the title "{title}" was made up, check it')
        slug = self._slug(post, title)
        if not slug:
            self.plan.failed.append(Outcome(post, "no ASCII slug can be made from it"))
            return
        aliases = self._aliases(post)
        already = self._already_imported(aliases, moment, slug)
        if already is not None and not self.options.force:
            self.plan.skipped.append(Outcome(post, f"already imported as {already.source}"))
            return
        base_url = post.link if _HTTP_URL.match(post.link) else self.source_link
        media = MediaContext(self.attachments, post.post_id, base_url)
        try:
            converted = convert_post(
                post.content_html,
                needs_paragraphs=post.needs_paragraphs,
                base_url=base_url,
                media=media,
                nested_fences="superfences" in self.inert.extensions,
            )
        except Exception as error:  # a converter bug must not stop the other posts
            self.plan.failed.append(Outcome(post, f"its HTML cannot be converted ({error})"))
            return
        body = converted.markdown
        notes += converted.notes
        for extension in sorted(converted.extensions - self.inert.extensions):
            notes.append(
                f"it uses {extension} syntax, which mkdocs.yml does not enable: "
                f"add `- {extension}` to its markdown_extensions"
            )
        dangers = self.inert.problems(body)
        if dangers:  # the converter's escaping missed something: never write it
            reason = f"its converted text would put {', '.join(dangers)} in the site; not written"
            self.plan.failed.append(Outcome(post, reason, tuple(notes)))
            return
        # Nothing left to read (an empty post, or one whose only content was removed as
        # unsafe): a published tip with no text is an error in the build, a draft is not.
        empty = not body.strip()
        if empty:
            notes.append("it has no text: imported as a draft, which the site does not publish")
        terms = unique_casefolded(t for t in map(plain_tag, post.terms) if t)
        tags = [t for t in terms if len(t) <= MAX_TAG_CHARS]
        if len(tags) < len(terms):
            notes.append(f"tags longer than {MAX_TAG_CHARS} characters were left out")
        if len(tags) > MAX_TAGS:  # the build would refuse the tip: keep the first ones
            left_out = tags[MAX_TAGS:]
            tags = tags[:MAX_TAGS]
            notes.append(
                f"{len(tags) + len(left_out)} categories and tags; a tip may have at most "
                f"{MAX_TAGS}: these were left out: {', '.join(left_out)}"
            )
        if already is not None:
            slug, path, replaces = already.slug, already.abs_path, True
        else:
            slug, path = self._free_name(moment, slug)
            replaces = False
        self.taken_day_slugs.add((moment.date(), slug))
        self.taken_paths.add(path.resolve())
        fields = {
            "title": title,
            "date": moment.replace(tzinfo=None, second=0, microsecond=0),
            "tags": tags,
            "author": self._author(post),
            "slug": slug,
            "summary": summary_text(
                post.excerpt_html, post.content_html, written=post.excerpt_is_written
            ),
            "draft": post.status in HIDDEN_STATUSES or post.password_protected or empty,
            "aliases": aliases,
        }
        source = display_path(path, self.settings.root)
        self.plan.tips.append(PlannedTip(post, path, source, fields, body, replaces, notes=notes))

    def _not_a_tip(self, post: SourcePost) -> str | None:
        if post.post_type != "post":
            return TYPE_REASONS.get(post.post_type, f"it is a '{post.post_type}', not a post")
        if post.status in STATUS_REASONS:
            return STATUS_REASONS[post.status]
        hidden = post.status in HIDDEN_STATUSES or post.password_protected
        if hidden and not self.options.drafts:
            what = "password-protected" if post.password_protected else STATUS_WORDS[post.status]
            return f"it is {what} (--drafts imports it as a draft)"
        if not hidden and post.status not in PUBLISHED_STATUSES:
            return f"its status is '{post.status}'"
        return None

    def _date(self, post: SourcePost) -> datetime | None:
        if post.published is not None:
            return post.published.astimezone(self.tz)
        if post.local_time is not None:
            return post.local_time.replace(tzinfo=self.tz)
        return None

    @staticmethod
    def _slug(post: SourcePost, title: str) -> str:
        # An Atom entry without a link has its id there: `urn:uuid:...` names no page.
        link = post.link if _HTTP_URL.match(post.link) else ""
        last_segment = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
        last_segment = re.sub(r"\.(html?|php)$", "", last_segment)
        for candidate in (post.slug, last_segment):
            slug = short_slug(slugify(unquote(candidate)))
            # WordPress gives an untitled post its ID as slug: a title makes a better URL.
            if slug and not slug.isdigit():
                return slug
        if slugify(title):
            return short_slug(slugify(title))
        if post.post_id.isdigit():
            return f"post-{post.post_id}"
        # A title in a script with no ASCII form (Japanese, Arabic...): a stable
        # digest of the post's identity, so a re-import finds the same name.
        identity = post.guid or post.link or title
        return f"post-{hashlib.sha1(identity.encode('utf-8')).hexdigest()[:8]}"

    @staticmethod
    def _aliases(post: SourcePost) -> list[str]:
        candidates = [post.link, post.guid]
        if post.post_id.isdigit():
            candidates.append(f"/?p={post.post_id}")
        return list(unique_casefolded(a for a in map(old_url_alias, candidates) if a))

    def _already_imported(self, aliases: list[str], moment: datetime, slug: str) -> Tip | None:
        for alias in aliases:
            owner = self.url_owner.get(normalize_alias(alias))
            if owner is not None:
                self.matched.add(owner.abs_path)
                return owner
        owner = self.day_slug_owner.get((moment.date(), slug))
        # An existing tip with the same date and slug is this post, unless both
        # carry old URLs and none of them match, or another post of this source
        # already matched it: then it is another post of the same day.
        if owner is None or (owner.aliases and aliases) or owner.abs_path in self.matched:
            return None
        self.matched.add(owner.abs_path)
        return owner

    def _free_name(self, moment: datetime, slug: str) -> tuple[str, Path]:
        folder = self.settings.root / self.settings.tips_dir / f"{moment.year:04d}"
        base, number = slug, 1
        while True:
            path = folder / f"{moment.date().isoformat()}-{slug}.md"
            url_owner = self.url_owner.get(self.tip_url(moment, slug))
            free = (
                (moment.date(), slug) not in self.taken_day_slugs
                and path.resolve() not in self.taken_paths
                and not _exists(path)
                and url_owner is None
            )
            if free:
                return slug, path
            number += 1
            slug = f"{base}-{number}"

    def _author(self, post: SourcePost) -> str | None:
        if not post.creator:
            return None
        display = self.author_names.get(post.creator, post.creator)
        return self.authors.key_for(post.creator, display)

    def finish(self) -> Plan:
        """Drop aliases another tip or page owns, render every document and validate it."""
        planned = self._parsed_planned()
        replaced = {tip.path.resolve() for tip in self.plan.tips if tip.replaces}
        owners: dict[str, str] = {}
        for tip in self.existing:
            if tip.abs_path.resolve() not in replaced:
                for url in (self.tip_url(tip.date, tip.slug), *tip.aliases):
                    owners.setdefault(fold(url), tip.source)
        reserved = listing_urls(
            Archive([*self.existing, *planned.values()]),
            self.settings.scheme,
            self.settings.per_page,
        )
        reserved.update(self.settings.page_urls)
        # Compared without case, as the build does: `/About/` and `/about/` are one folder
        # on macOS and Windows, so the second is not kept.
        reserved = {fold(url): what for url, what in reserved.items()}
        own_urls = {}
        for source, tip in planned.items():
            own_urls[source] = self.tip_url(tip.date, tip.slug)
            owners.setdefault(fold(own_urls[source]), source)
        kept_tips = []
        for planned_tip in self.plan.tips:
            own = own_urls.get(planned_tip.source)
            kept = []
            for alias in planned_tip.fields["aliases"]:
                url = normalize_alias(alias)
                if url == own:
                    continue  # the tip keeps its old address: nothing to redirect
                key = fold(url)
                owner = reserved.get(key) or owners.get(key)
                if owner and owner != planned_tip.source:
                    self.plan.notes.append(
                        f"{planned_tip.source}: old URL {alias} is not redirected: "
                        f"it is already {owner if key in reserved else 'used by ' + owner}"
                    )
                    continue
                owners[key] = planned_tip.source
                kept.append(alias)
            planned_tip.fields["aliases"] = kept
            planned_tip.text = tip_document(planned_tip.fields, planned_tip.body)
            size = len(planned_tip.text.encode("utf-8"))
            if size > MAX_TIP_BYTES:  # the build would refuse it: say so now instead
                why = f"the tip would be {size:,} bytes; a tip may be at most {MAX_TIP_BYTES:,}"
                self.plan.skipped.append(Outcome(planned_tip.post, why, tuple(planned_tip.notes)))
                continue
            tip, problems = parse_tip(
                planned_tip.text, planned_tip.source, self.tz, abs_path=planned_tip.path
            )
            errors = [p for p in problems if p.is_error]
            if tip is None or errors:
                why = "; ".join(p.message for p in errors) or "it does not read back as a tip"
                outcome = Outcome(planned_tip.post, f"invalid tip: {why}", tuple(planned_tip.notes))
                self.plan.failed.append(outcome)
                continue
            kept_tips.append(planned_tip)
        self.plan.tips = kept_tips
        return self.plan

    def _parsed_planned(self) -> dict[str, Tip]:
        """Each planned tip as a `Tip` (aliases aside), for the URLs the listings will take."""
        parsed = {}
        for planned_tip in self.plan.tips:
            fields = {**planned_tip.fields, "aliases": []}
            tip, _ = parse_tip(
                tip_document(fields, planned_tip.body),
                planned_tip.source,
                self.tz,
                abs_path=planned_tip.path,
            )
            if tip is not None:
                parsed[planned_tip.source] = tip
        return parsed


def _exists(path: Path) -> bool:
    """`path.exists()`, but a name the file system refuses counts as taken, not as a crash."""
    try:
        return path.exists()
    except OSError:
        return True
