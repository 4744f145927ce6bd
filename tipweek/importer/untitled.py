"""A title for a post that has none: WordPress's asides and status updates.

WordPress shows such a post without a heading, but every tip needs a title (it
is the link text of every listing), so one is made from the post's first
words, or from its date when it has no words at all.  The report flags it.
"""

from __future__ import annotations

import re
from datetime import datetime

from tipweek.importer.convert import plain_text

TITLE_WORDS = 8
TITLE_CHARS = 70
_SHORTCODE = re.compile(r"\[/?[A-Za-z][\w-]*[^\]]*\]")


def made_up_title(content_html: str, moment: datetime) -> str:
    """The post's first words (an ellipsis when there are more), else `Post of July 22, 2014`."""
    # Block tags become spaces first, so `<p>One</p><p>Two</p>` gives two words.
    spaced = re.sub(r"<(?!/?(?:a|b|i|em|strong|span|code)\b)", " <", content_html)
    words = plain_text(_SHORTCODE.sub(" ", spaced)).split()
    if not words:
        return f"Post of {moment:%B} {moment.day}, {moment.year}"
    title = " ".join(words[:TITLE_WORDS])
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0] or title[:TITLE_CHARS]
    if len(words) > TITLE_WORDS or title != " ".join(words):
        title = title.rstrip(".,;:!?") + "\u2026"
    return title
