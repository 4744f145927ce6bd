"""The plugin's options, declared once: name, type, default, choices and rule of each.

This table is the only place an option is defined.  `tipweek.mkdocs.config`
builds the MkDocs `Config` class from it (so `mkdocs build` validates with
it), `tipweek.core.settings` validates mkdocs.yml with it for the CLI (which
must not import MkDocs), and `UrlScheme` takes its defaults from it.  Every
rule has one message, so `tipweek check` and `mkdocs build` report a bad
value in the same words.

Pure Python: no mkdocs import (a test enforces it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from tipweek.core.dates import DateError, site_timezone
from tipweek.core.links import link_problem
from tipweek.core.url_patterns import pattern_problem

#: The archive's search engines (`search:`); see tipweek/core/search_records.py.
SEARCH_ENGINES = ("material", "pagefind")
#: The mailing services whose unsubscribe merge tag the email edition knows
#: (tipweek/email/providers.py), and `custom` for any other.
EMAIL_PROVIDERS = (
    "mailchimp", "listmonk", "buttondown", "kit", "convertkit", "mailerlite", "brevo", "sendy",
    "custom",
)  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: MkDocs' own words for an option it does not know; `tipweek check` uses them too.
UNKNOWN = "Unrecognised configuration name: {name}"

Rule = Callable[[Any], "str | None"]  # a value that passed the type check -> message or None
# Where a value sits: ("urls", "tip"), ("call_to_action", 2, "url").
KeyPath = tuple["str | int", ...]


@dataclass(frozen=True)
class Option:
    """One option: `kind` is str, bool, int, dict (a mapping of `options`) or list (of them)."""

    name: str
    kind: type
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    rule: Rule | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    # Maps a value to the option's kind before it is checked (YAML reads `off` as false).
    normalize: Callable[[Any], Any] | None = None


class OptionError(Exception):
    """A bad value (or, as a warning, an unknown name) at `path`, with its one message."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    @property
    def name(self) -> str:
        """`urls.tip`, `call_to_action[2].title` (items counted from 1, as editors count)."""
        return dotted(self.path)


def dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _not_empty(value: str) -> str | None:
    return "must not be empty" if not value.strip() else None


def _timezone(value: str) -> str | None:
    try:
        site_timezone(value)
    except DateError as error:
        return str(error)
    return None


def _off_is_false(value: Any) -> Any:
    return "off" if value is False else value


def _forward_slashes(value: Any) -> Any:
    """`content\\tips`, as an editor on Windows writes it, names the same folder on every
    system (a backslash in a folder's name is never meant)."""
    return value.replace("\\", "/") if isinstance(value, str) else value


_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SMTP_URL = re.compile(r"(smtp|smtp\+starttls|smtps)://(?:[^:@/\s]+@)?[^:@/\s]+(?::\d{1,5})?/?")


def _hex_colour(value: str) -> str | None:
    # Mail clients agree on hex colours; names and functions vary (Outlook).
    return None if _HEX_COLOUR.fullmatch(value) else "must be a hex colour such as '#1a5fb4'"


def _email_address(value: str) -> str | None:
    _name, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or any(c.isspace() for c in address):
        return "must be an email address, such as 'Tips <tips@example.com>'"
    return None


def _env_name(value: str) -> str | None:
    return None if _ENV_NAME.fullmatch(value) else "must be the name of an environment variable"


def _smtp_url(value: str) -> str | None:
    if not value or _SMTP_URL.fullmatch(value):
        return None
    return "must be smtp://host:port, smtp+starttls://host:port or smtps://host:port (no password)"


def _email_group(values: Mapping[str, Any]) -> str | None:
    if values["provider"] == "custom" and not (values["unsubscribe"] or "").strip():
        return (
            "needs 'unsubscribe' (your mailing service's unsubscribe link or merge tag) "
            "when 'provider' is custom; or set 'provider' to one of: "
            + ", ".join(EMAIL_PROVIDERS[:-1])
        )
    return None


def _url(kind: str) -> Option:
    defaults = {
        "tip": "{yyyy}/{mm}/{dd}/{slug}/",
        "page": "page/{n}/",
        "tags": "tags/",
        "year": "{yyyy}/",
        "feed": "feed.xml",
    }
    return Option(kind, str, defaults[kind], rule=lambda value: pattern_problem(kind, value))


OPTIONS: tuple[Option, ...] = (
    Option("enabled", bool, True),
    # Folders and side files, relative to mkdocs.yml.
    Option("tips_dir", str, "tips", rule=_not_empty, normalize=_forward_slashes),
    Option("authors_file", str, "tips/authors.yml", normalize=_forward_slashes),
    Option("tags_file", str, "tips/tags.yml", normalize=_forward_slashes),
    Option("strict_tags", bool, False),
    Option("timezone", str, "UTC", rule=_timezone),
    Option("publish_weekday", str, "tuesday", choices=WEEKDAYS),
    Option("date_format", str, "%-m/%-d/%y"),
    Option("per_page", int, 10, minimum=1),
    Option("excerpt_words", int, 55, minimum=1),
    Option("read_more", str, "Read more"),
    # The pager: `edge` pages at each end (`1 2 … 27 28`), `around` on each
    # side of the current one (`… 18 19 [20] 21 22 …`).
    Option(
        "pager",
        dict,
        options=(Option("edge", int, 2, minimum=0), Option("around", int, 2, minimum=0)),
    ),
    Option("urls", dict, options=tuple(_url(k) for k in ("tip", "page", "tags", "year", "feed"))),
    Option("feed_items", int, 20, minimum=1),
    Option("feed_description", str, ""),
    # `mkdocs serve` shows drafts and scheduled tips, badged, unless turned off.
    Option("preview_drafts", bool, True),
    # Links at the foot of every tip; `url` is site-relative ("contact/") or absolute.
    Option(
        "call_to_action",
        list,
        [
            {"title": "Signup for FREE Tips!", "url": "subscribe/"},
            {"title": "Contact Us", "url": "contact/"},
            {"title": "More Resources", "url": "about/"},
            {"title": "Visit Our Home Page", "url": ""},
        ],
        options=(Option("title", str, required=True), Option("url", str, "", rule=link_problem)),
    ),
    # Titles as the old blog had them: `<publication> | <organisation> - Page N` (views.py);
    # empty: the site's name.
    Option("publication", str, ""),
    Option("organisation", str, ""),
    # Under each tip: a giscus thread, a "Reply by email" link, or nothing (core/comments.py).
    Option(
        "comments", str, "off", choices=("off", "giscus", "email"), normalize=_off_is_false
    ),
    Option("comments_email", str, ""),
    # The four values giscus.app shows for a repository with Discussions, and how a page
    # finds its discussion.
    Option(
        "giscus",
        dict,
        options=(
            Option("repo", str, ""),
            Option("repo_id", str, ""),
            Option("category", str, ""),
            Option("category_id", str, ""),
            Option("mapping", str, "pathname", choices=("pathname", "url", "title", "og:title")),
            Option("reactions", bool, True),
            Option("input_position", str, "top", choices=("top", "bottom")),
            Option("lang", str, "en"),
        ),
    ),
    # Related tips listed under each tip, by shared tags weighted by rarity; 0: none.
    Option("related_tips", int, 3, minimum=0),
    # The picture of share cards for pages and tips without their own `image:`.
    Option("share_image", str, "", rule=link_problem),
    # The archive's search: Material's own (lunr, one index of every page's text) or
    # Pagefind (published tips only, loaded in chunks; `pip install 'tipweek[pagefind]'`).
    # "material" by default, so a site that upgrades tipweek keeps the search it had.
    Option("search", str, "material", choices=SEARCH_ENGINES),
    # Each tip's email edition (tipweek/email/, docs/manual/email.md): who sends it, the
    # mailing service (whose merge tag the unsubscribe link is), what a mailing must carry
    # (a postal address), its look, and where `tipweek email --send` sends through.
    # Absent (None): every edition is still built, without an address or unsubscribe link.
    Option(
        "email",
        dict,
        options=(
            Option("provider", str, "custom", choices=EMAIL_PROVIDERS),
            Option("from_address", str, required=True, rule=_email_address),
            Option("postal_address", str, required=True, rule=_not_empty),
            Option("unsubscribe", str, ""),
            Option("logo", str, ""),
            Option("logo_width", int, 160, minimum=16),
            Option("accent_color", str, "#1a5fb4", rule=_hex_colour),
            Option("smtp", str, "", rule=_smtp_url),
            Option("password_env", str, "TIPWEEK_SMTP_PASSWORD", rule=_env_name),
        ),
        rule=_email_group,
    ),
)
BY_NAME: dict[str, Option] = {option.name: option for option in OPTIONS}


def default_of(option: Option) -> Any:
    """A fresh copy of the default (a mapping option's default is its sub-options' defaults;
    one with a required sub-option, such as `email`, has none: absent, it is None)."""
    if option.kind is dict and any(sub.required for sub in option.options):
        return None
    if option.kind is dict:
        return {sub.name: default_of(sub) for sub in option.options}
    return copy.deepcopy(option.default)


DEFAULTS: dict[str, Any] = {option.name: default_of(option) for option in OPTIONS}
URL_DEFAULTS: dict[str, str] = DEFAULTS["urls"]


def validate(option: Option, value: Any, path: KeyPath = ()) -> tuple[Any, list[OptionError]]:
    """The value to use (the default for a blank one, as MkDocs does) and warnings.

    Raises `OptionError` with the path and message of the first problem.
    """
    path = path or (option.name,)
    if value is None:
        if option.required:
            raise OptionError(path, "is required")
        return default_of(option), []
    if option.normalize is not None:
        value = option.normalize(value)
    if not _has_kind(value, option.kind):
        raise OptionError(path, _kind_message(option))
    if option.kind is dict:
        values, warnings = _validate_mapping(option.options, value, path)
        # A rule across the group's values (one that needs another when one is set).
        problem = option.rule(values) if option.rule else None
        if problem:
            raise OptionError(path, problem)
        return values, warnings
    if option.kind is list:
        items, warnings = [], []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, Mapping):
                raise OptionError((*path, number), f"must be a mapping of {_names(option)}")
            checked, more = _validate_mapping(option.options, item, (*path, number))
            items.append(checked)
            warnings += more
        return items, warnings
    if option.choices and value not in option.choices:
        raise OptionError(path, f"must be one of: {', '.join(option.choices)}")
    if option.minimum is not None and value < option.minimum:
        raise OptionError(path, f"must be at least {option.minimum}")
    problem = option.rule(value) if option.rule else None
    if problem:
        raise OptionError(path, problem)
    return value, []


def validate_options(
    given: Mapping[str, Any],
) -> tuple[dict[str, Any], list[OptionError], list[OptionError]]:
    """Every option's value, the errors (one per option, as MkDocs reports) and warnings."""
    values: dict[str, Any] = {}
    errors: list[OptionError] = []
    warnings = [
        OptionError((key,), UNKNOWN.format(name=key)) for key in given if key not in BY_NAME
    ]
    for option in OPTIONS:
        try:
            values[option.name], more = validate(option, given.get(option.name))
        except OptionError as error:
            errors.append(error)
            continue
        warnings += more
    return values, errors, warnings


def _validate_mapping(
    options: tuple[Option, ...], given: Mapping[str, Any], path: KeyPath
) -> tuple[dict[str, Any], list[OptionError]]:
    known = {sub.name for sub in options}
    warnings = [
        OptionError((*path, key), UNKNOWN.format(name=key)) for key in given if key not in known
    ]
    values = {}
    for sub in options:
        values[sub.name], more = validate(sub, given.get(sub.name), (*path, sub.name))
        warnings += more
    return values, warnings


def _has_kind(value: Any, kind: type) -> bool:
    if kind is int:  # YAML's `true` is a bool, and a bool is an int to Python
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is dict:
        return isinstance(value, Mapping)
    return isinstance(value, kind)


def _kind_message(option: Option) -> str:
    if option.kind is bool:
        return "must be true or false"
    if option.kind is int:
        return "must be a whole number"
    if option.kind is dict:
        return f"must be a mapping of {_names(option)}"
    if option.kind is list:
        return f"must be a list of mappings of {_names(option)}"
    return "must be text"


def _names(option: Option) -> str:
    return ", ".join(sub.name for sub in option.options)
