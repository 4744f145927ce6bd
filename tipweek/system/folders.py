"""Swapping two folders whole: a reader of either name sees one folder or the other.

Linux swaps them in one `renameat2(RENAME_EXCHANGE)` call, macOS in one
`renamex_np(RENAME_SWAP)` (both looked up with ctypes in the running
process).  Where neither exists or the file system refuses (Windows, FAT,
some network shares), three renames to free names do it, which Windows'
`rename` allows too (it refuses to replace an existing folder): the second
name is missing for the time of one rename, and a failure in between puts
back what was moved.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux, <linux/fs.h>
_RENAME_SWAP = 2  # macOS, <stdio.h>
#: The answers of a kernel or file system that cannot swap: fall back to renames.
_CANNOT_SWAP = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", 95)}
#: Windows refuses to rename a folder while another program (a virus scanner, an
#: indexer, the preview server) holds a file in it open; it usually lets go at once.
_REFUSED_TRIES = 5 if os.name == "nt" else 1
_REFUSED_PAUSE = 0.1


def exchange(a: Path, b: Path) -> None:
    """Give folder `a` the name `b` and folder `b` the name `a`."""
    swap = _atomic_swap()
    if swap is not None and swap(a, b):
        return
    aside = a.with_name(a.name + "-old")
    if os.path.lexists(aside):
        shutil.rmtree(aside)
    _rename(b, aside)
    try:
        _rename(a, b)
    except OSError:
        with contextlib.suppress(OSError):
            _rename(aside, b)
        raise
    _rename(aside, a)


def _rename(source: Path, target: Path) -> None:
    for attempt in range(_REFUSED_TRIES):
        try:
            os.rename(source, target)
            return
        except PermissionError:
            if attempt == _REFUSED_TRIES - 1:
                raise
            time.sleep(_REFUSED_PAUSE * (attempt + 1))


@functools.cache
def _atomic_swap() -> Callable[[Path, Path], bool] | None:
    """The system's one-call swap, returning False where the file system cannot swap;
    None where the system has none.  (ctypes is imported only here: `tipweek check`
    imports this module and must start fast.)"""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # Windows' CDLL refuses None with a TypeError
        return None
    path, number = ctypes.c_char_p, ctypes.c_int
    renameat2 = getattr(libc, "renameat2", None)  # Linux (glibc 2.28, musl 1.2.2)
    if renameat2 is not None:
        renameat2.argtypes = [number, path, number, path, ctypes.c_uint]
        renameat2.restype = number

        def call(a: bytes, b: bytes) -> int:
            return renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)

    else:
        renamex_np = getattr(libc, "renamex_np", None)  # macOS 10.12
        if renamex_np is None:
            return None
        renamex_np.argtypes = [path, path, ctypes.c_uint]
        renamex_np.restype = number

        def call(a: bytes, b: bytes) -> int:
            return renamex_np(a, b, _RENAME_SWAP)

    def swap(a: Path, b: Path) -> bool:
        if call(os.fsencode(a), os.fsencode(b)) == 0:
            return True
        code = ctypes.get_errno()
        if code in _CANNOT_SWAP:
            return False
        raise OSError(code, os.strerror(code), str(b))

    return swap
