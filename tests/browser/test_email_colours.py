"""Every text of the email edition is readable in a light and in a dark mail client.

Apple Mail, Outlook for Mac and the phone apps honour the edition's
`prefers-color-scheme: dark` rules; Chromium stands in for them.  For each
accent colour an editor might pick (the default, the sample's, a light and a
dark one), each element holding text is measured against the background behind
it: WCAG AA, 4.5:1, or 3:1 for large text (24 px, or 18.7 px bold).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_email_edition import make_view
from tipweek.email.html_edition import edition_html

pytestmark = pytest.mark.browser

ACCENTS = ["#1a5fb4", "#3949ab", "#f4c430", "#202020", "#0b6e4f"]

# Each visible element with text of its own: its colour, the first opaque background
# behind it, and its size; the contrast is computed here in the page.
_CONTRASTS = """() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255).map((v) =>
      v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('.preheader')) continue;
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const box = e.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(e);
    const [fg, bg] = [lum(rgb(style.color)), lum(background(e))];
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    found.push([e.tagName.toLowerCase() + '.' + e.className, e.textContent.trim().slice(0, 30),
                style.color, Math.round(ratio * 100) / 100, large ? 3 : 4.5]);
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("accent", ACCENTS)
def test_every_text_is_readable_in_light_and_dark_mode(browser, tmp_path, scheme, accent):
    edition = tmp_path / "email.html"
    edition.write_text(edition_html(make_view(accent_color=accent)).document, encoding="utf-8")
    context = browser.new_context(
        viewport={"width": 600, "height": 900}, color_scheme=scheme, java_script_enabled=True
    )
    try:
        page = context.new_page()
        page.goto(Path(edition).as_uri())
        measured = page.evaluate(_CONTRASTS)
    finally:
        context.close()
    assert len(measured) > 20  # the title, date, body, tags, buttons and footer were seen
    unreadable = [m for m in measured if m[3] < m[4]]
    assert unreadable == []
