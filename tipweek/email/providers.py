"""Mailing services and how each spells "this reader's unsubscribe link".

An edition is written once and sent by a service that replaces its own merge
tags per reader; the unsubscribe link must be that service's tag, or readers
get a link that goes nowhere (and the service may refuse the campaign).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tipweek.core.options import EMAIL_PROVIDERS

#: provider → its unsubscribe merge tag, as its documentation spells it.
UNSUBSCRIBE_TAGS: dict[str, str] = {
    "mailchimp": "*|UNSUB|*",
    "listmonk": "{{ UnsubscribeURL }}",
    "buttondown": "{{ unsubscribe_url }}",
    "kit": "{{ unsubscribe_url }}",
    "convertkit": "{{ unsubscribe_url }}",
    "mailerlite": "{$unsubscribe}",
    "brevo": "{{ unsubscribe }}",
    "sendy": "[unsubscribe]",
}
#: The `provider` choices of the options schema: these, and `custom`, whose
#: `unsubscribe` setting is the link (a URL, or another service's tag).
PROVIDERS: tuple[str, ...] = EMAIL_PROVIDERS


def unsubscribe_link(provider: str, custom: str) -> str:
    """What the edition's unsubscribe link points at ("" when there is none)."""
    return UNSUBSCRIBE_TAGS.get(provider, custom.strip())


def list_unsubscribe(provider: str, custom: str) -> str | None:
    """The `List-Unsubscribe` header of a message `tipweek email` writes, if any.

    Only a real address can go there: a merge tag is replaced by the service
    that sends the campaign (and that service writes its own header), while a
    message written here goes out as it is.
    """
    link = unsubscribe_link(provider, custom)
    if provider != "custom" or not is_real_address(link):
        return None
    return f"<{link}>"


def is_real_address(link: str) -> bool:
    parts = urlsplit(link)
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return parts.scheme == "mailto" and "@" in parts.path
