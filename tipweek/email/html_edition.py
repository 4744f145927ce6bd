"""A tip's email edition as one HTML document mail clients render.

What inboxes need, and why each rule is here:

- one table-based column, 600 px at most and fluid below (Outlook for Windows
  lays out tables, not blocks; phones are 375 px wide);
- every style inlined by `css-inline` (Gmail and others drop `<style>` in some
  views); the one `<style>` kept holds `@media` rules, progressive
  enhancements a client without them can ignore: dark colours and phone sizes;
- no script, no external stylesheet, absolute URLs (the body is sanitised);
- `color-scheme` meta, and every colour set with its background, so a client
  that inverts colours in dark mode never leaves dark text on a dark ground;
- a hidden preheader (the summary) for the inbox's preview line;
- call-to-action "bulletproof" buttons: a table cell with a background colour,
  which Outlook draws even where it ignores padding on links;
- under Gmail's 102 KB clip: a longer tip sends its summary and a link instead.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

import css_inline

from tipweek.email.colours import readable, text_on
from tipweek.email.edition import EditionView, EmailSettings
from tipweek.email.sanitise import clean_body

#: Gmail clips a message whose HTML is larger than 102 KB; leave room for a service's additions.
SIZE_LIMIT = 90_000
#: The column's fixed width on a desktop client.
COLUMN_WIDTH = 600
# Stands where the edition's content goes while the shell is inlined: escaped text
# (a title, a summary) can never spell an element.
_CONTENT = "<tipweek-email-content></tipweek-email-content>"

# `{accent}` is the site's accent colour. Every `color` has a `background-color` on
# its element or an ancestor in the column; the dark rules set both again.
_CSS = """
body, .page { margin: 0; padding: 0; background-color: #f2f3f5; }
.page-cell { padding: 24px 8px; background-color: #f2f3f5; }
.column { width: 100%; max-width: 600px; background-color: #ffffff; color: #1f2328;
  font-family: Georgia, 'Times New Roman', serif; font-size: 17px; line-height: 1.55; }
.masthead { padding: 20px 24px 8px 24px; background-color: #ffffff; color: #1f2328;
  font-family: Helvetica, Arial, sans-serif; font-size: 15px; font-weight: bold; }
.masthead a { color: #1f2328; text-decoration: none; }
.masthead img { border: 0; height: auto; max-width: 100%; }
.content { padding: 8px 24px 16px 24px; background-color: #ffffff; color: #1f2328;
  word-break: break-word; }
.title { margin: 8px 0 4px 0; font-family: Helvetica, Arial, sans-serif; font-size: 26px;
  line-height: 1.25; font-weight: bold; }
.title a { color: #1f2328; text-decoration: none; }
.date { margin: 0 0 16px 0; color: #57606a; font-family: Helvetica, Arial, sans-serif;
  font-size: 14px; }
.body p, .body ul, .body ol, .body blockquote, .body pre, .body table { margin: 0 0 16px 0; }
.body h2, .body h3, .body h4 { margin: 24px 0 8px 0; font-family: Helvetica, Arial, sans-serif;
  line-height: 1.3; color: #1f2328; }
.body a { color: {link}; text-decoration: underline; }
.body img { border: 0; height: auto; max-width: 100%; }
.body blockquote { padding: 0 0 0 16px; border-left: 4px solid #d0d7de; color: #57606a; }
.body pre { padding: 12px; background-color: #f6f8fa; color: #1f2328; font-size: 14px;
  white-space: pre-wrap; }
.body code { font-family: Menlo, Consolas, monospace; font-size: 15px; }
.body td, .body th { padding: 4px 8px; border: 1px solid #d0d7de; }
.tags { margin: 16px 0 0 0; color: #57606a; font-family: Helvetica, Arial, sans-serif;
  font-size: 14px; }
.tags a { color: {link}; text-decoration: underline; }
.actions { padding: 8px 24px 16px 24px; background-color: #ffffff; }
.button { margin: 0 0 8px 0; }
.button-cell { background-color: {accent}; border-radius: 4px; }
.button-link { display: inline-block; padding: 12px 20px; background-color: {accent};
  color: {button_text}; font-family: Helvetica, Arial, sans-serif; font-size: 16px;
  font-weight: bold; text-decoration: none; border-radius: 4px; }
.footer { padding: 16px 24px 24px 24px; background-color: #ffffff; color: #57606a;
  font-family: Helvetica, Arial, sans-serif; font-size: 13px; line-height: 1.5; }
.footer p { margin: 0 0 8px 0; }
.footer a { color: #57606a; text-decoration: underline; }
.preheader { display: none; max-height: 0; overflow: hidden; mso-hide: all;
  font-size: 1px; line-height: 1px; }
@media (prefers-color-scheme: dark) {
  .page, .page-cell { background-color: #0d1117 !important; }
  .column, .masthead, .content, .actions, .footer { background-color: #161b22 !important;
    color: #e6edf3 !important; }
  .masthead a, .title a, .body h2, .body h3, .body h4 { color: #e6edf3 !important; }
  .body pre { background-color: #0d1117 !important; color: #e6edf3 !important; }
  .date, .tags, .footer a, .body blockquote { color: #9da7b3 !important; }
  .body a, .tags a { color: {dark_link} !important; }
}
@media (max-width: 620px) {
  .page-cell { padding: 0 !important; }
  .masthead, .content, .actions, .footer { padding-left: 16px !important;
    padding-right: 16px !important; }
  .title { font-size: 22px !important; }
}
"""

#: The column's background in a light and in a dark client (`.column` and its dark rule).
COLUMN_LIGHT = "#ffffff"
COLUMN_DARK = "#161b22"

_INLINER_OPTIONS = {"load_remote_stylesheets": False, "keep_link_tags": False}


@dataclass(frozen=True)
class EditionHTML:
    document: str  # the whole email
    fragment: str  # the edition's content alone, styled inline: what the email feed carries


@functools.lru_cache(maxsize=4)  # one accent a site: asked once an edition
def stylesheet(accent: str) -> str:
    """The edition's CSS for an accent colour; links in the nearest shade of it that reads
    on the column, light or dark (`colours.readable`), buttons' text white or dark."""
    return (
        _CSS.replace("{link}", readable(accent, COLUMN_LIGHT))
        .replace("{dark_link}", readable(accent, COLUMN_DARK))
        .replace("{button_text}", text_on(accent))
        .replace("{accent}", accent)
    )


def edition_html(view: EditionView) -> EditionHTML:
    """The email edition of `view`, whole and as the email feed's fragment."""
    css = stylesheet(view.site.accent_color)
    body = clean_body(view.body_html, view.url)
    fragment = _inline_fragment(_content(view, body), css)
    document = _document(view, css, fragment)
    if len(document.encode("utf-8")) > SIZE_LIMIT:
        fragment = _inline_fragment(_content(view, _too_long(view)), css)
        document = _document(view, css, fragment)
    return EditionHTML(document, fragment)


def _inline_fragment(markup: str, css: str) -> str:
    return css_inline.inline_fragment(markup, css, **_INLINER_OPTIONS)


# Where the tip's own text goes in the shell, which is inlined once per site: characters
# of Unicode's private use area, taken out of the values put there.
_SLOTS = {"title": "\ue000", "preheader": "\ue001", "url": "\ue002"}
_NOT_SLOTS = str.maketrans(dict.fromkeys(map(ord, _SLOTS.values())))


def _document(view: EditionView, css: str, fragment: str) -> str:
    shell = _inlined_shell(view.site, css)
    for name, slot in _SLOTS.items():
        shell = shell.replace(slot, _e(str(getattr(view, name)).translate(_NOT_SLOTS)))
    return shell.replace(_CONTENT, fragment, 1)


@functools.lru_cache(maxsize=4)
def _inlined_shell(site: EmailSettings, css: str) -> str:
    """The edition around its content, styles inlined, for any tip of `site`."""
    inliner = css_inline.CSSInliner(keep_at_rules=True, **_INLINER_OPTIONS)
    return inliner.inline(_shell(site, css))


def _too_long(view: EditionView) -> str:
    url = html.escape(view.url, quote=True)
    return (
        f"<p>{html.escape(view.preheader)}</p>\n"
        f'<p>This tip is too long for an email: <a href="{url}">read it on the web</a>.</p>'
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _masthead(site: EmailSettings) -> str:
    home = _e(site.site_url)
    if site.logo:
        inner = f'<img src="{_e(site.logo)}" width="{site.logo_width}" alt="{_e(site.site_name)}">'
    else:
        inner = _e(site.site_name)
    return f'<tr><td class="masthead"><a href="{home}">{inner}</a></td></tr>'


def _content(view: EditionView, body: str) -> str:
    """The column's middle: title, date, body, tags, buttons, the web link."""
    tags = ""
    if view.tags:
        links = ", ".join(f'<a href="{_e(tag.url)}">{_e(tag.title)}</a>' for tag in view.tags)
        tags = f'<p class="tags">Tags: {links}</p>'
    buttons = "".join(
        '<table role="presentation" class="button" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><td class="button-cell" bgcolor="{_e(view.site.accent_color)}">'
        f'<a class="button-link" href="{_e(button.url)}">{_e(button.title)}</a>'
        "</td></tr></table>"
        for button in view.buttons
    )
    actions = f'<tr><td class="actions">{buttons}</td></tr>' if buttons else ""
    return (
        '<table role="presentation" class="column" width="100%" cellpadding="0" '
        'cellspacing="0" border="0">'
        '<tr><td class="content">'
        f'<h1 class="title"><a href="{_e(view.url)}">{_e(view.title)}</a></h1>'
        f'<p class="date"><time datetime="{view.date_iso}">{_e(view.date_text)}</time></p>'
        f'<div class="body">{body}</div>'
        f"{tags}</td></tr>{actions}</table>"
    )


def _footer(site: EmailSettings) -> str:
    lines = [
        f'<p><a href="{_SLOTS["url"]}">Read this tip on the web</a></p>',
        f"<p>You are receiving {_e(site.site_name)} because you subscribed to it.</p>",
    ]
    if site.postal_address:
        address = "<br>".join(_e(line.strip()) for line in site.postal_address.splitlines())
        lines.append(f'<p class="address">{address}</p>')
    if site.unsubscribe:
        # A merge tag is written as the service spells it: it replaces it per reader.
        lines.append(f'<p><a href="{_e(site.unsubscribe)}">Unsubscribe</a></p>')
    return f'<tr><td class="footer">{"".join(lines)}</td></tr>'


# Characters that inboxes show as nothing, after the preheader, so the preview line
# does not run on into the email's first words.
_PREVIEW_FILLER = "&#8199;&#65279;&#847; " * 60


def _shell(site: EmailSettings, css: str) -> str:
    width = COLUMN_WIDTH
    return f"""<!DOCTYPE html>
<html lang="{_e(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{_SLOTS["title"]}</title>
<style>{css}</style>
</head>
<body class="page">
<div class="preheader">{_SLOTS["preheader"]}{_PREVIEW_FILLER}</div>
<table role="presentation" class="page" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="page-cell" align="center">
<!--[if mso]><table role="presentation" width="{width}" cellpadding="0" cellspacing="0"
border="0"><tr><td><![endif]-->
<table role="presentation" class="column" width="100%" cellpadding="0" cellspacing="0" border="0">
{_masthead(site)}
<tr><td>{_CONTENT}</td></tr>
{_footer(site)}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
"""
