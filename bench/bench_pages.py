"""Page weight and first paint: the largest sphere's page and the search page of the national registry.

Debian's chromium (Playwright) loads each page with its cache disabled, as a first visit: the bytes transferred
(the HTML and every file it loads, headers included, from the Chrome DevTools Protocol's encodedDataLength)
with gzip and with ``Accept-Encoding: identity``, and the first paint and first contentful paint with the CPU
slowed four times (``Emulation.setCPUThrottlingRate``), as on a modest office laptop or phone. Goal: the largest
sphere page under 150 KB transferred in all and painted in under a second.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench_serve import build, start
from common import free_port, parser, publish, spheres_of, table

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SLOWDOWN = 4
SEARCHED = "観光"


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0] if __doc__ else "page benchmark")
    p.add_argument("--runs", type=int, default=None, help="Loads per page and setting (5; 1 with --quick).")
    args = p.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="renkei-pages-") as tmp:
        body = run(args, Path(tmp))
    publish(args, f"Page weight and first paint ({spheres_of(args)} spheres)", body, started)


def run(args: Any, tmp: Path) -> str:
    from playwright.sync_api import sync_playwright

    spheres = build(spheres_of(args), args.seed, tmp / "registry.db")
    runs = args.runs or (1 if args.quick else 5)
    largest = max(
        spheres, key=lambda s: (len(s.revisions[-1].vision.municipalities), len(s.revisions[-1].vision.projects))
    )
    vision = largest.revisions[-1].vision
    size = f"{len(vision.municipalities)} towns, {len(vision.projects)} projects"
    pages = {
        f"largest sphere ({size})": f"/spheres/{largest.key}",
        f"search {SEARCHED} (facets)": f"/search?q={quote(SEARCHED)}",
    }
    port = free_port()
    command = [sys.executable, "-m", "renkei", "serve", "--db", str(tmp / "registry.db"), "--port", str(port)]
    server = start("renkei", command, port, "/", tmp / "serve.log")
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for name, path in pages.items():
                    gz = [load(browser, server.base + path, compressed=True) for _ in range(runs)]
                    plain = load(browser, server.base + path, compressed=False)
                    rows.append(
                        [
                            name,
                            f"{gz[0]['html'] / 1024:.1f}",
                            f"{gz[0]['transferred'] / 1024:.1f}",
                            f"{plain['transferred'] / 1024:.1f}",
                            gz[0]["requests"],
                            f"{statistics.median(r['first_paint'] for r in gz):.0f}",
                            f"{statistics.median(r['first_contentful_paint'] for r in gz):.0f}",
                        ]
                    )
            finally:
                browser.close()
    finally:
        server.stop()
    headers = [
        "page",
        "HTML gzip (KB)",
        "all, gzip (KB)",
        "all, identity (KB)",
        "requests",
        f"first paint, CPU ×{SLOWDOWN} (ms, median of {runs})",
        "first contentful paint (ms)",
    ]
    notes = (
        "\n\nA first visit (cache disabled); bytes are those on the wire, headers included. Charts load Vega "
        "(about 280 KB compressed) only when one comes near the window, so it is not part of a first paint."
    )
    return table(headers, rows) + notes


def load(browser: Any, url: str, *, compressed: bool) -> dict[str, float]:
    headers = {} if compressed else {"Accept-Encoding": "identity"}
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768}, extra_http_headers=headers)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    sizes: dict[str, float] = {}
    first: list[str] = []

    def received(event: dict[str, Any]) -> None:
        if not first:
            first.append(event["requestId"])

    def finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", received)
    cdp.on("Network.loadingFinished", finished)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        paints = page.evaluate(
            "() => Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))"
        )
    finally:
        context.close()
    return {
        "html": sizes.get(first[0], 0.0) if first else 0.0,
        "transferred": sum(sizes.values()),
        "requests": len(sizes),
        "first_paint": paints.get("first-paint", float("nan")),
        "first_contentful_paint": paints.get("first-contentful-paint", float("nan")),
    }


if __name__ == "__main__":
    main()
