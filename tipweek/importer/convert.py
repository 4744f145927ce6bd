"""A post's HTML → sanitized HTML (nh3) → Markdown (markdownify); titles and excerpts as text.

Old posts come from a site that anyone with an account could write to, so
their HTML is untrusted: nh3 (a real sanitizer, not a regex) keeps only
formatting tags and http/https/mailto links, which drops `<script>`, every
`on...=` handler and `javascript:` URLs.  WordPress specifics handled here:

- WXR holds the raw post text; WordPress adds `<p>` tags only when it shows a
  post (`wpautop`), so `add_paragraphs` does the same before conversion;
- `<!--more-->` (or, in a rendered feed, `<span id="more-123">`) becomes the
  tip's excerpt marker `<!-- more -->`;
- shortcodes become figures, media players and links (`shortcodes`), oEmbed
  addresses named links (`embeds`); `Converted.notes` says what was approximated.

The Markdown is written by `markdown_writer.SafeConverter`, which escapes what
Markdown would read as markup; `inert` then checks the rendered result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import quote, urljoin

import nh3
from bs4 import BeautifulSoup

from tipweek.core.markup import rewrite_urls
from tipweek.importer.embeds import link_embeds
from tipweek.importer.layout import layout_class, old_host_images
from tipweek.importer.markdown_writer import SafeConverter
from tipweek.importer.rendered_media import figures_from_rendered_media
from tipweek.importer.shortcodes import MediaContext, expand_shortcodes

MORE_MARKER = "<!-- more -->"
# Stands in for the marker while the text goes through nh3 (which drops comments)
# and markdownify; letters only, so neither escapes nor splits it.
_MORE_TOKEN = "TIPWEEKMOREMARKERQZX"
_WORDPRESS_MORE = re.compile(
    r"<!--\s*more\b.*?-->|<span\s+id=[\"']more-\d+[\"']\s*>\s*</span>", re.IGNORECASE | re.DOTALL
)
_NEXTPAGE = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)
_BLOCK_TAGS = (
    "table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|form|map|"
    "area|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|object|"
    "embed|video|audio|noscript|!--"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})(?=[\s/>]|$))", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})\s*>|-->)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK_TAGS})(?=[\s/>]|$)", re.IGNORECASE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
# Prism and highlight.js (`language-x`, `lang-x`), SyntaxHighlighter (`brush: x;`),
# WP-Syntax and others (`lang:x`, `<pre lang="x">`).
_CODE_LANGUAGE = re.compile(
    r"(?:^|\s)(?:language-|lang-|lang:|brush:\s*)([A-Za-z0-9_+#.-]{1,30})(?=[\s;]|$)"
)
_DEFINITION_LIST = re.compile(r"<dl[\s>]", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FEED_FOOTER = re.compile(r"\n*The post \[.*?\]\(.*?\) appeared first on .*?\Z", re.DOTALL)


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "audio", "video", "source",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # Only a code block's language survives (`_attribute_filter` rewrites the class).
    "pre": {"class", "lang"},
    "code": {"class"},
    "img": {"src", "alt", "title", "class"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    # Layout only: `layout.layout_class` keeps a gallery and left/right alignment.
    "div": {"class"},
    "figure": {"class"},
    "th": {"colspan", "rowspan"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload"},
    "source": {"src", "type"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Converted:
    """A post's Markdown body and what was approximated to get it."""

    markdown: str
    notes: list[str] = field(default_factory=list)
    # Markdown extensions the body's syntax needs beyond MkDocs' own (`def_list`).
    extensions: set[str] = field(default_factory=set)


def post_markdown(content_html: str, *, needs_paragraphs: bool = False, base_url: str = "") -> str:
    """The Markdown body of a post (see `convert_post`)."""
    return convert_post(content_html, needs_paragraphs=needs_paragraphs, base_url=base_url).markdown


def convert_post(
    content_html: str,
    *,
    needs_paragraphs: bool = False,
    base_url: str = "",
    media: MediaContext | None = None,
    nested_fences: bool = False,
) -> Converted:
    """The Markdown body of a post: sanitized, shortcodes expanded, excerpt marker kept.

    Relative links and images are made absolute against `base_url` (the old
    post's address): they pointed into the old site, and still should.
    `media` holds the export's attachments, for galleries and playlists.
    `nested_fences`: the site reads fenced code inside lists and quotes
    (`pymdownx.superfences`), so such code keeps its language.
    """
    media = media or MediaContext(post_link=base_url)
    text = content_html.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _NEXTPAGE.sub("", text)
    text = _WORDPRESS_MORE.sub(f"\n\n{_MORE_TOKEN}\n\n", text, count=1)
    text = _WORDPRESS_MORE.sub("", text)
    text = expand_shortcodes(text, media)
    text = link_embeds(text, media.notes, raw=needs_paragraphs)
    text = figures_from_rendered_media(text, media.notes)
    if needs_paragraphs:
        text = add_paragraphs(text)
    html = sanitize(text)
    if base_url:
        html = rewrite_urls(html, lambda url: _absolute(url, base_url))
    else:
        html = _unlink_relative(html, media.notes)
    for note in old_host_images(html, base_url):
        media.note(note)
    converter = SafeConverter(nested_fences=nested_fences)
    markdown = converter.convert(html)
    if converter.lost_languages:
        languages = ", ".join(sorted(set(converter.lost_languages)))
        media.note(
            f"code inside a list or quote is written without its language ({languages}): "
            "add `- pymdownx.superfences` to mkdocs.yml's markdown_extensions to keep it"
        )
    markdown = _FEED_FOOTER.sub("", markdown.strip())
    if _MORE_TOKEN in markdown:
        before, _, after = markdown.partition(_MORE_TOKEN)
        markdown = f"{before.rstrip()}\n\n{MORE_MARKER}\n\n{after.lstrip()}"
    extensions = {"def_list"} if _DEFINITION_LIST.search(html) else set()
    return Converted(re.sub(r"\n{3,}", "\n\n", markdown).strip(), media.notes, extensions)


def _unlink_relative(html: str, notes: list[str]) -> str:
    """Without a base URL a relative link has no target: keep its text, say so.

    (A link such as `test.html` would point into the new site, where nothing
    answers; `mkdocs build --strict` fails on it.)
    """
    if "href=" not in html and "src=" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    links = images = 0
    for element in soup.find_all(["a", "img", "audio", "video", "source"]):
        attribute = "href" if element.name == "a" else "src"
        url = element.get(attribute)
        if not isinstance(url, str) or not _is_relative(url):
            continue
        if element.name == "img":
            element.replace_with(element.get("alt") or "")
            images += 1
        else:
            del element[attribute]
            links += element.name == "a"
            images += element.name != "a"
    if links or images:
        counted = [
            f"{count} relative {what}{'s' if count > 1 else ''}"
            for count, what in ((links, "link"), (images, "image or media file"))
            if count
        ]
        notes.append(
            f"{' and '.join(counted)} with no address to resolve them against "
            "(the entry and the feed have no link): kept as text"
        )
        return str(soup)
    return html


def _is_relative(url: str) -> bool:
    """A path relative to the page (`test.html`, `../x`); not `#anchor`, `/path` or a URL."""
    url = url.strip()
    return bool(url) and not url.startswith(("#", "/")) and not _SCHEME.match(url)


def sanitize(html: str) -> str:
    """Only formatting tags and safe links survive; scripts and handlers are gone."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel=None,
    )


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Percent-encode what would end a Markdown link early (spaces, parentheses);
    reduce a code block's classes to its language."""
    if attribute in ("href", "src"):
        return quote(value.strip(), safe="/:?#[]@!$&'*+,;=%~")
    if tag in ("pre", "code") and attribute in ("class", "lang"):
        language = code_language(value if attribute == "class" else f"lang-{value}")
        return f"language-{language}" if language else None
    if attribute == "class":
        return layout_class(tag, value)
    return value


def code_language(classes: str) -> str | None:
    """The language a highlighter's classes name: `language-php`, `lang-js`, `brush: php;`."""
    match = _CODE_LANGUAGE.search(classes)
    return match.group(1).lower() if match else None


def _absolute(url: str, base_url: str) -> str:
    if not url or url.startswith("#"):  # an anchor within the post itself
        return url
    return urljoin(base_url, url)


def add_paragraphs(text: str) -> str:
    """WordPress's `wpautop`, simplified: blank lines separate paragraphs, a newline is a break.

    Block elements (lists, tables, headings, existing paragraphs) are left as
    they are, and `<pre>` keeps its blank lines.
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\nTIPWEEKPRE{len(kept) - 1}X\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        placeholder = re.fullmatch(r"TIPWEEKPRE(\d+)X", chunk)
        if placeholder:
            blocks.append(kept[int(placeholder.group(1))])
        elif _STARTS_WITH_BLOCK.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    return "\n".join(blocks)


def plain_text(html: str) -> str:
    """The text of some HTML: tags dropped, entities decoded, whitespace collapsed."""
    text = unescape(nh3.clean(html, tags=set()))
    return " ".join(text.split())


def clean_title(title_html: str, date_suffix: re.Pattern[str] | None) -> str:
    """The title as text, without a trailing date such as ` - 7/22/14 TOW` (any dash)."""
    title = plain_text(title_html)
    if date_suffix is None:
        return title
    stripped = date_suffix.sub("", title, count=1).strip().rstrip("-\u2013\u2014|:,").strip()
    return stripped or title


def summary_text(excerpt_html: str, content_html: str, *, written: bool) -> str | None:
    """The excerpt as plain text, or None when there is none worth keeping.

    `written` excerpts (WordPress's own excerpt field) are kept as they are.
    A feed's description is often just the post's first words plus `[…]`:
    such an automatic excerpt is dropped, so the tip's own excerpt rules apply.
    """
    text = plain_text(excerpt_html)
    if not text:
        return None
    if written:
        return text
    text = re.sub(r"\s*(\[\s*(…|\.\.\.)\s*\]|…|\.\.\.)$", "", text).strip()
    body = plain_text(content_html)
    if not text or body.startswith(text):
        return None
    return text
