"""Sanitized HTML → Markdown that says exactly what the HTML said, and nothing more.

markdownify writes text nodes back nearly as they are, so a post whose text
*is* Markdown (`[x](javascript:alert(1))`, `{: onclick=... }`, `[1]: ...`)
would become live markup once the site renders it.  `SafeConverter` escapes
every character Python-Markdown (and attr_list) gives a meaning to, keeps
code code (a fence longer than any backtick run inside it), and writes the
structures the site renders: nested lists indented by four spaces, definition
lists for `def_list`, tables with escaped pipes, and figures and media players
as raw HTML with their text made inert.
"""

from __future__ import annotations

import re
import warnings
from html import escape
from typing import Any

from bs4 import MarkupResemblesLocatorWarning
from markdownify import MarkdownConverter

_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
# Characters with an inline meaning in Python-Markdown or its extensions: links and
# images ([ ]), attr_list ({ }), code spans (`), and the escape character itself.
_INLINE_SIGNIFICANT = re.compile(r"([\\`\[\]{}])")
# At the start of a line: headings, list items, rules; markdownify's own patterns.
_LINE_HASHES = re.compile(r"(\s|^)(#{1,6}(?:\s|$))")
# Python-Markdown needs no space after a heading's hashes (`#dowork` is a heading).
_HASH_AT_LINE_START = re.compile(r"(^|\n)([ \t]*)(#)")
_LINE_DASHES = re.compile(r"(\s|^)(-+(?:\s|$))")
_LINE_NUMBER = re.compile(r"((?:\s|^)[0-9]{1,9})([.)](?:\s|$))")
_LINE_QUOTE_PLUS = re.compile(r"(\s|^)([>+])")
# In raw HTML the same characters are written as character references, which
# browsers read as the characters and Markdown leaves alone.
_HTML_TEXT_SIGNIFICANT = re.compile(r"[\\`\[\]{}*_]")
_BACKTICKS = re.compile(r"`+")
# What `convert.code_language` leaves on a code block: a word fenced_code takes as its language.
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9_+#.-]{1,30}$")
# Python-Markdown nests a list only at four spaces (its tab length).
LIST_INDENT = "    "
# Mark where inline code spans start and end during a conversion (never in a post).
_CODE_START, _CODE_END = "\x01", "\x02"
# A line that is only a code fence's opening (with its language, if any).
_FENCE_LINE = re.compile(r"\A`{3,}[\w+#.-]*\Z")
# Put before a list item or definition that begins with a fenced block: a fence on the
# bullet's (or the colon's) own line is read as a code span.
_EMPTY_FIRST_LINE = "<!-- -->\n\n"


def escape_text(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text."""
    text = _INLINE_SIGNIFICANT.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = _TAG_LIKE.sub("&lt;", text)
    text = _LINE_HASHES.sub(r"\1\\\2", text)
    text = _HASH_AT_LINE_START.sub(r"\1\2\\\3", text)
    text = _LINE_DASHES.sub(r"\1\\\2", text)
    text = _LINE_NUMBER.sub(r"\1\\\2", text)
    text = _LINE_QUOTE_PLUS.sub(r"\1\\\2", text)
    # `|` everywhere, not only in tables: two lines of text can make a table. (MkDocs
    # always enables `tables`, which makes `\|` an escape.)
    return text.replace("*", r"\*").replace("_", r"\_").replace("|", r"\|")


def inert_html(element: Any) -> str:
    """A sanitized element as HTML on one line, its text unreadable as Markdown.

    Used for what Markdown has no syntax for (figures, players).  It may end up
    inside a list item, where Python-Markdown reads the text between tags as
    Markdown, hence the character references.
    """
    if isinstance(element, str):  # a bs4 NavigableString
        if not element.strip() and getattr(element.parent, "name", "") == "figure":
            return ""  # the line breaks between a figure's image and its caption
        text = re.sub(r"\s+", " ", str(element))  # one line: a blank one would end the block
        text = escape(text, quote=False)
        return _HTML_TEXT_SIGNIFICANT.sub(lambda m: f"&#{ord(m.group(0))};", text)
    name = element.name
    attributes = "".join(
        f' {key}="{escape(value if isinstance(value, str) else " ".join(value))}"'
        for key, value in element.attrs.items()
    )
    if name in ("img", "br", "hr", "source"):
        return f"<{name}{attributes}>"
    inner = "".join(inert_html(child) for child in element.children)
    if name == "figcaption":
        inner = inner.strip()
    return f"<{name}{attributes}>{inner}</{name}>"


def _language(pre: Any) -> str:
    """The `language-x` the sanitizer left on a `<pre>` or its `<code>` (class or lang), as `x`."""
    for element in (pre, pre.find("code")):
        if element is None:
            continue
        names = [*(element.get("class") or []), element.get("lang") or ""]
        for name in names:
            if _LANGUAGE_CLASS.match(name):
                return name.removeprefix("language-")
    return ""


def _fence_off_the_first_line(text: str) -> str:
    """A list item's or definition's text, with an empty first line if a fence opens it."""
    if _FENCE_LINE.match(text.split("\n", 1)[0]):
        return _EMPTY_FIRST_LINE + text
    return text


def _fence(text: str) -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    return "`" * max(3, longest + 1)


class SafeConverter(MarkdownConverter):
    """markdownify with every text escaped and the site's own block syntax.

    `nested_fences`: the site enables `pymdownx.superfences`, which reads fenced
    code inside lists, quotes and definitions; without it only indented code
    works there, and a language such a block had is listed in `lost_languages`.
    """

    def __init__(self, *, nested_fences: bool = False, **options: Any) -> None:
        options.setdefault("heading_style", "ATX")
        options.setdefault("bullets", "-")
        options.setdefault("table_infer_header", True)
        super().__init__(**options)
        self.nested_fences = nested_fences
        self.lost_languages: list[str] = []

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text)

    @staticmethod
    def _quoted_title(title: str | None) -> str:
        # A double quote would end the title early; a typographic one reads the same.
        return f' "{title.replace(chr(34), chr(0x201D))}"' if title else ""

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        href = el.get("href")
        if not text.strip() or not href:
            return text
        prefix = " " if text[:1].isspace() else ""
        suffix = " " if text[-1:].isspace() else ""
        return f"{prefix}[{text.strip()}]({href}{self._quoted_title(el.get('title'))}){suffix}"

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        alt = escape_text(" ".join((el.attrs.get("alt") or "").split()))
        src = el.attrs.get("src") or ""
        if not src:
            return alt
        if el.get("class") and "_noformat" not in parent_tags:
            # Left or right of the text: Markdown's image has no room for a class.
            return inert_html(el)
        return f"![{alt}]({src}{self._quoted_title(el.attrs.get('title'))})"

    def convert(self, html: str) -> str:
        with warnings.catch_warnings():
            # A post that is only a web address is a post, not a file name (bs4 warns).
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            markdown = super().convert(html.replace(_CODE_START, "").replace(_CODE_END, ""))
        # Two code spans side by side would merge their backtick runs (`a``` `` ```)
        # and free what was code; an empty comment keeps them apart, invisibly.
        markdown = markdown.replace(_CODE_END + _CODE_START, _CODE_END + "<!-- -->" + _CODE_START)
        return markdown.replace(_CODE_START, "").replace(_CODE_END, "")

    def convert_code(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text  # a code block's text, lines and all: `convert_pre` fences it
        raw = el.get_text()
        if "\n" in raw.strip() and not parent_tags & {"_noformat", "_inline"}:
            # Multi-line <code> outside <pre> is a code block that lost its <pre>;
            # its raw text, since markdownify has collapsed the indentation.
            return self.convert_pre(el, raw.strip("\n"), parent_tags)
        span = super().convert_code(el, text.replace("\n", " "), parent_tags)
        if "_noformat" in parent_tags or not span.strip():
            return span
        return f"{_CODE_START}{span}{_CODE_END}"

    def convert_br(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:  # a preformatted block's line break (the block editor's)
            return "\n"
        return super().convert_br(el, text, parent_tags)

    def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
        text = text.strip("\n")
        if not text.strip():
            return ""
        language = _language(el)
        if parent_tags & {"li", "blockquote", "dd"} and not self.nested_fences:
            # fenced_code only works at the top level; indented code works inside
            # lists and quotes, and its content is never read as Markdown.
            if language:
                self.lost_languages.append(language)
            lines = [LIST_INDENT + line if line.strip() else "" for line in text.split("\n")]
            return "\n\n" + "\n".join(lines) + "\n\n"
        fence = _fence(text)
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    def convert_blockquote(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return super().convert_blockquote(el, text, parent_tags)
        # Strip line breaks only: a code block's first line keeps its indentation, or it
        # would be read as Markdown inside the quote.
        text = (text or "").strip("\n")
        if not text.strip():
            return "\n"
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))
        return f"\n\n{quoted}\n\n"

    def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            first = int(start) if start.isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        text = _fence_off_the_first_line(text)
        lines = text.split("\n")
        rest = [LIST_INDENT + line if line.strip() else "" for line in lines[1:]]
        # An item of several blocks (a code block, paragraphs) ends with a blank line:
        # without it, Python-Markdown reads the next item as part of the last block.
        end = "\n\n" if "\n\n" in text else "\n"
        return "\n".join([bullet + lines[0], *rest]) + end

    def convert_dd(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" not in parent_tags:
            text = _fence_off_the_first_line((text or "").strip())
        return super().convert_dd(el, text, parent_tags)

    def convert_figure(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{inert_html(el)}\n\n"

    def convert_div(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if el.get("class"):  # a gallery (the sanitizer keeps no other class on a div)
            return f"\n\n{inert_html(el)}\n\n"
        return super().convert_div(el, text, parent_tags)

    def convert_audio(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n<figure>{inert_html(el)}</figure>\n\n"

    convert_video = convert_audio
