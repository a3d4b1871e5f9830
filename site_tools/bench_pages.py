"""Page weight and first-view measurements for `make bench` (see site_tools/bench.py).

The production site is served from 127.0.0.1 the way a host with precompressed
files serves it (the .br copy when the browser accepts brotli), to headless
Chromium with a fixed network profile (Lighthouse's desktop throttling: 40 ms
round trip, 10 Mbit/s), so byte counts and LCP reflect the files a visitor
really gets rather than the loopback's speed.
"""

from __future__ import annotations

import functools
import http.server
import mimetypes
import os
import re
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITEURL = "http://127.0.0.1:8000"
CHROMIUM = Path("/usr/bin/chromium")
NETWORK = {"offline": False, "latency": 40, "downloadThroughput": 10 * 1024 * 1024 / 8,
           "uploadThroughput": 10 * 1024 * 1024 / 8}
VISIT = ["/", "/causes/", "/causes/vascular/"]
LCP_SCRIPT = """() => new Promise(resolve => {
  new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(null), 3000);
})"""


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves file.br for file when the browser accepts brotli (nginx's
    brotli_static), fingerprinted assets with the year-long caching that
    output/_headers asks for, and records every request it answers."""

    served: list[tuple[str, int]] = []

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.path.startswith("/static/"):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        compressed = path.with_name(path.name + ".br")
        if "br" not in self.headers.get("Accept-Encoding", "") or not compressed.is_file():
            head = super().send_head()
            self.served.append((self.path, path.stat().st_size if path.is_file() else 0))
            return head
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "br")
        self.send_header("Content-Length", str(compressed.stat().st_size))
        self.end_headers()
        self.served.append((self.path, compressed.stat().st_size))
        return compressed.open("rb")


def build_site(output: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", str(output), "-s", "publishconf.py", "-q",
         "-e", f'CACHE_PATH="{output.parent / "cache"}"'],
        cwd=ROOT, env=dict(os.environ, SITEURL=SITEURL), check=True,
    )


def _sizes(path: Path) -> tuple[int, int, int]:
    raw = path.stat().st_size
    gz = path.with_name(path.name + ".gz")
    br = path.with_name(path.name + ".br")
    return raw, gz.stat().st_size if gz.exists() else raw, br.stat().st_size if br.exists() else raw


def page_weights(output: Path) -> list[dict]:
    """Every page: HTML plus the CSS/JS it links, raw, gzip and brotli bytes."""
    rows = []
    for page in sorted(output.rglob("*.html")):
        url = "/" + page.relative_to(output).as_posix().removesuffix("index.html")
        html = page.read_text(encoding="utf-8")
        linked = re.findall(r'(?:href|src)="?' + re.escape(SITEURL) + r'(/static/[^" >]+)', html)
        sizes = [_sizes(page)] + [_sizes(output / m.lstrip("/")) for m in linked if (output / m.lstrip("/")).exists()]
        rows.append({"url": url, "raw": sum(s[0] for s in sizes), "gzip": sum(s[1] for s in sizes),
                     "brotli": sum(s[2] for s in sizes)})
    return rows


def _visit(browser, urls: list[str]) -> dict:
    """One visitor with an empty cache opening ``urls`` in turn."""
    context = browser.new_context()
    page = context.new_page()
    context.new_cdp_session(page).send("Network.emulateNetworkConditions", NETWORK)
    seen = PrecompressedHandler.served
    seen.clear()
    lcp = []
    for url in urls:
        page.goto(SITEURL + url, wait_until="networkidle")
        lcp.append(page.evaluate(LCP_SCRIPT))
    context.close()
    return {"requests": len(seen), "bytes": sum(size for _, size in seen), "lcp_ms": lcp[0],
            "urls": [url for url, _ in seen]}


def first_views(output: Path, rounds: int) -> dict:
    """Median over ``rounds`` of the guide's first view and of a 3-page visit."""
    if not CHROMIUM.exists():
        return {}
    from playwright.sync_api import sync_playwright

    handler = functools.partial(PrecompressedHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 8000), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    first, visits, loads = [], [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
            for _ in range(rounds):
                loads.append(os.getloadavg()[0])
                first.append(_visit(browser, ["/"]))
                visits.append(_visit(browser, VISIT))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "first_requests": statistics.median(v["requests"] for v in first),
        "first_bytes": statistics.median(v["bytes"] for v in first),
        "first_lcp_ms": statistics.median(v["lcp_ms"] or 0 for v in first),
        "first_urls": first[0]["urls"],
        "visit_requests": statistics.median(v["requests"] for v in visits),
        "visit_bytes": statistics.median(v["bytes"] for v in visits),
        "load": f"load {min(loads):.1f}–{max(loads):.1f}",
        "rounds": rounds,
    }
