"""What `mkdocs serve` shows instead of hanging when a tip is broken.

`mkdocs build` stops on a broken tip: the previous site stays.  Under `mkdocs
serve` a failed build is worse than useless: MkDocs' server holds every
request until a build succeeds ("The server will appear stuck"), so the
browser hangs on the editor's next click.  So the preview builds the site
without the broken tips, and puts a banner on every page listing each problem
as `path:line: severity: message`, as `hugo server` does.  Once the file is
fixed, the next build succeeds as usual and MkDocs' live reload brings the
browser back to the real page.

A broken tip's own page is gone from that preview: the browser showing it
lands on the 404 page, which MkDocs serves without its live-reload script.
`reload_script` gives the 404 page one, so it too reloads after the next build.
Strings only: the plugin decides where they go.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)

# Inline styles: the banner must show whatever the theme's stylesheet is doing.
_BANNER_STYLE = (
    "position:sticky;top:0;z-index:10000;margin:0;padding:.8em 1.2em;"
    "background:#fde8e8;color:#5c0b0b;border-bottom:3px solid #b42318;"
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "max-height:50vh;overflow:auto"
)

# MkDocs' server answers /livereload/<epoch>/<id> with the newest build's epoch,
# at once if it is newer than <epoch>, else when one finishes (or after a
# minute).  Ask once for the current epoch, then wait for a newer one.
_RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function poll() {
    var request = new XMLHttpRequest();
    request.onloadend = function () {
      var epoch = parseFloat(this.responseText);
      if (this.status === 200 && !isNaN(epoch)) {
        if (seen === null) { seen = epoch; } else if (epoch > seen) { location.reload(); return; }
      }
      setTimeout(poll, this.status === 200 ? 0 : 3000);
    };
    request.open("GET", "/livereload/" + (seen === null ? 0 : seen) + "/0");
    request.send();
  }
  poll();
})();
</script>"""


def banner(problems: Sequence[str]) -> str:
    """A banner listing each problem (`path:line: severity: message`), or '' for none."""
    if not problems:
        return ""
    errors = sum(": error: " in problem for problem in problems)
    heading = (
        f"tipweek: {errors} error{'s' * (errors != 1)} in the tips; "
        "tips with errors are left out of this preview until they are fixed"
        if errors
        else "tipweek: warnings in the tips"
    )
    items = "".join(f"<li>{html.escape(problem)}</li>" for problem in problems)
    return (
        f'<div class="tw-problems" role="alert" style="{_BANNER_STYLE}">'
        f'<p style="margin:0 0 .4em;font-weight:bold">{html.escape(heading)}</p>'
        f'<ul style="margin:0;padding-left:1.2em">{items}</ul></div>'
    )


def reload_script() -> str:
    """A script that reloads the page once `mkdocs serve` finishes its next build."""
    return _RELOAD_SCRIPT


def insert_after_body(page_html: str, fragment: str) -> str:
    """`fragment` right after the opening `<body>` tag (at the start, if there is none)."""
    if not fragment:
        return page_html
    match = _BODY_OPEN.search(page_html)
    at = match.end() if match else 0
    return page_html[:at] + fragment + page_html[at:]
