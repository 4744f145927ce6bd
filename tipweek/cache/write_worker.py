"""The helper process that writes tipweek's pages into site_dir (see site_output.py).

`SiteOutput` starts it as `python -I write_worker.py SITE_DIR MANIFEST` and
sends it each page as a frame on stdin: a header (`FRAME`: the lengths of the
site-relative path and of the bytes), the path in UTF-8, the bytes.  The
worker skips a page whose file still holds exactly those bytes (as recorded
in the manifest of the last build: size, modification time, digest), writes
the others, and at the end of its input prints what is on disk as JSON:
`{"written": {path: [size, mtime_ns, digest]}, "unchanged": n}`.  A frame whose
path ends with "/" and has no bytes asks for that folder only: the build sends
every page's folder first, so creating them (the slow part on some disks)
overlaps the rendering of the pages.

A process rather than a thread: creating thousands of folders and files is
mostly system calls, and a thread doing them fights the rendering thread for
Python's global lock at every call.  The worker runs beside the build on
another core, and the build only waits when the pipe is full.  Standard
library only, so it starts in milliseconds; its first error ends it with the
message on stderr and exit status 1.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import sys
from typing import BinaryIO

#: Bump when the manifest's layout changes; older files are then ignored.
MANIFEST_FORMAT = 1
FRAME = struct.Struct("<II")

#: A file as it was left: [size, mtime_ns, digest].
Record = list


def digest(data: bytes) -> str:
    # blake2b releases the GIL for inputs this size.
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_manifest(manifest: str, site_dir: str) -> dict:
    """The manifest of the last build into `site_dir` (with its "written" records checked),
    or {} if it is missing, unreadable or about another folder."""
    try:
        with open(manifest, encoding="utf-8") as stream:
            data = json.load(stream)
        if data["format"] != MANIFEST_FORMAT or data["site_dir"] != site_dir:
            return {}
        data["written"] = {
            str(name): [int(size), int(mtime), str(checksum)]
            for name, (size, mtime, checksum) in data["written"].items()
        }
        return data
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_page(
    path: str, data: bytes, before: Record | None, made: set[str] | None = None
) -> tuple[Record, bool]:
    """Make `path` hold `data`; its record, and whether it had to be written.

    `made`: folders known to exist (created from a folder frame), whose
    creation is not attempted again: on some disks even a `mkdir` that finds
    the folder there costs tens of microseconds."""
    checksum = digest(data)
    if before is not None and before[2] == checksum and before[0] == len(data):
        with contextlib.suppress(OSError):
            stat = os.stat(path)
            if stat.st_size == before[0] and stat.st_mtime_ns == before[1]:
                return before, False
    folder = os.path.dirname(path)
    if made is None or folder not in made:
        os.makedirs(folder, exist_ok=True)
    # Plain system calls: no buffered file object, no second lookup of the path.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        stat = os.fstat(fd)
    finally:
        os.close(fd)
    return [stat.st_size, stat.st_mtime_ns, checksum], True


def send(stream: BinaryIO, relative: str, data: bytes) -> None:
    """One frame, as the worker reads it."""
    name = relative.encode("utf-8")
    stream.write(FRAME.pack(len(name), len(data)) + name + data)


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)  # a pipe gives less only at its end
    if len(data) != size:
        raise EOFError("the build stopped in the middle of a page")
    return data


def main(argv: list[str]) -> int:
    site_dir, manifest = argv
    previous = load_manifest(manifest, site_dir).get("written", {})
    written: dict[str, Record] = {}
    unchanged = 0
    made: set[str] = set()
    stream = sys.stdin.buffer
    try:
        while header := stream.read(FRAME.size):
            if len(header) != FRAME.size:
                raise EOFError("the build stopped in the middle of a page")
            name_size, data_size = FRAME.unpack(header)
            relative = _read_exactly(stream, name_size).decode("utf-8")
            data = _read_exactly(stream, data_size)
            # Spelled as `write_page` spells a page's folder, so `made` recognises it.
            path = os.path.join(site_dir, *relative.rstrip("/").split("/"))
            if relative.endswith("/"):
                os.makedirs(path, exist_ok=True)
                made.add(path)
                continue
            written[relative], changed = write_page(path, data, previous.get(relative), made)
            unchanged += not changed
    except (OSError, EOFError, UnicodeDecodeError) as error:
        print(f"{error}", file=sys.stderr)
        return 1
    json.dump({"written": written, "unchanged": unchanged}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
