"""How an old post laid its images out: galleries as grids, left/right alignment, old hosts.

WordPress marks layout with classes (`alignleft`, `aligncenter`, `gallery`...),
which the sanitizer would drop with every other class: a gallery became one
full-width image per row and an image set beside the text moved above it.
Only these meanings are kept, as tipweek's own classes (`tw-gallery`,
`tw-left`, `tw-right`, `tw-center`, styled by the plugin's stylesheet), so no class of the
old theme, and nothing a hostile post names, reaches the page.

Images still on the old site, on WordPress.com's media hosts
(`*.files.wordpress.com`) or on Jetpack's image CDN (`i0.wp.com/old.site/...`)
stop showing when the old blog goes: they are counted for the report.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Marks what `shortcodes` and `rendered_media` made a gallery, before sanitizing.
GALLERY_MARKER = "tipweek-gallery"
GALLERY_CLASS = "tw-gallery"
_ALIGNMENT = {"alignleft": "tw-left", "alignright": "tw-right", "aligncenter": "tw-center"}
_LAYOUT_TAGS = {"img", "figure", "div"}
_WORDPRESS_MEDIA_HOST = re.compile(r"(^|\.)files\.wordpress\.com$|^i\d\.wp\.com$", re.IGNORECASE)
_IMAGE_SOURCE = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"", re.IGNORECASE)
TW_CLASSES = {GALLERY_CLASS, *_ALIGNMENT.values()}


def layout_class(tag: str, classes: str) -> str | None:
    """The sanitizer's value for a `class`: tipweek's class for its layout, or none."""
    if tag not in _LAYOUT_TAGS:
        return None
    names = classes.split()
    if tag == "div" and GALLERY_MARKER in names:
        return GALLERY_CLASS
    if tag in ("img", "figure"):
        for name in names:
            if name in _ALIGNMENT:
                return _ALIGNMENT[name]
    return None


def old_host_images(html: str, base_url: str) -> list[str]:
    """Notes on the images of sanitized `html` that the old blog's hosts still serve."""
    old_host = (urlsplit(base_url).hostname or "").lower() if base_url else ""
    counts: dict[str, int] = {}
    for source in _IMAGE_SOURCE.findall(html):
        try:
            host = (urlsplit(source).hostname or "").lower()
        except ValueError:
            continue
        if not host:
            continue
        if (old_host and host == old_host) or _WORDPRESS_MEDIA_HOST.search(host):
            counts[host] = counts.get(host, 0) + 1
    return [
        f"{count} image{'s' if count > 1 else ''} left on the old host {host}"
        + ("" if host == old_host else " (WordPress.com's media)")
        for host, count in counts.items()
    ]
