"""The edition as a MIME message, and sending it through SMTP.

`multipart/alternative` with the text first and the HTML last (RFC 2046: the
last part is the richest, the one a capable client shows).  Python's `email`
package writes the headers, so a non-ASCII subject or sender is encoded as
RFC 2047 words and the parts as quoted-printable or base64 UTF-8.

SMTP is for test sends to editors and small lists; the password comes from an
environment variable, never from a file in the repository.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from tipweek.email.edition import EditionView
from tipweek.email.html_edition import edition_html
from tipweek.email.providers import list_unsubscribe
from tipweek.email.text_edition import edition_text

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class SendError(Exception):
    """Why a message could not be sent or the SMTP address understood (one line)."""


def edition_message(
    view: EditionView,
    *,
    written: datetime,
    to: Sequence[str] = (),
    unsubscribe_setting: str = "",
) -> EmailMessage:
    """The edition of `view` as a message from the site's `from_address`, dated `written`
    (when it is written or sent: a test send of next week's tip is not dated next week)."""
    site = view.site
    message = EmailMessage()
    message["Subject"] = view.title
    message["From"] = site.from_address
    if to:
        message["To"] = ", ".join(to)
    message["Date"] = format_datetime(written)
    domain = parseaddr(site.from_address)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid("tipweek", domain=domain)
    header = list_unsubscribe(site.provider, unsubscribe_setting)
    if header:
        message["List-Unsubscribe"] = header
    message.set_content(edition_text(view))
    message.add_alternative(edition_html(view).document, subtype="html")
    return message


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: str  # "starttls-if-offered", "starttls" or "tls"
    user: str = ""


def parse_smtp_url(url: str) -> SmtpServer:
    """`smtp://[user@]host[:port]` (STARTTLS when the server offers it),
    `smtp+starttls://…` (STARTTLS required) or `smtps://…` (TLS from the start)."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise SendError(
            f"{url!r} is not an SMTP address: write smtp://host:port, "
            "smtp+starttls://host:port or smtps://host:port"
        )
    if parts.password:
        raise SendError("the SMTP address must not hold a password: name an environment variable")
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError as error:
        raise SendError(f"{url!r}: {error}") from None
    security = {"smtp": "starttls-if-offered", "smtp+starttls": "starttls", "smtps": "tls"}
    return SmtpServer(parts.hostname, port, security[parts.scheme], unquote(parts.username or ""))


def send(
    message: EmailMessage,
    server: SmtpServer,
    recipients: Sequence[str],
    *,
    password: str | None,
    timeout: float = 30,
) -> None:
    """Send `message` to `recipients` (its `To:` is for show; these are the envelope)."""
    context = ssl.create_default_context()
    try:
        if server.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                server.host, server.port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=timeout)
        with client:
            client.ehlo()
            if server.security != "tls":
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                elif server.security == "starttls":
                    raise SendError(f"{server.host}:{server.port} does not offer STARTTLS")
            if server.user:
                if password is None:
                    raise SendError(f"no password for {server.user}: set the environment variable")
                client.login(server.user, password)
            # The envelope takes bare addresses; a display name (`Zoë <z@x>`) is for `To:`.
            envelope = [parseaddr(recipient)[1] for recipient in recipients]
            refused = client.send_message(message, to_addrs=envelope)
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"{server.host}:{server.port}: {error}") from None
    if refused:
        raise SendError("refused: " + ", ".join(sorted(refused)))


def address_problem(text: str) -> str | None:
    """Why `text` is not one email address (`Name <a@b.c>` or `a@b.c`), or None."""
    name, address = parseaddr(text)
    if not address or "@" not in address or address.startswith("@") or address.endswith("@"):
        return f"{text!r} is not an email address"
    try:
        Address(name, addr_spec=address)
    except (ValueError, IndexError) as error:
        return f"{text!r} is not an email address ({error})"
    return None
