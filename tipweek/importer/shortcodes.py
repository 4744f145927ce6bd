"""WordPress shortcodes in a post's raw text → plain HTML the sanitizer keeps.

Core WordPress ships six content shortcodes; each becomes markup that means the
same on a static site, built here as HTML so it then goes through nh3 like the
rest of the post:

- `[caption]<img> Text[/caption]` → `<figure>` with the image and a `<figcaption>`;
- `[gallery ids="1,2"]` → one figure per image, linking to the original file
  (image addresses come from the export's attachment items: by id, or the
  post's own attachments when the gallery names none);
- `[audio]`, `[video]` → `<audio>`/`<video>` with a link to the file inside,
  `[playlist]` → one of those per attachment;
- `[embed]URL[/embed]` → a link named after the provider (`embeds`).

Everything else in square brackets that looks like a shortcode keeps its inner
text and is reported; `[[gallery]]` is WordPress's way to write the literal
text `[gallery]`, and stays that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import urlsplit

from tipweek.importer.embeds import embed_link, provider_label
from tipweek.importer.layout import GALLERY_MARKER

# WordPress's attribute grammar (shortcode_parse_atts): name="v", name='v', name=v, bare value.
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
_NAME = r"[A-Za-z][\w-]*"
# `[[name ...]]` is an escaped shortcode; `[name ...]...[/name]` or `[name ... /]` or `[name ...]`.
# Attributes never hold brackets or tags, which keeps `[y' src=...>` in an alt text a text.
_SHORTCODE = re.compile(
    rf"\[(\[?)({_NAME})(?=[\s/\]])([^\]\[<>]*?)(/?)\](?:(.*?)\[/\2\])?(\]?)", re.DOTALL
)
# Stands in for the `[` of an escaped shortcode until every pass is done; a NUL
# means nothing in a post, so input NULs are dropped first.
_HIDDEN_BRACKET = "\x00"
# A caption's content: the (linked) image first, the caption text after it.
_CAPTIONED_MEDIA = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL
)
# Embed shortcodes of Jetpack and WordPress.com, named after what they embed.
PLUGIN_EMBEDS = {
    "youtube", "vimeo", "dailymotion", "ted", "slideshare", "soundcloud", "spotify",
    "tweet", "twitter", "flickr", "instagram", "scribd", "mixcloud", "wpvideo",
}  # fmt: skip
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_AUDIO_TYPES = ("mp3", "ogg", "oga", "wav", "m4a", "flac", "wma")
_VIDEO_TYPES = ("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
_LANGUAGE_NAME = re.compile(r"^[A-Za-z0-9_+#.-]{1,30}$")
_MAX_DEPTH = 10  # shortcodes nest (a caption inside a column); unwrap level by level


@dataclass(frozen=True)
class Attachment:
    """A media item of a WordPress export: what a gallery or playlist points to."""

    post_id: str
    url: str
    title: str = ""
    alt: str = ""  # the image's own alt text; galleries fall back to the title
    caption: str = ""
    parent_id: str = ""
    order: int = 0


@dataclass
class MediaContext:
    """What a post's shortcodes may refer to, and the notes on what was approximated."""

    attachments: dict[str, Attachment] = field(default_factory=dict)
    post_id: str = ""
    post_link: str = ""
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def children(self) -> list[Attachment]:
        """The post's own attachments, in WordPress's gallery order (menu order, then id)."""
        own = [a for a in self.attachments.values() if self.post_id and a.parent_id == self.post_id]
        return sorted(own, key=lambda a: (a.order, int(a.post_id) if a.post_id.isdigit() else 0))


def parse_attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes; bare values are numbered `0`, `1`, ... as in WordPress."""
    values: dict[str, str] = {}
    bare = 0
    for match in _ATTRIBUTE.finditer(unescape(text)):
        name = match.group(1) or match.group(3) or match.group(5)
        if name:
            value = match.group(2) if match.group(1) else match.group(4) or match.group(6)
            values[name.lower()] = (value or "").strip()
        else:
            values[str(bare)] = next(g for g in match.groups()[6:] if g is not None)
            bare += 1
    return values


def expand_shortcodes(text: str, context: MediaContext) -> str:
    """Replace every shortcode in `text` by HTML; notes go to `context.notes`."""
    text = text.replace(_HIDDEN_BRACKET, "")
    for _ in range(_MAX_DEPTH):
        expanded = _SHORTCODE.sub(lambda m: _replace(m, context), text)
        if expanded == text:
            break
        text = expanded
    return text.replace(_HIDDEN_BRACKET, "[")


def _replace(match: re.Match[str], context: MediaContext) -> str:
    opening, name, attributes, _slash, inner, closing = match.groups()
    if opening and closing:  # [[gallery]]: the literal text `[gallery]`, hidden from later passes
        return _HIDDEN_BRACKET + match.group(0)[2:-1]
    lower = name.lower()
    handler = _HANDLERS.get(lower)
    if handler is not None:
        return opening + handler(parse_attributes(attributes), inner or "", context) + closing
    embedded = _plugin_embed(lower, parse_attributes(attributes), inner, context)
    if embedded is not None:
        return opening + embedded + closing
    if inner is None and "=" not in attributes:
        return match.group(0)  # `[sic]`, `[1]`, `[Editor's note]`: ordinary text in brackets
    if inner is None:
        context.note(f"shortcode [{lower}] removed (tipweek has no equivalent)")
        return opening + closing
    context.note(f"shortcode [{lower}] reduced to its text")
    return opening + inner + closing


def _plugin_embed(
    name: str, attributes: dict[str, str], inner: str | None, context: MediaContext
) -> str | None:
    """`[youtube https://...]`, `[vimeo]URL[/vimeo]` (Jetpack, WordPress.com) → a named link.

    Only for a web address of a provider WordPress embeds, or a shortcode named
    after one, so `[see https://example.org]` stays the text it is.
    """
    candidates = [attributes.get(key, "") for key in ("0", "url", "src")] + [inner or ""]
    url = next((c.strip() for c in candidates if _WEB_ADDRESS.match(c.strip())), "")
    if not url or not (provider_label(url) or name in PLUGIN_EMBEDS):
        return None
    context.note(f"shortcode [{name}] of {url} became a link")
    return f"\n\n<p>{embed_link(url)}</p>\n\n"


def _caption(attributes: dict[str, str], inner: str, context: MediaContext) -> str:
    match = _CAPTIONED_MEDIA.match(inner)
    if match is None:
        context.note("a [caption] without an image was reduced to its text")
        return inner
    media, text = match.group(1), match.group(2).strip()
    text = text or attributes.get("caption", "")
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    # `align="alignleft"`: the sanitizer keeps it as tipweek's own class.
    align = escape(attributes.get("align", ""))
    return f'\n\n<figure class="{align}">{media}{caption}</figure>\n\n'


def _figure(url: str, alt: str, caption: str, linked: bool) -> str:
    image = f'<img src="{escape(url)}" alt="{escape(alt)}">'
    if linked:
        image = f'<a href="{escape(url)}">{image}</a>'
    text = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{image}{text}</figure>"


def _selected(attributes: dict[str, str], context: MediaContext, kind: str) -> list[Attachment]:
    """The attachments a gallery or playlist shows; notes any the export lacks."""
    ids = [i.strip() for i in re.split(r"[,\s]+", attributes.get("ids", "")) if i.strip()]
    ids += [i.strip() for i in attributes.get("include", "").split(",") if i.strip()]
    if ids:
        found = [context.attachments[i] for i in ids if i in context.attachments]
        missing = [i for i in ids if i not in context.attachments]
        if missing:
            context.note(
                f"{kind}: attachment{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                "not in the source, left out"
            )
        return found
    excluded = {i.strip() for i in attributes.get("exclude", "").split(",")}
    return [a for a in context.children() if a.post_id not in excluded]


def _gallery(attributes: dict[str, str], _inner: str, context: MediaContext) -> str:
    images = [a for a in _selected(attributes, context, "[gallery]") if _media_kind(a.url) is None]
    if not images:
        context.note("[gallery]: no image of it is in the source; linked to the old post instead")
        return _old_post_link("Photo gallery on the old site", context)
    linked = attributes.get("link", "") != "none"
    context.note(f"[gallery] of {len(images)} image{'s' if len(images) > 1 else ''} became a grid")
    figures = "".join(_figure(a.url, a.alt or a.title, a.caption, linked) for a in images)
    return f'\n\n<div class="{GALLERY_MARKER}">{figures}</div>\n\n'


def _media_url(attributes: dict[str, str], kinds: tuple[str, ...]) -> str:
    for name in ("src", *kinds, "0"):
        url = attributes.get(name, "")
        if url and urlsplit(url).scheme.lower() in ("http", "https", ""):
            return url
    return ""


def _media_kind(url: str) -> str | None:
    extension = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    if extension in _AUDIO_TYPES:
        return "audio"
    if extension in _VIDEO_TYPES:
        return "video"
    return None


def media_element(kind: str, url: str, label: str) -> str:
    """An HTML5 player with a plain link inside, for readers (and feeds) without one."""
    name = label or urlsplit(url).path.rsplit("/", 1)[-1] or url
    link = f'<a href="{escape(url)}">{escape(name)}</a>'
    player = f'<{kind} controls preload="none" src="{escape(url)}">{link}</{kind}>'
    return f"\n\n<figure>{player}<figcaption>{link}</figcaption></figure>\n\n"


def _audio(attributes: dict[str, str], inner: str, context: MediaContext) -> str:
    return _player("audio", _AUDIO_TYPES, attributes, inner, context)


def _video(attributes: dict[str, str], inner: str, context: MediaContext) -> str:
    return _player("video", _VIDEO_TYPES, attributes, inner, context)


def _player(
    kind: str, types: tuple[str, ...], attributes: dict[str, str], inner: str, ctx: MediaContext
) -> str:
    url = _media_url(attributes, types) or inner.strip()
    if not url or urlsplit(url).scheme.lower() not in ("http", "https", ""):
        ctx.note(f"[{kind}] without a file was removed")
        return ""
    if provider_label(url):  # `[video src="https://youtu.be/..."]`: a page, not a file
        ctx.note(f"[{kind}] of {url} became a link")
        return f"\n\n<p>{embed_link(url)}</p>\n\n"
    ctx.note(f"[{kind}] became an HTML5 <{kind}> element")
    return media_element(kind, url, "")


def _playlist(attributes: dict[str, str], _inner: str, context: MediaContext) -> str:
    kind = "video" if attributes.get("type", "audio") == "video" else "audio"
    items = [a for a in _selected(attributes, context, "[playlist]") if _media_kind(a.url) == kind]
    if not items:
        context.note("[playlist]: none of its files is in the source; linked to the old post")
        return _old_post_link(f"{kind.capitalize()} playlist on the old site", context)
    context.note(f"[playlist] became {len(items)} <{kind}> element{'s' if len(items) > 1 else ''}")
    return "".join(media_element(kind, a.url, a.title) for a in items)


def _embed(attributes: dict[str, str], inner: str, context: MediaContext) -> str:
    url = inner.strip() or attributes.get("src", "") or attributes.get("0", "")
    link = embed_link(url)
    if link is None:
        context.note("[embed] without a web address was removed")
        return ""
    context.note(f"[embed] of {url} became a link")
    return f"\n\n<p>{link}</p>\n\n"


def _code(attributes: dict[str, str], inner: str, context: MediaContext) -> str:
    """SyntaxHighlighter's `[code language="php"]...[/code]` (WordPress.com has it built in)."""
    language = attributes.get("language") or attributes.get("lang") or ""
    language = language if _LANGUAGE_NAME.match(language) else ""
    # The editor stores the code escaped, or not: either way it is text.
    code = escape(unescape(inner.strip("\r\n")), quote=False)
    context.note("a [code] shortcode became a code block")
    # Brackets in code are code: hidden from the next passes, as `[[gallery]]` is.
    code = code.replace("[", _HIDDEN_BRACKET)
    attribute = f' class="language-{language.lower()}"' if language else ""
    return f"\n\n<pre{attribute}>{code}</pre>\n\n"


def _old_post_link(text: str, context: MediaContext) -> str:
    if not context.post_link.lower().startswith(("http://", "https://")):
        return ""
    return f'\n\n<p><a href="{escape(context.post_link)}">{escape(text)}</a></p>\n\n'


_HANDLERS: dict[str, Callable[[dict[str, str], str, MediaContext], str]] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "audio": _audio,
    "video": _video,
    "playlist": _playlist,
    "embed": _embed,
    "code": _code,
    "sourcecode": _code,
    "source": _code,
}
