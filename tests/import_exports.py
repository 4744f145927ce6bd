"""Small WordPress exports made for a test: one post, in any encoding, with any content."""

from __future__ import annotations

from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).parent / "fixtures" / "import" / "real" / "one-post.wxr.tmpl"
POST_LINK = "https://harbour.example.net/2019/03/05/desk-notes/"
TIP = "tips/2019/2019-03-05-desk-notes.md"


def one_post_export(
    folder: Path,
    *,
    content: str = "<p>Answer the phone.</p>",
    title: str = "Desk Notes",
    encoding: str = "UTF-8",
    codec: str | None = None,
    categories: list[str] | None = None,
    link: str = POST_LINK,
    slug: str = "desk-notes",
    name: str = "export.xml",
) -> Path:
    """An export of one post, written in `codec` (default: the declared `encoding`)."""
    terms = "".join(
        f'\t\t<category domain="category" nicename="c{n}"><![CDATA[{term}]]></category>\n'
        for n, term in enumerate(categories or [])
    )
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        encoding=encoding, title=title, content=content, categories=terms, link=link, slug=slug
    )
    text = text.replace(' encoding=""', "")  # no encoding declared
    path = folder / name
    path.write_bytes(text.encode(codec or encoding or "utf-8"))
    return path
