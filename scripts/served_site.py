"""Build the sample publication, serve it on 127.0.0.1 and open it in Debian's Chromium.

Shared by the browser tests (``tests/browser/``) and ``scripts/screenshots.py`` so
that both look at the same site the same way: one reproducible build (a fixed
``SOURCE_DATE_EPOCH``), a plain static file server like any web host, and the
system Chromium (Playwright's own browser download is not available everywhere).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

REPO = Path(__file__).resolve().parent.parent
# 2026-11-18T08:53:20Z, the day after the sample's newest published tip: a fixed
# "now" makes every build (and so every screenshot) the same.
SAMPLE_EPOCH = "1795000000"
CHROMIUM = "/usr/bin/chromium"
# Headless in containers and CI: no sandbox (no user namespaces), no GPU, and
# nothing phoning home, so every request the page makes is one the site asked for.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Viewport:
    """A reader's screen, as Playwright's `new_context` options."""

    name: str
    width: int
    height: int
    scale: float = 1
    mobile: bool = False

    def context_options(self) -> dict[str, object]:
        return {
            "viewport": {"width": self.width, "height": self.height},
            "device_scale_factor": self.scale,
            "is_mobile": self.mobile,
            "has_touch": self.mobile,
        }


DESKTOP = Viewport("desktop", 1280, 800)
# A common phone (CSS pixels of a Pixel 7 / iPhone 14 class device).
PHONE = Viewport("phone", 390, 844, scale=2, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


class BuildFailed(RuntimeError):
    """`mkdocs build --strict` of the sample site exited non-zero."""


def build_sample_site(site_dir: Path, epoch: str = SAMPLE_EPOCH) -> Path:
    """Build the repository's own mkdocs.yml into `site_dir`, as a publisher would."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    command += ["--config-file", str(REPO / "mkdocs.yml"), "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return site_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test and script output for what matters; the browser reports failures."""

    def end_headers(self) -> None:
        # LinkChecker waits 0.1-0.6 s between requests to a host unless the host answers
        # with this header; on our own local server that politeness only costs time.
        self.send_header("LinkChecker", "unthrottled")
        super().end_headers()


@contextmanager
def serve(site_dir: Path, handler_class: type = _QuietHandler) -> Iterator[str]:
    """Serve `site_dir` on a free port of 127.0.0.1 with `handler_class` (a
    `SimpleHTTPRequestHandler`); yields the base URL ending in `/`."""
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Debian Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
