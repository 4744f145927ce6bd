"""A source's bytes, in whatever encoding it is written, → UTF-8 with a UTF-8 declaration.

Expat decodes UTF-8, UTF-16 (with a BOM), ISO-8859-1 and ASCII itself, and
Python lends it single-byte codecs; anything else a declaration names (`big5`,
`euc-kr`, `shift_jis`, `utf16` spelled Python's way...) stops it with a
`ValueError` or a `LookupError`.  WordPress writes the blog's charset into the
export's declaration, so an old Chinese, Korean or Japanese blog depends on
it.  So every source is transcoded here first, and the XML parsers only ever
see UTF-8.  Which encoding is used, in order:

1. a byte order mark, or the zero bytes of `<?` in UTF-16/UTF-32 without one;
2. the `charset` the server sent with it, then the declared encoding (RFC 7303
   ranks them so), each if Python knows it and the bytes decode with it;
3. UTF-8, if the bytes decode (a few broken sequences in a UTF-8 file are replaced);
4. the encoding `charset_normalizer` finds, else windows-1252, which never fails.

A name in 2 is read as the web reads it (the WHATWG Encoding Standard): as the
Windows code page that extends it, where there is one.  An old blog labelled
ISO-8859-1 holds Word's curly quotes (bytes 0x91 to 0x97, control characters in
ISO-8859-1), one labelled GB2312 holds GBK's extra characters, and browsers have
always shown them; the extension decodes every byte of the labelled charset as
it does.  Unlike RFC 3023, a `text/xml` without `charset` is not taken for ASCII
(RFC 7303 dropped that default).

A name in 2 that is not UTF-8, on bytes that hold characters beyond ASCII and are
valid UTF-8, is taken for a mislabel: text in a legacy code page almost never
forms valid UTF-8 sequences, and a server's default `charset=ISO-8859-1` on a
UTF-8 feed, or a blog's charset setting changed after years of UTF-8 posts, is
common.  Those bytes are read as UTF-8.

Whatever was not the document's own word (an unknown or wrong declaration,
a guess) is returned as a note, so the import report says how it was read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# Order matters: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# `<?` (or `<` and a letter) in each wide encoding, when there is no BOM (XML 1.0, appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_DECLARATION = re.compile(
    r"""\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*(["'])([^"'<>]{0,100})\1""", re.IGNORECASE
)
_ENCODING_VALUE = re.compile(r"""(\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"'<>]*\2""")
# What charset_normalizer samples: enough to tell, bounded whatever the size.
_GUESS_SAMPLE = 1 << 20
FALLBACK = "windows-1252"
#: Python's name of a charset -> the code page the web decodes it as (WHATWG).
_AS_THE_WEB_READS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}


@dataclass
class Decoded:
    """The document as UTF-8 bytes, the encoding it was read in, and what was guessed."""

    data: bytes
    encoding: str
    notes: list[str] = field(default_factory=list)


def _codec(name: str) -> str | None:
    """Python's name for an encoding name (`utf16`, `u16`, `Big5`...); None if unknown."""
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def _decode_as_the_web(data: bytes, codec: str) -> tuple[str, str]:
    """`data` in `codec`'s web superset (`_AS_THE_WEB_READS`), or `codec` itself where
    the superset leaves a byte undefined, and the codec used; `UnicodeDecodeError` if
    neither reads it."""
    wider = _AS_THE_WEB_READS.get(codec)
    if wider is not None:
        try:
            return data.decode(wider), wider
        except UnicodeDecodeError:
            pass
    return data.decode(codec), codec


def _is_wide(codec: str) -> bool:
    return codec.startswith(("utf-16", "utf-32"))


def _wide_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a BOM or a wide `<` names, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    for start, name in _WIDE_STARTS:
        if data.startswith(start):
            return name, 0
    return None, 0


def declared_encoding(head: str) -> str | None:
    """The `encoding="..."` of an XML declaration at the start of `head`, as written."""
    match = _DECLARATION.match(head)
    return match.group(2).strip() if match else None


def to_utf8(data: bytes, location: str, *, charset: str | None = None) -> Decoded:
    """`data` re-encoded as UTF-8, its declaration saying so; never raises.  `charset`
    is the one the server named (an HTTP `Content-Type` parameter), if any."""
    wide, bom_length = _wide_encoding(data)
    notes: list[str] = []
    if wide is not None:
        text = data[bom_length:].decode(wide, "replace")
        encoding = wide.removesuffix("-le").removesuffix("-be")
        if "\ufffd" in text and "\ufffd" not in data.decode(wide, "ignore"):
            notes.append(f"{location}: some bytes are not {encoding}; they show as \ufffd")
    else:
        text, encoding = _decode_narrow(data, location, notes, charset)
    text = _ENCODING_VALUE.sub(r"\1\2utf-8\2", text.lstrip("\ufeff"), count=1)
    return Decoded(text.encode("utf-8", "surrogatepass"), encoding, notes)


def _decode_narrow(
    data: bytes, location: str, notes: list[str], charset: str | None
) -> tuple[str, str]:
    """Decode a document without a BOM whose `<?xml` is in ASCII (or that has none)."""
    head = data[:1024].decode("latin-1")
    declared = declared_encoding(head)
    named = [(charset, "the server says"), (declared, "declares the encoding")]
    said = [f"{who} {name!r}" for name, who in named if name]
    for name, who in named:
        if not name:
            continue
        codec = _codec(name)
        if codec is None:
            notes.append(f"{location}: {who} {name!r}, which is not known")
            continue
        if _is_wide(codec):
            # A UTF-16/32 name on a file in single bytes (no BOM, no zero bytes).
            notes.append(f"{location}: {who} {name!r}, but is written in single bytes")
            continue
        if codec not in ("utf-8", "utf-8-sig") and _is_utf8_beyond_ascii(data):
            notes.append(f"{location}: {who} {name!r}, but the bytes are UTF-8; read as UTF-8")
            return data.decode("utf-8"), "utf-8"
        try:
            text, used = _decode_as_the_web(data, codec)
        except UnicodeDecodeError:
            notes.append(f"{location}: {who} {name!r}, but is not in it")
            continue
        if len(said) == 2 and _differs(data, text, declared or ""):
            notes.append(f"{location}: {' and '.join(said)}; read as {name}, the server's word")
        return text, used
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    damaged = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    # Characters beyond ASCII that decoded (counted in C: a source may be 100 MB).
    readable = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if readable >= damaged * 2:
        # Mostly UTF-8, with a few bytes pasted in from elsewhere: keep the UTF-8.
        # (Text in a one-byte encoding almost never forms valid UTF-8 sequences.)
        notes.append(
            f"{location}: read as UTF-8; {damaged:,} byte sequence"
            f"{'s are' if damaged > 1 else ' is'} not UTF-8 and show{'' if damaged > 1 else 's'}"
            " as \ufffd"
        )
        return text, "utf-8"
    guess = _guess(data)
    if guess is not None:
        notes.append(f"{location}: {_said(declared)}; read as {guess} (detected)")
        return data.decode(guess, "replace"), guess
    notes.append(f"{location}: {_said(declared)}; read as {FALLBACK}")
    return data.decode(FALLBACK, "replace"), FALLBACK


def _differs(data: bytes, text: str, other: str) -> bool:
    """Whether reading `data` in the encoding named `other` would not give `text`."""
    codec = _codec(other)
    try:
        return codec is None or _decode_as_the_web(data, codec)[0] != text
    except UnicodeDecodeError:
        return True


def _said(declared: str | None) -> str:
    return "not UTF-8" if declared else "no encoding declared, and not UTF-8"


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    """Whether `data` holds characters beyond ASCII, all in valid UTF-8."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess(data: bytes) -> str | None:
    """The encoding charset_normalizer finds for `data`, if it is installed and sure enough."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    try:
        matches = list(from_bytes(data[:_GUESS_SAMPLE]))
    except Exception:  # a detector bug must not stop an import that has a fallback
        return None
    if not matches:
        return None
    # Short Western text fits many one-byte code pages equally well; the one old
    # blogs used is windows-1252, so it wins every tie.
    least_chaos = min(match.chaos for match in matches)
    if any(m.encoding == "cp1252" and m.chaos <= least_chaos + 0.01 for m in matches):
        return FALLBACK
    best = matches[0]
    if best.encoding in ("ascii", "utf_8"):
        return None
    name = _codec(best.encoding)
    return name if name and not _is_wide(name) else None
