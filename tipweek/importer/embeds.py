"""oEmbed: a web address alone on a line, `[embed]`, or an embed `<iframe>` → a named link.

WordPress replaces a YouTube (or Vimeo, Twitter...) address that stands alone
on a line with the provider's player.  A static site should not load players
from third parties, and the sanitizer drops iframes anyway, so each becomes a
plain link that says what is behind it: "Video on YouTube".  Addresses of
providers WordPress does not know stay text, as WordPress leaves them.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import urlsplit

# Host (or a parent domain of it) → what the link says.  The providers core
# WordPress has shipped oEmbed support for, with what their links show.
PROVIDERS: dict[str, str] = {
    "youtube.com": "Video on YouTube",
    "youtu.be": "Video on YouTube",
    "youtube-nocookie.com": "Video on YouTube",
    "vimeo.com": "Video on Vimeo",
    "dailymotion.com": "Video on Dailymotion",
    "dai.ly": "Video on Dailymotion",
    "ted.com": "Talk on TED",
    "wordpress.tv": "Video on WordPress.tv",
    "videopress.com": "Video on VideoPress",
    "animoto.com": "Video on Animoto",
    "tiktok.com": "Video on TikTok",
    "twitter.com": "Post on Twitter",
    "x.com": "Post on X",
    "facebook.com": "Post on Facebook",
    "instagram.com": "Post on Instagram",
    "tumblr.com": "Post on Tumblr",
    "reddit.com": "Post on Reddit",
    "flickr.com": "Photo on Flickr",
    "flic.kr": "Photo on Flickr",
    "imgur.com": "Image on Imgur",
    "smugmug.com": "Photo on SmugMug",
    "soundcloud.com": "Audio on SoundCloud",
    "spotify.com": "Audio on Spotify",
    "mixcloud.com": "Audio on Mixcloud",
    "pca.st": "Podcast on Pocket Casts",
    "slideshare.net": "Slides on SlideShare",
    "speakerdeck.com": "Slides on Speaker Deck",
    "scribd.com": "Document on Scribd",
    "issuu.com": "Publication on Issuu",
    "kickstarter.com": "Project on Kickstarter",
    "amazon.com": "Book on Amazon Kindle",
    "cloudup.com": "File on Cloudup",
    "crowdsignal.com": "Poll on Crowdsignal",
    "polldaddy.com": "Poll on Crowdsignal",
    "wolframcloud.com": "Notebook on Wolfram Cloud",
}
_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
# The same address as a paragraph of its own in already rendered HTML (a feed).
_URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<>\"']+)\s*</p>", re.IGNORECASE)
# A block-editor embed (`<!-- wp:embed -->`): the address alone in its wrapper.
_BLOCK_EMBED = re.compile(
    r"<div class=\"wp-block-embed__wrapper\">\s*(https?://[^\s<>\"']+)\s*</div>", re.IGNORECASE
)
_IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"'][^>]*>.*?</iframe\s*>",
    re.IGNORECASE | re.DOTALL,
)


def provider_label(url: str) -> str | None:
    """The link text for an address ("Video on YouTube"); None if WordPress would not embed it."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    while host:
        if host in PROVIDERS:
            return PROVIDERS[host]
        host = host.partition(".")[2]
    return None


def embed_link(url: str) -> str | None:
    """HTML for a link to an embedded address, named after its provider (or its host)."""
    url = unescape(url.strip())
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    text = provider_label(url) or f"Embedded content on {parts.hostname}"
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def link_embeds(text: str, notes: list[str], *, raw: bool) -> str:
    """Turn oEmbed addresses alone on a paragraph, and embed iframes, into links.

    In `raw` text (a WordPress export's post_content, before paragraphs are
    added) an address alone on a line counts too, as it does for WordPress.
    """

    def line(match: re.Match[str]) -> str:
        url = match.group(1)
        label = provider_label(unescape(url))
        if label is None:
            return match.group(0)
        _note(notes, f"{label} (an embedded address) became a link")
        return match.group(0).replace(url, embed_link(url) or url)

    def frame(match: re.Match[str]) -> str:
        url = unescape(match.group(1))
        if url.startswith("//"):
            url = "https:" + url
        label = provider_label(url)
        if label is None:
            return match.group(0)  # not a player WordPress knows: the sanitizer drops it
        _note(notes, f"{label} (an embedded <iframe>) became a link")
        return embed_link(url) or ""

    def block(match: re.Match[str]) -> str:
        url = unescape(match.group(1))
        label = provider_label(url) or "embedded content"
        _note(notes, f"{label} (a block-editor embed) became a link")
        return f"<p>{embed_link(url) or ''}</p>"

    text = _BLOCK_EMBED.sub(block, text)
    text = _IFRAME.sub(frame, text)
    text = _URL_PARAGRAPH.sub(line, text)
    return _URL_LINE.sub(line, text) if raw else text


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)
