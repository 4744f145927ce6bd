"""The `search` scenario of ``scripts/bench.py``: Pagefind against Material's lunr search.

Usage::

    python scripts/bench.py --sizes 2000,5000 --scenarios search [--json search.json]

For each size N, the same synthetic archive (``scripts/corpus.py``) is built by
tipweek three times from cold (output and caches deleted): with Material's
search plugin (lunr), with ``search: pagefind``, and with no search at all.
Then each searchable site is served on 127.0.0.1 and opened in Debian's
Chromium through Playwright with the CPU slowed 4 times (CDP
``Emulation.setCPUThrottlingRate``, as Lighthouse's mobile profile does):

- **bytes for the first query**: every byte the network transferred (CDP
  ``encodedDataLength``) for search files, from opening the home page until
  the first result is on screen: lunr's index and worker, or Pagefind's
  script, WebAssembly, metadata, index chunks and fragments;
- **keystroke → first result**: a reader opens the home page, and as soon as
  it has loaded clicks the search field and types the query; the time from the
  first keystroke until a result is drawn;
- **the index's cost**: what indexing added to the build as tipweek logs it
  (writing the pages for Pagefind, then waiting at the end for Pagefind, which
  starts in the background once the last tip page is written) and its share
  of the cold build; and, for
  both searches, what the build with it takes more than the build without any
  search (the fastest of ``--runs`` cold builds each).

The bytes are counted as this plain server sends them (no compression) and as
a host that gzips would (each file's gzip size, when smaller): lunr's JSON
compresses well, Pagefind's chunks are compressed already.  One query
(``refund``, a word of the corpus' vocabulary) per size and search: the numbers
are a measurement of this machine at this moment, printed with its load.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
from corpus import write_corpus  # noqa: E402
from served_site import launch_chromium, serve  # noqa: E402

SOURCE_DATE_EPOCH = "1767225600"  # after the corpus' newest tip: every tip is published
QUERY = "refund"
CPU_THROTTLING = 4
ENGINES = {
    "lunr": "plugins:\n  - search\n  - tipweek\n",
    "pagefind": "plugins:\n  - tipweek:\n      search: pagefind\n",
    "none": "plugins:\n  - tipweek\n",
}
HEADER = "site_name: Tips\nsite_url: https://example.org/\ntheme:\n  name: material\n"
INDEXED = re.compile(r"(\d+) tips? indexed for search in ([\d.]+) s")


@dataclass
class SearchResult:
    n: int
    engine: str
    build_s: float
    index_s: float | None = None
    first_query_bytes: int | None = None
    first_query_gzip_bytes: int | None = None
    first_result_s: float | None = None
    results_shown: int | None = None
    adds: float | None = None  # (build with this search - build without) / build without
    problem: str = ""


def build(project: Path, timeout: float) -> tuple[float, str]:
    """A cold build: output and caches deleted first. Returns (seconds, stderr)."""
    for name in ("site", ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"]
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=timeout
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"build failed in {project}:\n{done.stderr[-2000:]}")
    return seconds, done.stderr


def first_query(site: Path, engine: str) -> tuple[int, int, float, int]:
    """(bytes transferred for search, the same if the host gzips, seconds from keystroke
    to first result, results shown)."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            finished: list = []
            # Context-wide: Pagefind fetches its index from a Web Worker.
            context.on("requestfinished", lambda request: finished.append(request))
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLING})
            page.goto(base, wait_until="load")
            page.click(".md-search__input")
            start = time.perf_counter()
            page.keyboard.type(QUERY)
            page.wait_for_selector(".md-search-result__item", timeout=120_000)
            seconds = time.perf_counter() - start
            page.wait_for_timeout(500)  # let the responses that drew it finish
            shown = page.locator(".md-search-result__item").count()
            searched = gzipped = 0
            for request in finished:
                if not _is_search_file(request.url, engine):
                    continue
                sizes = request.sizes()
                searched += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                gzipped += _gzipped_size(site, request.url.removeprefix(base).split("?")[0])
                gzipped += sizes["responseHeadersSize"]
            context.close()
        finally:
            browser.close()
    return searched, gzipped, seconds, shown


def _gzipped_size(site: Path, path: str) -> int:
    """What a host that compresses responses would send for this file."""
    data = (site / path).read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def _is_search_file(url: str, engine: str) -> bool:
    if engine == "lunr":
        return "/search/search_index" in url or "/workers/search." in url
    return "/pagefind/" in url or "/assets/tipweek/search." in url


def run_size(n: int, work: Path, seed: int, timeout: float, runs: int) -> list[SearchResult]:
    size_dir = work / f"search-{n}"
    shutil.rmtree(size_dir, ignore_errors=True)
    write_corpus(n, size_dir / "corpus", seed)
    results = []
    builds: dict[str, float] = {}
    for engine, plugins in ENGINES.items():
        project = size_dir / engine
        shutil.copytree(size_dir / "corpus" / "tips", project / "tips")
        (project / "docs").mkdir(parents=True)
        (project / "docs" / "index.md").write_text("# Tips\n", encoding="utf-8")
        (project / "mkdocs.yml").write_text(HEADER + plugins, encoding="utf-8")
        # The fastest of `runs` cold builds: the machine's noise only ever adds time.
        timed = [build(project, timeout) for _ in range(runs)]
        seconds, stderr = min(timed, key=lambda run: run[0])
        builds[engine] = seconds
        _log(f"   N={n} {engine}: cold builds {', '.join(f'{t:.1f}' for t, _ in timed)} s")
        if engine == "none":
            continue
        result = SearchResult(n, engine, seconds)
        found = INDEXED.search(stderr)
        if engine == "pagefind" and found:
            result.index_s = float(found.group(2))
        try:
            measured = first_query(project / "site", engine)
            (
                result.first_query_bytes,
                result.first_query_gzip_bytes,
                result.first_result_s,
                result.results_shown,
            ) = measured
        except Exception as error:  # a failed measurement is reported, never a number
            result.problem = f"{type(error).__name__}: {error}"
        _log(f"   N={n} {engine}: {result}")
        results.append(result)
    for result in results:
        result.adds = (result.build_s - builds["none"]) / builds["none"]
    return results


def table(results: Sequence[SearchResult]) -> str:
    lines = [
        "| N | search | bytes for the first query (gzip on the host) | keystroke to first "
        "result, CPU slowed 4x | index time (share of the build) | cold build | "
        "adds to a build without search |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        index = f"{r.index_s:.1f} s ({r.index_s / r.build_s:.0%})" if r.index_s else "not logged"
        transferred = (
            f"{r.first_query_bytes:,} B ({r.first_query_gzip_bytes:,} B)"
            if r.first_query_bytes is not None and r.first_query_gzip_bytes is not None
            else "—"
        )
        first = f"{r.first_result_s:.2f} s" if r.first_result_s is not None else "—"
        adds = f"{r.adds:+.0%}" if r.adds is not None else "—"
        problem = f" ({r.problem})" if r.problem else ""
        lines.append(
            f"| {r.n:,} | {r.engine} | {transferred} | {first} | {index} | "
            f"{r.build_s:.1f} s | {adds} |{problem}"
        )
    by_size: dict[int, dict[str, SearchResult]] = {}
    for r in results:
        by_size.setdefault(r.n, {})[r.engine] = r
    ratios = []
    for n, pair in by_size.items():
        lunr, pagefind = pair.get("lunr"), pair.get("pagefind")
        if lunr and pagefind and lunr.first_query_bytes and pagefind.first_query_bytes:
            bytes_ratio = pagefind.first_query_bytes / lunr.first_query_bytes
            gzip_ratio = (pagefind.first_query_gzip_bytes or 0) / (lunr.first_query_gzip_bytes or 1)
            time_ratio = (pagefind.first_result_s or 0) / (lunr.first_result_s or 1)
            ratios.append(
                f"- N={n:,}: Pagefind transfers {bytes_ratio:.1%} of lunr's bytes "
                f"({gzip_ratio:.1%} with gzip on the host); its first result comes in "
                f"{time_ratio:.0%} of lunr's time"
            )
    load = os.getloadavg()
    return "\n".join(
        [
            *lines,
            "",
            *ratios,
            "",
            f"Query `{QUERY}`; load average at the end {load[0]:.2f}, {os.cpu_count()} CPUs.",
        ]
    )


def run(
    sizes: Sequence[int], work: Path, seed: int, timeout: float, runs: int = 1
) -> tuple[str, list[dict]]:
    """Every size; returns the Markdown report and the raw results."""
    results: list[SearchResult] = []
    for n in sizes:
        _log(f"== search N={n} in {work}")
        results += run_size(n, work, seed, timeout, runs)
    return "## Search: Pagefind vs Material's lunr\n\n" + table(results), [
        asdict(r) for r in results
    ]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
