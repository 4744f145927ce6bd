"""`tipweek import` within bounds (issue #29): redirects only to http(s), each hop checked,
every failure one line with a reason, and a post too deep or too large to convert reported
and skipped while the others come over."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.test_import import body, make_project, run_import, tip_files
from tipweek.cli.main import main
from tipweek.core.markdown_cost import markdown_cost_problems
from tipweek.importer.html_bounds import MAX_HTML_DEPTH, MAX_POST_HTML_CHARS, nesting_depth

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Old tips</title><link>https://old.example.org/</link>
<description>x</description>{items}</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>https://old.example.org/{slug}/</link>
<pubDate>Tue, 0{day} Jul 2014 09:00:00 +0000</pubDate><guid>https://old.example.org/{slug}/</guid>
<description>{html}</description></item>"""


def feed(*posts: tuple[str, str]) -> bytes:
    items = "".join(
        ITEM.format(title=title, slug=title.lower().replace(" ", "-"), day=n, html=escape(html))
        for n, (title, html) in enumerate(posts, 1)
    )
    return FEED.format(items=items).encode("utf-8")


class _Listener:
    """A bare TCP port that only counts who connects: the 'ftp server' a redirect names."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def servers() -> Iterator[tuple[str, _Listener]]:
    """A web server whose paths redirect as their names say, and a port named by ftp://."""
    listener = _Listener()
    good = feed(("Smile", "<p>Smile when you answer.</p>"))

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            targets = {
                "/to-ftp": f"ftp://127.0.0.1:{listener.port}/feed.xml",
                "/to-file": "file:///etc/passwd",
                "/loop-a": f"{base}/loop-b",
                "/loop-b": "/loop-a",
                "/self": "/self",
                "/to-feed": "/feed.xml",
            }
            if self.path.startswith("/chain-"):
                n = int(self.path.removeprefix("/chain-"))
                targets[self.path] = f"/chain-{n + 1}"
            if self.path in targets:
                self.send_response(302)
                self.send_header("Location", targets[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/feed.xml":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(good)))
                self.end_headers()
                self.wfile.write(good)
            elif self.path == "/hang-up":
                self.close_connection = True  # no status line at all: RemoteDisconnected()
            else:
                self.send_response(404, "")
                self.send_header("Content-Length", "0")
                self.end_headers()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", listener
    finally:
        httpd.shutdown()
        httpd.server_close()
        listener.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def import_error(project: Path, capsys, url: str) -> list[str]:
    assert run_import(project, url) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert tip_files(project) == set()
    return err.splitlines()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-ftp", "the server redirected (302) to only http:// and https:// URLs can be "),
        (
            "/to-file",
            "(302) to only http:// and https:// URLs can be imported (file:///etc/passwd)",
        ),
        ("/loop-a", "a redirect loop ("),
        ("/self", "a redirect loop ("),
        ("/chain-1", "more than 10 redirects (the last to "),
    ],
)
def test_a_redirect_is_followed_only_to_http_and_never_in_circles(
    project, servers, capsys, path, reason
):
    base, listener = servers
    lines = import_error(project, capsys, f"{base}{path}")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"tipweek import: error: {base}{path}: ")
    assert reason in lines[0]
    assert lines[0].endswith("; nothing was imported")
    time.sleep(0.3)  # the listener would have seen a connection by now
    assert listener.connections == 0


def test_a_loop_names_each_hop_once(project, servers, capsys):
    base, _ = servers
    [line] = import_error(project, capsys, f"{base}/loop-a")
    assert f"a redirect loop ({base}/loop-a -> {base}/loop-b -> {base}/loop-a)" in line


def test_a_redirect_to_http_is_followed(project, servers, capsys):
    base, _ = servers
    assert run_import(project, f"{base}/to-feed") == 0
    assert tip_files(project) == {"tips/2014/2014-07-01-smile.md"}


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/hang-up", "cannot download it (Remote end closed connection"), ("/x", "answered 404 ")],
)
def test_every_download_failure_is_one_line_with_a_reason(project, servers, capsys, path, reason):
    base, _ = servers
    [line] = import_error(project, capsys, f"{base}{path}")
    assert reason in line
    assert "()" not in line


def test_a_refused_ftp_url_given_directly_is_one_line_too(project, capsys):
    [line] = import_error(project, capsys, "ftp://127.0.0.1:9/feed.xml")
    assert "only http:// and https:// URLs can be imported" in line


def test_a_post_nested_100000_deep_is_skipped_and_the_others_come_over(project, capsys, tmp_path):
    deep = "<div>" * 100_000 + "x" + "</div>" * 100_000
    source = tmp_path / "deep.rss"
    source.write_bytes(
        feed(
            ("Deep", deep),
            ("Huge", "<p>" + "word " * (MAX_POST_HTML_CHARS // 5) + "</p>"),
            ("Fine", "<div><p>A <b>real</b> post.</p></div>"),
        )
    )
    assert run_import(project, str(source)) == 1  # a failed post: exit 1, as for any
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert tip_files(project) == {"tips/2014/2014-07-03-fine.md"}
    failed = [line.strip() for line in out.splitlines() if line.strip().startswith("failed:")]
    assert len(failed) == 2
    assert '"Deep": its HTML nests elements more than 100 deep' in failed[0]
    assert '"Huge": its HTML has 2,000,' in failed[1]
    assert "characters; a post may have at most 2,000,000; not converted" in failed[1]


def test_brackets_in_a_post_come_over_escaped_and_within_the_builds_bounds(
    project, capsys, tmp_path
):
    """20,000 `[` in a post would be refused in a tip; the converter escapes each (`\\[`),
    which Markdown reads in one pass, so the tip passes the build's bounds."""
    source = tmp_path / "brackets.rss"
    source.write_bytes(feed(("Brackets", "<p>" + "[" * 20_000 + "</p>")))
    assert run_import(project, str(source)) == 0
    assert list(markdown_cost_problems(body(project, "tips/2014/2014-07-01-brackets.md"), 1)) == []


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<div><p>a<p>b<p>c</div>", 2),  # a <p> closes the one before
        ("<ul><li>a<li>b<ul><li>c</ul></ul>", 4),
        ("<p>a<br>b<img src=x /><hr></p>", 1),
        ("</div></div><b>x</b>", 1),  # stray closing tags close nothing
        ("<a " * 1000, 0),  # never a tag: no '>'
        ("<div>" * (MAX_HTML_DEPTH + 50), MAX_HTML_DEPTH + 1),  # stops once past the bound
    ],
)
def test_nesting_depth_counts_as_a_parser_would(html, depth):
    assert nesting_depth(html, stop_past=MAX_HTML_DEPTH) == depth


def test_a_numeric_reference_of_4301_digits_in_a_feed_is_no_traceback(project, capsys, tmp_path):
    """feedparser reads `&#…;` with int(), which stops at 4,300 digits: such a reference
    (in the XML itself, or escaped in a post's HTML) is U+FFFD, as to a browser."""
    digits = "1" * 4301
    source = tmp_path / "refs.rss"
    source.write_bytes(
        feed(
            ("Refs", f"<p>&#{digits}; and &#x{'f' * 5000}; and &#65;</p>"),
            ("Plain", "<p>Fine.</p>"),
        ).replace(b"<title>Refs</title>", f"<title>Refs &#{digits};</title>".encode())
    )
    assert run_import(project, str(source)) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert tip_files(project) == {"tips/2014/2014-07-01-refs.md", "tips/2014/2014-07-02-plain.md"}
    text = body(project, "tips/2014/2014-07-01-refs.md")
    assert "\ufffd and \ufffd and A" in text
    assert digits not in (project / "tips/2014/2014-07-01-refs.md").read_text(encoding="utf-8")


def test_old_urls_differing_only_in_case_keep_one_redirect(project, capsys, tmp_path, monkeypatch):
    """`/About-Us/` and `/about-us/` are one folder on macOS and Windows: the build refuses
    the pair, so the import keeps the first and says why the second is not redirected."""
    source = tmp_path / "case.rss"
    data = feed(("First", "<p>One.</p>"), ("Second", "<p>Two.</p>"))
    data = data.replace(b"https://old.example.org/first/", b"https://old.example.org/About-Us/")
    data = data.replace(b"https://old.example.org/second/", b"https://old.example.org/about-us/")
    source.write_bytes(data)
    assert run_import(project, str(source)) == 0
    _, err = capsys.readouterr()
    assert "old URL /about-us/ is not redirected: it is already used by tips/2014/" in err
    monkeypatch.chdir(project)
    assert main(["check"]) == 0
