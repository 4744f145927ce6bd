"""WordPress's rendered captions and galleries (as feeds carry them) → plain figures.

A feed holds posts as WordPress displayed them: `[caption]` is already a
`<div class="wp-caption">` with a `<p class="wp-caption-text">`, and
`[gallery]` a `<div class="gallery">` of `<dl class="gallery-item">`s.  The
sanitizer drops classes, which would leave an image and a loose line of text,
or a definition list of pictures; so these are rewritten as `<figure>`s with
`<figcaption>`s first, while the classes still say what they are.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from tipweek.importer.layout import GALLERY_MARKER

_HAS_MARKERS = re.compile(r"wp-caption|gallery-item|wp-block-gallery", re.IGNORECASE)
_ALIGNMENTS = ("alignleft", "alignright", "aligncenter")


def _classes(element: Tag) -> set[str]:
    value = element.get("class") or []
    return set(value.split() if isinstance(value, str) else value)


def _figure(
    soup: BeautifulSoup, media: Tag | None, caption: Tag | None, classes: set[str] | None = None
) -> Tag:
    figure = soup.new_tag("figure")
    aligned = [name for name in _ALIGNMENTS if name in (classes or set())]
    if aligned:  # the sanitizer turns it into tipweek's own class
        figure["class"] = aligned[0]
    if media is not None:
        figure.append(media.extract())
    if caption is not None and caption.get_text(strip=True):
        figcaption = soup.new_tag("figcaption")
        for child in list(caption.children):
            figcaption.append(child.extract())
        figure.append(figcaption)
    return figure


def _media(element: Tag) -> Tag | None:
    """The (linked) image of a caption or gallery item."""
    image = element.find("img")
    if image is None:
        return None
    parent = image.parent
    return parent if isinstance(parent, Tag) and parent.name == "a" else image


def figures_from_rendered_media(html: str, notes: list[str]) -> str:
    """Rewrite rendered captions and galleries as figures; other HTML is left as it is."""
    if not _HAS_MARKERS.search(html):
        return html  # most posts: no parse, no re-serialisation
    soup = BeautifulSoup(html, "html.parser")
    captions = 0
    for box in soup.find_all(["div", "figure"]):
        if "wp-caption" not in _classes(box) or box.find_parent(class_="gallery"):
            continue
        text = box.find(class_="wp-caption-text")
        box.replace_with(_figure(soup, _media(box), text, _classes(box)))
        captions += 1
    images = 0
    for item in soup.find_all(["dl", "figure", "div"], class_="gallery-item"):
        caption = item.find(class_="gallery-caption") or item.find(class_="wp-caption-text")
        item.replace_with(_figure(soup, _media(item), caption))
        images += 1
    for gallery in soup.find_all(class_="gallery"):
        for stray in gallery.find_all("br"):  # WordPress's row breaks between items
            stray.decompose()
        gallery.name = "div"
        gallery.attrs = {"class": GALLERY_MARKER}
    images += _block_galleries(soup)
    if captions:
        notes.append(f"{captions} rendered caption{'s' if captions > 1 else ''} became figures")
    if images:
        notes.append(
            f"a rendered gallery of {images} image{'s' if images > 1 else ''} became a grid"
        )
    return str(soup)


def _block_galleries(soup: BeautifulSoup) -> int:
    """Block-editor galleries (`figure.wp-block-gallery`, of figures or of a list of
    them) → a gallery of figures, its own caption after it; returns the images."""
    images = 0
    for gallery in soup.find_all("figure", class_="wp-block-gallery"):
        if gallery.find_parent("figure", class_="wp-block-gallery"):
            continue
        grid = soup.new_tag("div", attrs={"class": GALLERY_MARKER})
        for figure in gallery.find_all("figure"):
            if figure.find("img") is not None:
                grid.append(figure.extract())
                images += 1
        caption = gallery.find("figcaption", class_="blocks-gallery-caption")
        gallery.replace_with(grid)
        if caption is not None and caption.get_text(strip=True):
            caption.name = "p"
            grid.insert_after(caption)
    return images
