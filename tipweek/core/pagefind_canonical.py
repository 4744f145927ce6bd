"""Pagefind's index files, made the same from the same pages.

Pagefind 1.5 writes its filter index (`filter/*.pf_filter`) and the list of
filters in its metadata file (`pagefind.*.pf_meta`) in hash-map order, which
changes from run to run (Pagefind issue #638: the maintainer made fragments
stable in 1.3 and says the filter and metadata indexes still change).  Two
builds of the same tips must give byte-identical sites (`SOURCE_DATE_EPOCH`),
so after Pagefind has written its bundle this module sorts what was written in
arbitrary order, names each rewritten file by a hash of its new bytes (the
names are how the browser caches them) and points the metadata and
`pagefind-entry.json` at the new names.

The files are gzip(`pagefind_dcd` + CBOR).  Only the CBOR subset Pagefind
writes is read here: unsigned and negative integers, byte and text strings,
arrays and maps of definite length.  Pure: files in, files out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class FormatError(ValueError):
    """A file is not in the format this Pagefind version was known to write."""


def canonicalize(bundle: Path) -> None:
    """Rewrite `bundle` (Pagefind's output folder) so it depends only on its input.

    Raises FormatError if Pagefind wrote something this module does not know.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry.get("languages", {}).values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise FormatError(f"{old_meta.name}: unexpected layout")
        renamed: dict[str, str] = {}
        for _name, file_hash in meta[3]:
            renamed[file_hash] = _canonical_filter(bundle / "filter", file_hash)
        meta[3] = sorted(([name, renamed[file_hash]] for name, file_hash in meta[3]))
        prefix = language["hash"].split("_", 1)[0]
        data = _encode_file(meta)
        new_hash = f"{prefix}_{_digest(data, 10)}"
        old_meta.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        language["hash"] = new_hash
    # The same separators and key order Pagefind uses, so only the hash changes.
    entry_path.write_text(
        json.dumps(entry, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
    )


def _canonical_filter(folder: Path, file_hash: str) -> str:
    """Sort one filter file's values; return the file's new hash."""
    path = folder / f"{file_hash}.pf_filter"
    content = _read(path)
    if not (isinstance(content, list) and len(content) == 2 and isinstance(content[1], list)):
        raise FormatError(f"{path.name}: unexpected layout")
    content[1] = sorted(content[1], key=lambda value: str(value[0]))
    data = _encode_file(content)
    prefix = file_hash.split("_", 1)[0]
    new_hash = f"{prefix}_{_digest(data, 7)}"
    path.unlink()
    (folder / f"{new_hash}.pf_filter").write_bytes(data)
    return new_hash


def _digest(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise FormatError(f"{path.name}: no Pagefind signature")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise FormatError(f"{path.name}: trailing bytes")
    return value


def _encode_file(value: Any) -> bytes:
    # mtime 0, as Pagefind writes it: a timestamp would defeat the purpose.
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise FormatError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if at + size > len(data):
            raise FormatError("truncated CBOR")
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise FormatError(f"unsupported CBOR item (major {major}, info {info})")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        chunk = data[at : at + argument]
        if len(chunk) != argument:
            raise FormatError("truncated CBOR")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise FormatError(f"unsupported CBOR major type {major}")


def _head(major: int, argument: int) -> bytes:
    """The shortest head for `argument`, as Pagefind's encoder writes it."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, argument)
    raise FormatError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise FormatError("unsupported CBOR value")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(
            _encode(key) + _encode(item) for key, item in value.items()
        )
    raise FormatError(f"unsupported CBOR value {type(value).__name__}")
