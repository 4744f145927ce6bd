"""A reader in a browser tab: opens pages of the served site and notes what went wrong.

Every console error, uncaught script error, failed request, HTTP error and request
to another host is recorded, so each journey can end with `assert_clean()`.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import ConsoleMessage, Locator, Page, Request, Response


class Reader:
    """One Playwright page on the served site, with a log of problems."""

    def __init__(self, page: Page, base_url: str, site_dir: Path):
        self.page = page
        self.base_url = base_url
        self.site_dir = site_dir
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def open(self, path: str) -> None:
        """Go to a site path such as `/` or `/tags/training/`."""
        self.page.goto(self.base_url + path.lstrip("/"))

    @property
    def path(self) -> str:
        """The site path of the current page, without query or fragment."""
        return "/" + self.page.url.removeprefix(self.base_url).split("?")[0].split("#")[0]

    @property
    def pager(self) -> Locator:
        return self.page.get_by_role("navigation", name="Pagination")

    def assert_clean(self) -> None:
        """No console error, failed request or foreign request so far (after the page settles)."""
        self.page.wait_for_load_state("networkidle")
        assert self.problems == [], "\n".join(self.problems)

    def _is_own(self, url: str) -> bool:
        return url.startswith(self.base_url) or url.startswith(("data:", "blob:"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        self.problems.append(f"console error on {self.path}: {message.text} {message.location}")

    def _on_request(self, request: Request) -> None:
        if not self._is_own(request.url):
            self.problems.append(f"request to another host from {self.path}: {request.url}")

    def _on_request_failed(self, request: Request) -> None:
        # The reader clicked on before a late request (the favicon, say) finished: Chromium
        # cancels it. Missing files show up as HTTP errors in `_on_response` instead.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.status < 400:
            return
        self.problems.append(f"HTTP {response.status}: {response.url} (from {self.path})")
