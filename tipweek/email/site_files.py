"""What the site carries of the email: each tip's edition, and the email feed.

The edition of a tip is written beside its page (`2025/07/01/x/email.html`),
so `mkdocs serve` shows it and an editor can open it in any browser.  The
email feed (`email.xml`) is for RSS-to-email services (Mailchimp's RSS
campaigns, Buttondown, Kit): the newest tips, each with the edition's content
(styled inline, URLs absolute) in `content:encoded`, so the service sends what
the edition shows.  It is made by the same feed code as the site's feeds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from tipweek.core.archive import Archive
from tipweek.core.documents import feed_item
from tipweek.core.feeds import Feed, render_rss
from tipweek.core.project import Author
from tipweek.core.tip_text import TipText
from tipweek.core.tips import Tip
from tipweek.core.urls import EMAIL_FEED, UrlScheme
from tipweek.email.edition import EditionView, EmailSettings, edition_url, edition_view
from tipweek.email.html_edition import edition_html


class EditionStore(Protocol):
    """Editions made before, by `view_key` (`tipweek.speed.email_editions`)."""

    def get_many(self, keys: list[str]) -> dict[str, bytes]: ...

    def put(self, key: str, document: bytes) -> None: ...


def view_key(view: EditionView) -> str:
    """A digest of everything an edition shows: its view is plain data (text, numbers,
    lists and the site's email settings), whose `repr` names every value."""
    return hashlib.blake2b(repr(view).encode("utf-8"), digest_size=20).hexdigest()


def email_paths(archive: Archive, scheme: UrlScheme) -> list[str]:
    """Every file `email_documents` writes: one edition per tip shown, and the feed."""
    return [*(edition_url(scheme, tip) for tip in archive.tips), EMAIL_FEED]


def email_documents(
    archive: Archive,
    scheme: UrlScheme,
    *,
    html_of: Callable[[Tip], str],
    summary_of: Callable[[Tip], str],
    text_of: Callable[[Tip], TipText],
    site: EmailSettings,
    call_to_action: Sequence[Mapping[str, str]],
    description: str,
    authors: dict[str, Author],
    limit: int,
    store: EditionStore | None = None,
) -> dict[str, bytes]:
    """Each tip's edition and the email feed, keyed by site path.

    `html_of(tip)` is the tip's rendered HTML, `summary_of(tip)` its excerpt's
    text (the preheader of a tip without `summary:`), `text_of(tip)` its
    `TipText` with the feed's copies (asked only of the tips in the feed).  A
    `store` gives back editions made before from an identical view (`view_key`).
    """
    documents: dict[str, bytes] = {}
    fragments: dict[str, str] = {}
    newest = {tip.source for tip in archive.tips[:limit]}
    views = [
        edition_view(
            tip,
            archive=archive,
            scheme=scheme,
            site=site,
            body_html=html_of(tip),
            summary_text=summary_of(tip),
            call_to_action=call_to_action,
        )
        for tip in archive.tips
    ]
    # The feed's tips need their fragment as well: made afresh, like any edition
    # without a store.
    keys = {
        tip.source: view_key(view)
        for tip, view in zip(archive.tips, views, strict=True)
        if store is not None and tip.source not in newest
    }
    found = store.get_many(list(keys.values())) if store is not None else {}
    for tip, view in zip(archive.tips, views, strict=True):
        key = keys.get(tip.source)
        document = found.get(key) if key is not None else None
        if document is None:
            edition = edition_html(view)
            document = edition.document.encode("utf-8")
            if tip.source in newest:
                fragments[tip.source] = edition.fragment
            elif store is not None and key is not None:
                store.put(key, document)
        documents[edition_url(scheme, tip)] = document
    items = [
        replace(feed_item(tip, archive, text_of(tip), authors), content_html=fragments[tip.source])
        for tip in archive.tips[:limit]
    ]
    documents[EMAIL_FEED] = render_rss(
        Feed(
            title=f"{site.site_name}: email edition",
            link=site.site_url,
            self_url=site.site_url + EMAIL_FEED,
            description=description or site.site_name,
            language=site.language,
            items=items,
        )
    )
    return documents
