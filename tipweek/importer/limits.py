"""Read an import source within a total deadline and a size cap.

A socket timeout bounds each read, not the download: a server that sends a
byte a second never trips it.  So a timer shuts the connection's socket down
when the total deadline passes (a blocked read then returns at once), reads
take what has arrived (`read1`) and check the clock, and a body larger than
the cap is refused as soon as it is announced or exceeded, before it fills
memory.  Files get the same cap, and only regular files are read (a FIFO or a
device could block or never end).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import collapse_rfc2231_value
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from tipweek.importer import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS
from tipweek.importer.sniff import SourceError

# A stalled connection is given up on after this long even with time left.
READ_TIMEOUT_SECONDS = 60.0
_CHUNK = 1 << 16
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass(frozen=True)
class ReadLimits:
    """`timeout`: total seconds to read the source; `max_bytes`: its largest size."""

    timeout: float = DEFAULT_TIMEOUT_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES


def parse_size(text: str) -> int:
    """`2000000`, `500k`, `100M`, `1G` (binary units) as a number of bytes; ValueError if not."""
    cleaned = text.strip().lower().removesuffix("b").removesuffix("i")
    number, unit = (cleaned[:-1], cleaned[-1]) if cleaned[-1:] in _UNITS else (cleaned, "")
    value = float(number) * _UNITS[unit]
    if not value >= 1 or value != value:  # NaN and sizes below one byte
        raise ValueError(text)
    return int(value)


class _Deadline:
    """Shuts every watched socket down when the time is up (from a timer thread)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.fired or self.remaining() <= 0

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()
        self._timer.join()  # no thread outlives the download


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for TLS: it wakes a blocked read at once.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watching:
    """A urllib handler mixin: every connection it opens is watched by the deadline."""

    deadline: _Deadline

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        deadline = self.deadline

        class Watched(http_class):  # type: ignore[misc, valid-type]
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        return super().do_open(Watched, req, **kwargs)  # type: ignore[misc]


#: Redirects followed from one URL; browsers stop at about twenty, feeds need one or two.
MAX_REDIRECTS = 10


class _Refused(Exception):
    """A redirect the import does not follow; the message is the reason, one line."""


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to http(s), each hop checked as the first URL is.

    urllib's own handler also follows `ftp://` (a local port then receives
    `USER anonymous`), and reports a loop in three lines.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chain: list[str] = []  # the hops so far, for the request being made

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:
            # Checked here, where every scheme is still seen: urllib's own check answers
            # `file:` with an HTTPError of its own words, and lets `ftp:` through.
            newurl = urljoin(req.full_url, location)
            self._chain = [*getattr(req, "tipweek_chain", [req.full_url]), newurl]
            problem = None
            if not newurl.lower().startswith(("http://", "https://")):
                problem = f"only http:// and https:// URLs can be imported ({_short_url(newurl)})"
            elif newurl in self._chain[:-1]:
                hops = " -> ".join(_short_url(url) for url in self._chain)
                problem = f"a redirect loop ({hops})"
            elif len(self._chain) > MAX_REDIRECTS + 1:
                problem = f"more than {MAX_REDIRECTS} redirects (the last to {_short_url(newurl)})"
            if problem:
                fp.close()
                raise _Refused(f"the server redirected ({code}) to {problem}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.tipweek_chain = self._chain
        return new


def _short_url(url: str, keep: int = 80) -> str:
    flat = " ".join(url.split())
    return flat if len(flat) <= keep else f"{flat[:keep]}…"


class _HTTPHandler(_Watching, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_Watching, urllib.request.HTTPSHandler):
    pass


@dataclass(frozen=True)
class Fetched:
    """A source's bytes, and the `charset` its server named (None for a file)."""

    data: bytes
    charset: str | None = None


def read_limited(location: str, limits: ReadLimits, user_agent: str) -> Fetched:
    """The bytes of a URL or file; `SourceError` past the deadline or the size cap."""
    if _URL.match(location):
        return _download(location, limits, user_agent)
    return Fetched(_read_file(location, limits))


def _charset(headers: Any) -> str | None:
    """The `charset` of the response's Content-Type, as the server wrote it."""
    value = headers.get_param("charset")
    if not value:
        return None
    # `charset='x'`: quoted the other way, as some servers write it.
    return collapse_rfc2231_value(value).strip().strip("'\"").strip() or None


def _too_large(location: str, limits: ReadLimits) -> SourceError:
    return SourceError(
        f"{location}: larger than {limits.max_bytes:,} bytes; raise the limit with --max-bytes"
    )


def _too_slow(location: str, limits: ReadLimits, received: int) -> SourceError:
    return SourceError(
        f"{location}: not read completely within {limits.timeout:g} seconds "
        f"({received:,} bytes arrived); give it more time with --timeout"
    )


def _download(location: str, limits: ReadLimits, user_agent: str) -> Fetched:
    if not location.lower().startswith(("http://", "https://")):
        raise SourceError(f"{location}: only http:// and https:// URLs can be imported")
    deadline = _Deadline(limits.timeout)
    handlers = [_HTTPHandler(), _HTTPSHandler()]
    for handler in handlers:
        handler.deadline = deadline
    opener = urllib.request.build_opener(*handlers, _CheckedRedirects())
    request = urllib.request.Request(location, headers={"User-Agent": user_agent})
    chunks: list[bytes] = []
    received = 0
    charset: str | None = None
    try:
        with deadline:
            timeout = max(0.01, min(deadline.remaining(), READ_TIMEOUT_SECONDS))
            with opener.open(request, timeout=timeout) as response:
                charset = _charset(response.headers)
                announced = response.headers.get("Content-Length", "")
                if announced.strip().isdigit() and int(announced) > limits.max_bytes:
                    raise _too_large(location, limits)
                while not deadline.expired():
                    chunk = response.read1(_CHUNK)
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > limits.max_bytes:
                        raise _too_large(location, limits)
                    chunks.append(chunk)
    except _Refused as error:
        raise SourceError(f"{location}: {error}") from None
    except urllib.error.HTTPError as error:
        reason = _one_line(error.reason) or "no reason given"
        raise SourceError(f"{location}: the server answered {error.code} {reason}") from None
    except (urllib.error.URLError, OSError, ValueError, HTTPException) as error:
        if deadline.expired():
            raise _too_slow(location, limits, received) from None
        reason = getattr(error, "reason", error)
        raise SourceError(f"{location}: cannot download it ({_one_line(reason)})") from None
    if deadline.expired():  # a socket shut by the deadline reads as a short, clean end
        raise _too_slow(location, limits, received)
    return Fetched(b"".join(chunks), charset)


def _one_line(reason: object) -> str:
    """An error's reason on one line, never empty (`RemoteDisconnected()` has no words)."""
    text = " ".join(str(reason).split())
    if isinstance(reason, BaseException):
        return text or type(reason).__name__
    return text


def _read_file(location: str, limits: ReadLimits) -> bytes:
    path = Path(location)
    try:
        if path.is_dir():
            raise SourceError(f"{location}: is a folder; give the feed or export file itself")
        if not path.exists():
            raise SourceError(f"{location}: no such file")
        if not path.is_file():
            raise SourceError(f"{location}: not a regular file (a pipe or a device?)")
        if path.stat().st_size > limits.max_bytes:
            raise _too_large(location, limits)
        started = time.monotonic()
        chunks: list[bytes] = []
        received = 0
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK * 16):
                received += len(chunk)
                if received > limits.max_bytes:  # the file grew while it was read
                    raise _too_large(location, limits)
                if time.monotonic() - started > limits.timeout:
                    raise _too_slow(location, limits, received)
                chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise SourceError(f"{location}: cannot read it ({error.strerror or error})") from None
