"""Old URLs (`aliases:`), read once into the folder their redirect is written to.

A static server decodes the request path before it looks for a file:
`/2014/07/%E6%97%A5%E6%9C%AC/` is answered from the folder `2014/07/日本/`, and
`/%2e%2e/x/` is `/../x/`.  So an alias is percent-decoded (as UTF-8), put in
Unicode NFC (macOS' file systems store names decomposed, the web sends them
composed: the same name either way) and only then checked, by every check, in
the form it will be written.  What the build would not write, or another tool
would overwrite, is refused:

- `.` and `..` segments, written plainly or percent-encoded;
- a segment starting with a dot (`/.htaccess`, `/.well-known/…`): MkDocs never
  writes such files, so the redirect would silently be missing;
- an encoded `/` or `\\` (`%2F`), a control character, or a character Windows
  refuses in file names, once decoded;
- bytes that are not UTF-8 once decoded (no server would find the folder).

Folders owned by the theme and by plugins (`assets/`, `search/`, Pagefind's
`pagefind/`) are refused by `site_paths`, on the decoded path.

`/?p=123` (WordPress' own old links) is no file: the home page's script sends
such a query on to its tip (`documents.query_redirects`).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote_to_bytes

from tipweek.core.unsafe_text import control_character

# Characters refused in a raw alias: they would break the YAML list, the HTML, or a shell.
_RAW_FORBIDDEN = "\"'<> \t\n\\"
# Characters Windows cannot have in a file or folder name (besides `/` and `\`).
_WINDOWS_FORBIDDEN = '<>:"|?*'
_QUERY = re.compile(r"[A-Za-z_]+=[\w-]+")


def read_alias(alias: str) -> tuple[str | None, str | None]:
    """(the alias as the site writes it, None) or (None, why it is refused).

    `/2014/07/22/old` → `2014/07/22/old/`; `/old/post.html` keeps its file
    name; `/?p=1` → `?p=1` (a query alias, not a file).
    """
    if not alias.startswith("/") or alias.startswith("//"):
        return None, "must be a path on this site starting with '/', e.g. /2014/07/22/old-title/"
    if any(c in alias for c in _RAW_FORBIDDEN):
        return None, "contains characters that are not allowed in a URL path"
    path, _, query = alias.partition("?")
    if query:
        if path != "/" or not _QUERY.fullmatch(query):
            return None, "may only carry a query on the home page, like /?p=123"
        return f"?{query}", None
    if "%" in path:
        try:
            decoded = unquote_to_bytes(path).decode("utf-8")
        except UnicodeDecodeError:
            return None, "is not UTF-8 once its %-escapes are decoded; no server would find it"
    else:
        decoded = path
    decoded = unicodedata.normalize("NFC", decoded)
    segments = decoded.split("/")[1:]
    if "\\" in decoded or len(segments) != len(path.split("/")[1:]):
        return None, "has an encoded '/' or '\\' (%2F, %5C); servers differ on those"
    if any(s in (".", "..") for s in segments):
        return None, "must not contain '.' or '..' segments (also not as %2e)"
    dotted = next((s for s in segments if s.startswith(".")), None)
    if dotted:
        return None, (
            f"has a name starting with a dot ('{dotted}'); MkDocs does not write such files, "
            "so the redirect would be missing"
        )
    code = control_character(decoded)
    if code:
        return None, f"contains the control character {code} once decoded"
    odd = next((c for c in decoded if c in _WINDOWS_FORBIDDEN), None)
    if odd:
        return None, f"would need a file name with '{odd}', which Windows cannot hold"
    trimmed = decoded.strip("/")
    last = trimmed.rsplit("/", 1)[-1]
    if "." in last:  # an old `.../post.html` keeps its file name
        return trimmed, None
    return (f"{trimmed}/" if trimmed else ""), None


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot be a redirect inside the site, or None if it can."""
    return read_alias(alias)[1]


def normalize_alias(alias: str) -> str:
    """The alias as the site writes it (see `read_alias`); a refused one as it stands."""
    written, _ = read_alias(alias)
    return alias.strip("/") if written is None else written
