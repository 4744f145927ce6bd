"""Screenshots of the sample publication as readers see it, on a desktop and on a phone.

Usage::

    python scripts/screenshots.py                 # PNGs into screenshots/ (git-ignored)
    python scripts/screenshots.py --readme        # refresh docs/assets/screenshots/ for the README
    python scripts/screenshots.py --out DIR --site-dir site/   # shoot an existing build

The sample site (the repository's mkdocs.yml) is built with "now" fixed to
2026-11-18, so the pictures only change when the look does. Each page kind (the
home page, a tag page, a tip page, the 404 page) is shot at each viewport as
`<kind>-<viewport>.png`.

Exit status: 0 when every picture was written, 1 when the build or the browser failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from served_site import (
    DESKTOP,
    PHONE,
    REPO,
    BuildFailed,
    Viewport,
    build_sample_site,
    launch_chromium,
    serve,
)

PAGES = {
    "home": "/",
    "tag": "/tags/training/",
    "tip": "/2026/06/30/train-with-real-transcripts/",
    # What a reader of a dead link sees (served at its own address here).
    "not-found": "/404.html",
}
README_FOLDER = REPO / "docs" / "assets" / "screenshots"
# The browser tests use the phone's real pixel density; pictures for the README stay
# small at one image pixel per CSS pixel (the layout is the same).
VIEWPORTS = (DESKTOP, replace(PHONE, scale=1))


def shoot(site_dir: Path, out: Path, viewports: tuple[Viewport, ...] = VIEWPORTS) -> list[Path]:
    """Serve `site_dir` and write one PNG per page kind and viewport into `out`."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site_dir) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for viewport in viewports:
                context = browser.new_context(**viewport.context_options())
                page = context.new_page()
                for kind, path in PAGES.items():
                    page.goto(base_url + path.lstrip("/"))
                    page.wait_for_load_state("networkidle")
                    target = out / f"{kind}-{viewport.name}.png"
                    page.screenshot(path=str(target), animations="disabled", caret="hide")
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=REPO / "screenshots", help="output folder")
    where.add_argument(
        "--readme", action="store_true", help=f"write into {README_FOLDER.relative_to(REPO)}/"
    )
    parser.add_argument(
        "--site-dir", type=Path, help="an already built site to shoot (default: build one)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = README_FOLDER if args.readme else args.out
    try:
        with tempfile.TemporaryDirectory(prefix="tipweek-shots-") as scratch:
            site_dir = args.site_dir or build_sample_site(Path(scratch) / "site")
            written = shoot(site_dir, out)
    except BuildFailed as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # Playwright's errors: no Chromium, page timeouts
        print(f"screenshots: the browser failed: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
