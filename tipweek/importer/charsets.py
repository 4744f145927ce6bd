"""A source's bytes, in whatever encoding it is written, → UTF-8 with a UTF-8 declaration.

Expat decodes UTF-8, UTF-16 (with a BOM), ISO-8859-1 and ASCII itself, and
Python lends it single-byte codecs; anything else a declaration names (`big5`,
`euc-kr`, `shift_jis`, `utf16` spelled Python's way...) stops it with a
`ValueError` or a `LookupError`.  WordPress writes the blog's charset into the
export's declaration, so an old Chinese, Korean or Japanese blog depends on
it.  So every source is transcoded here first, and the XML parsers only ever
see UTF-8.  Which encoding is used, in order:

1. a byte order mark, or the zero bytes of `<?` in UTF-16/UTF-32 without one;
2. the declared encoding, if Python knows it and the bytes decode with it;
3. UTF-8, if the bytes decode (a few broken sequences in a UTF-8 file are replaced);
4. the encoding `charset_normalizer` finds, else windows-1252, which never fails.

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


def to_utf8(data: bytes, location: str) -> Decoded:
    """`data` re-encoded as UTF-8, its declaration saying so; never raises."""
    wide, bom_length = _wide_encoding(data)
    notes: list[str] = []
    if wide is not None:
        text = data[bom_length:].decode(wide, "replace")
        encoding = wide.removesuffix("-le").removesuffix("-be")
        if "\ufffd" in text and "\ufffd" not in data.decode(wide, "ignore"):
            notes.append(f"{location}: some bytes are not {encoding}; they show as \ufffd")
    else:
        text, encoding = _decode_narrow(data, location, notes)
    text = _ENCODING_VALUE.sub(r"\1\2utf-8\2", text.lstrip("\ufeff"), count=1)
    return Decoded(text.encode("utf-8", "surrogatepass"), encoding, notes)


def _decode_narrow(data: bytes, location: str, notes: list[str]) -> tuple[str, str]:
    """Decode a document without a BOM whose `<?xml` is in ASCII (or that has none)."""
    head = data[:1024].decode("latin-1")
    declared = declared_encoding(head)
    codec = _codec(declared) if declared else None
    if declared and codec is None:
        notes.append(f"{location}: declares the encoding {declared!r}, which is not known")
    elif codec and _is_wide(codec):
        # A UTF-16/32 declaration on a file in single bytes (no BOM, no zero bytes).
        notes.append(f"{location}: declares {declared!r}, but is written in single bytes")
        codec = None
    if codec is not None:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            notes.append(f"{location}: declares the encoding {declared!r}, but is not in it")
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


def _said(declared: str | None) -> str:
    return "not UTF-8" if declared else "no encoding declared, and not UTF-8"


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
