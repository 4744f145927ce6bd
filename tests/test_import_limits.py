"""Bounded import (issue #19, part 4) and the names and sizes the build would refuse.

A server on 127.0.0.1 that trickles one byte a second must not hold an import
past `--timeout`, a source over `--max-bytes` is refused before it fills
memory, a 250-character slug never reaches the file system whole (even where
the year folder exists, which is where `ENAMETOOLONG` used to come from), and
a post larger than a tip may be is skipped with its reason.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_import import WXR, front, make_project, run_import, tip_files
from tipweek.cli import import_command as command
from tipweek.core.tips import MAX_TIP_BYTES
from tipweek.importer import DEFAULT_MAX_BYTES
from tipweek.importer.limits import parse_size

FEED_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>'


def feed(*items: str) -> str:
    return FEED_HEAD.decode() + "".join(items) + "</channel></rss>\n"


def item(title: str, link: str, body: str, day: str = "05 Aug 2014") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Tue, {day} 12:00:00 +0000</pubDate>"
        f"<description><![CDATA[{body}]]></description></item>"
    )


class Server:
    """A local HTTP server whose answers a test writes as a function of the handler."""

    def __init__(self, answer: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # The importer hanging up on a slow answer is the point.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/feed"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def trickle_body(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    for _ in range(30):  # a byte a second, for far longer than the test's deadline
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(1)


def trickle_headers(handler: http.server.BaseHTTPRequestHandler) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 30:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.mark.parametrize("answer", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_server_that_trickles_is_given_up_on_at_the_total_deadline(project, capsys, answer):
    with Server(answer) as server:
        started = time.monotonic()
        assert run_import(project, "--timeout", "2", server.url) == 1
        elapsed = time.monotonic() - started
    assert 1.9 < elapsed < 4.5  # the total deadline, not a per-read timeout
    err = capsys.readouterr().err
    assert err.startswith(
        f"tipweek import: error: {server.url}: not read completely within 2 seconds ("
    )
    assert err.endswith("bytes arrived); give it more time with --timeout; nothing was imported\n")
    assert err.count("\n") == 1
    assert tip_files(project) == set()
    # The deadline's timer is gone (tipweek forks workers only when no other thread runs).
    assert [t for t in threading.enumerate() if isinstance(t, threading.Timer)] == []


def test_a_download_larger_than_max_bytes_is_refused(project, capsys):
    body = feed(item("One", "https://old.example/one/", "x" * 5000)).encode()

    def unannounced(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()  # no Content-Length: the cap is checked while reading
        handler.wfile.write(body)

    with Server(unannounced) as server:
        assert run_import(project, "--max-bytes", "2k", server.url) == 1
    err = capsys.readouterr().err
    assert err == (
        f"tipweek import: error: {server.url}: larger than 2,048 bytes; raise the limit "
        "with --max-bytes; nothing was imported\n"
    )
    with Server(unannounced) as server:
        assert run_import(project, "--max-bytes", "10k", server.url) == 0
    assert tip_files(project) == {"tips/2014/2014-08-05-one.md"}


def test_a_file_larger_than_max_bytes_is_refused_unread(project, capsys):
    source = project / "big.xml"
    source.write_bytes(WXR.read_bytes())
    assert run_import(project, "--max-bytes", "1000", str(source)) == 1
    assert "larger than 1,000 bytes; raise the limit with --max-bytes" in capsys.readouterr().err
    assert tip_files(project) == set()


def test_a_pipe_is_not_read(project, capsys, tmp_path):
    import os

    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)  # opening it would block until someone writes
    assert run_import(project, str(fifo)) == 1
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("2000000", 2_000_000),
        ("500k", 512_000),
        ("100M", 100 * 2**20),
        ("1G", 2**30),
        ("2MiB", 2 * 2**20),
    ],
)
def test_sizes_read_like_people_write_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["0", "-5", "lots", "nan", ""])
def test_a_bad_limit_is_a_usage_error(capsys, bad):
    parser = argparse.ArgumentParser(prog="tipweek import")
    command.configure_parser(parser)
    for option in ("--max-bytes", "--timeout"):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args([option, bad, "feed.xml"])
        assert stop.value.code == 2
    assert "not a size" in capsys.readouterr().err
    defaults = parser.parse_args(["feed.xml"])
    assert (defaults.timeout, defaults.max_bytes) == (300.0, DEFAULT_MAX_BYTES)


def test_a_250_character_slug_is_cut_where_the_year_folder_exists(project, capsys):
    (project / "tips" / "2014").mkdir()  # the folder _free_name used to stat long names in
    long_slug = "-".join(["listen"] * 42)[:250]
    source = project / "feed.xml"
    source.write_text(
        feed(
            item("Long", f"https://old.example/2014/08/05/{long_slug}/", "<p>Long.</p>"),
            item("Long too", f"https://old.example/2014/08/05/{long_slug}x/", "<p>Again.</p>"),
        ),
        encoding="utf-8",
    )
    assert run_import(project, str(source)) == 0
    names = sorted(p.name for p in (project / "tips" / "2014").iterdir())
    assert len(names) == 2
    assert all(len(name.encode()) <= 140 for name in names)
    first = front(project, f"tips/2014/{names[0]}")
    assert first["slug"].startswith("listen-listen") and len(first["slug"]) <= 120
    assert first.get("aliases", []) == []  # the old URL is too long to be a folder: not kept
    assert run_import(project, str(source)) == 0  # and again: idempotent
    assert len(list((project / "tips" / "2014").iterdir())) == 2
    assert "imported 0 tips, skipped 2, failed 0" in capsys.readouterr().out


def test_a_post_larger_than_a_tip_may_be_is_skipped_with_its_reason(project, capsys):
    huge = "<p>" + "word " * (MAX_TIP_BYTES // 5 + 10) + "</p>"
    source = project / "feed.xml"
    source.write_text(
        feed(
            item("Huge", "https://old.example/huge/", huge),
            item("Small", "https://old.example/small/", "<p>Fine.</p>", day="12 Aug 2014"),
        ),
        encoding="utf-8",
    )
    assert run_import(project, str(source)) == 0
    assert tip_files(project) == {"tips/2014/2014-08-12-small.md"}
    out = capsys.readouterr().out
    assert 'skipped: entry 1 "Huge": the tip would be 1,000,1' in out
    assert f"bytes; a tip may be at most {MAX_TIP_BYTES:,}" in out
