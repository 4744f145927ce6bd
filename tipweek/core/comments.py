"""Comments under a tip: a giscus thread, a "Reply by email" link, or nothing.

The old WordPress site had a "Leave a Reply" form under each tip.  A static site
has two honest replacements: giscus (GitHub Discussions, the integration
Material documents: a `giscus.app/client.js` script configured by `data-*`
attributes) or a `mailto:` link whose subject names the tip.  This module turns
the plugin's options into plain data for `tipweek/partials/comments.html`; only
tip pages show it, so no other page loads anything for comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

KINDS = ("giscus", "email")
GISCUS_SCRIPT = "https://giscus.app/client.js"
GISCUS_REQUIRED = ("repo", "repo_id", "category", "category_id")


@dataclass(frozen=True)
class CommentSettings:
    """`kind` is "giscus" or "email"; the rest is that kind's settings."""

    kind: str
    email: str = ""
    # giscus' `data-*` settings without the prefix: repo, repo-id, category, ...
    giscus: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class CommentsView:
    kind: str
    # email: the mailto: link; giscus: the script's URL.
    href: str
    # giscus: the script's `data-*` attributes, in order.
    attributes: Sequence[tuple[str, str]] = ()


class CommentsError(ValueError):
    """An option comments need is missing or wrong; the message names it."""


def comment_settings(
    kind: str | bool | None, *, email: str = "", giscus: dict[str, object] | None = None
) -> CommentSettings | None:
    """Check the options; None when comments are off (`comments: off` reads as false)."""
    if kind in (None, False, "off", "none", ""):
        return None
    if kind == "email":
        address = email.strip()
        if "@" not in address or any(c in address for c in " <>\"'?&\n"):
            raise CommentsError(
                "comments: email needs comments_email: an address such as tips@example.org"
            )
        return CommentSettings("email", email=address)
    if kind == "giscus":
        options = giscus or {}
        missing = [name for name in GISCUS_REQUIRED if not str(options.get(name) or "").strip()]
        if missing:
            raise CommentsError(
                "comments: giscus needs giscus: "
                + ", ".join(missing)
                + " (giscus.app shows them for your repository)"
            )
        attributes = [
            ("repo", str(options["repo"])),
            ("repo-id", str(options["repo_id"])),
            ("category", str(options["category"])),
            ("category-id", str(options["category_id"])),
            ("mapping", str(options.get("mapping") or "pathname")),
            ("reactions-enabled", "1" if options.get("reactions", True) else "0"),
            # The page shows the thread's comment count from giscus' metadata message.
            ("emit-metadata", "1"),
            ("input-position", str(options.get("input_position") or "top")),
            ("theme", "light"),  # switched to the reader's palette by the page's script
            ("lang", str(options.get("lang") or "en")),
            ("loading", "lazy"),
        ]
        return CommentSettings("giscus", giscus=attributes)
    raise CommentsError(f"comments must be giscus, email or off, not {kind!r}")


def comments_view(settings: CommentSettings | None, title: str) -> CommentsView | None:
    """What a tip titled `title` shows under it."""
    if settings is None:
        return None
    if settings.kind == "email":
        subject = quote(f"Re: {title}", safe="")
        return CommentsView("email", f"mailto:{settings.email}?subject={subject}")
    return CommentsView("giscus", GISCUS_SCRIPT, tuple(settings.giscus))
