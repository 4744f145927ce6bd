"""What one tip's email edition shows, as plain data: the email's "view".

Both writers (`html_edition`, `text_edition`) read this and nothing else, so
the HTML and its plain-text twin always carry the same words and links.
Every URL here is absolute (the body's are made so when it is sanitised): an email
is read far from the site.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from tipweek.core.archive import Archive
from tipweek.core.dates import format_date
from tipweek.core.tips import Tip
from tipweek.core.urls import EMAIL_EDITION, UrlScheme
from tipweek.core.views import Link
from tipweek.email.providers import unsubscribe_link


@dataclass(frozen=True)
class EmailSettings:
    """The site's `email:` options, and the site facts every edition repeats."""

    site_name: str
    site_url: str  # absolute, ending in "/"
    provider: str = "custom"
    from_address: str = ""
    postal_address: str = ""
    logo: str = ""  # absolute URL (made so by `email_settings`), or ""
    logo_width: int = 160
    accent_color: str = "#1a5fb4"
    unsubscribe: str = ""  # the link as written: a merge tag or a URL
    language: str = "en"
    date_format: str = "%-m/%-d/%y"


@dataclass(frozen=True)
class EditionView:
    site: EmailSettings
    title: str
    url: str  # the tip on the web
    date_iso: str
    date_text: str
    preheader: str  # the tip's summary, shown by inboxes beside the subject
    body_html: str  # as rendered for the tip's page; sanitised, made absolute by `sanitise`
    tags: Sequence[Link]
    buttons: Sequence[Link]


def email_settings(
    options: Mapping[str, Any] | None,
    *,
    site_name: str,
    site_url: str,
    language: str | None = None,
    date_format: str = "%-m/%-d/%y",
) -> EmailSettings:
    """`EmailSettings` from the validated `email:` option group (None when not set)."""
    options = options or {}
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    logo = str(options.get("logo") or "")
    return EmailSettings(
        site_name=site_name,
        site_url=site_url,
        provider=str(options.get("provider") or "custom"),
        from_address=str(options.get("from_address") or ""),
        postal_address=str(options.get("postal_address") or ""),
        logo=urljoin(site_url, logo.lstrip("/")) if logo else "",
        logo_width=int(options.get("logo_width") or 160),
        accent_color=str(options.get("accent_color") or "#1a5fb4"),
        unsubscribe=unsubscribe_link(
            str(options.get("provider") or "custom"), str(options.get("unsubscribe") or "")
        ),
        language=language or "en",
        date_format=date_format,
    )


@functools.lru_cache(maxsize=1024)  # the same buttons and tags on every edition
def absolute(site_url: str, url: str) -> str:
    """A call to action's or a tag's URL (site-relative, `/about/`, or absolute), absolute."""
    if url.startswith(("mailto:", "tel:")):
        return url
    return urljoin(site_url, url.lstrip("/") if not url.startswith("//") else url)


def edition_view(
    tip: Tip,
    *,
    archive: Archive,
    scheme: UrlScheme,
    site: EmailSettings,
    body_html: str,
    summary_text: str,
    call_to_action: Sequence[Mapping[str, str]],
) -> EditionView:
    """The edition of `tip`; `body_html` is its rendered HTML (relative or absolute URLs)."""
    url = site.site_url + scheme.tip_url(tip)
    return EditionView(
        site=site,
        title=tip.title,
        url=url,
        date_iso=tip.date.date().isoformat(),
        date_text=format_date(tip.date, site.date_format),
        preheader=tip.summary or summary_text,
        body_html=body_html,
        tags=[
            Link(tag.name, site.site_url + scheme.tag_url(tag.slug)) for tag in archive.tags_of(tip)
        ],
        buttons=[
            Link(str(link["title"]), absolute(site.site_url, str(link.get("url") or "")))
            for link in call_to_action
        ],
    )


def edition_url(scheme: UrlScheme, tip: Tip) -> str:
    """The site path of the tip's edition: in the tip's folder (every tip URL is one)."""
    return scheme.tip_url(tip) + EMAIL_EDITION
