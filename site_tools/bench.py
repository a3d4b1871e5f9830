"""`make bench`: build speed and page weight, written to docs/benchmarks.md.

Not a test: figures vary with the machine, so nothing here passes or fails a
test run. Budgets are reported as met or not in the table.

Build time: our full production build (publishconf.py: every plugin, theme,
minification, precompression) against bare Pelican (same version, same
Markdown and typogrify settings, no plugins, its default theme), on the same
generated corpus of N articles with 10 comments each, each build a fresh
`python -m pelican` process, the two run alternately several times; median and
ratio. Cold = empty output and caches; warm = Pelican's content cache on (and
the comment render cache filled), nothing changed. Then rebuilds after
changing one article and after adding one comment (warm caches).

Page weight: every page of the real production site, HTML + CSS + JS bytes raw,
gzip and brotli (the precompressed files a host serves), and the requests a
first visit makes, counted in headless Chromium.

Weight of comments: the guide with 0, 20 and 200 comments of about 300
characters, posting open (site_tools/comment_weight.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_tools import comment_weight

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "guide" / "restless-legs-syndrome.md"
REPORT = ROOT / "docs" / "benchmarks.md"
SITEURL = "http://127.0.0.1:8000"
COMMENTS_PER_PAGE = 10

BUDGET_RATIO = 1.2
BUDGET_GUIDE_BR = 12 * 1024
BUDGET_GUIDE_REQUESTS = 3
BUDGET_PAGE_BR = 20 * 1024

BARE_SETTINGS = '''
# Bare Pelican: same version, same Markdown and typogrify settings, no plugins,
# the default theme. Comment files are not articles for either build.
PLUGINS = []
SITEURL = "{siteurl}"
TIMEZONE = "UTC"
ARTICLE_EXCLUDES = ["comments"]
PAGE_PATHS = ["pages"]
TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = {omit!r}
MARKDOWN = {markdown!r}
'''


# --- corpus -------------------------------------------------------------------

def _article_body() -> str:
    """About 9 KB of realistic Markdown: the guide's own body, headings included."""
    text = SEED.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    return body


def make_corpus(target: Path, pages: int) -> Path:
    """N articles, each with 10 comments (two of them replies)."""
    content = target / "content"
    guide = content / "guide"
    guide.mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "causes").mkdir()
    data = content / "data"
    data.mkdir()
    shutil.copy(ROOT / "content" / "data" / "references.yaml", data / "references.yaml")
    body = _article_body().replace("{filename}/causes/", "https://example.org/causes/")
    from comment_core.comment_file import Comment, format_comment

    base = dt.datetime(2026, 5, 4, 18, 22, tzinfo=dt.timezone.utc)
    for n in range(pages):
        slug = f"article-{n:04d}"
        (guide / f"{slug}.md").write_text(
            f"Title: Benchmark article {n}\nSlug: {slug}\nDate: 2026-01-01 09:00\n"
            f"Modified: 2026-01-02 09:00\nReviewed: 2026-01-02\nAuthor: Benchmark\n"
            f"Summary: A generated page for measuring build speed, number {n}.\n\n{body}",
            encoding="utf-8",
        )
        folder = content / "comments" / slug
        folder.mkdir(parents=True)
        for c in range(COMMENTS_PER_PAGE):
            comment = Comment(
                id=f"c{c:02d}", slug=slug, author=f"Reader {c}",
                date=base + dt.timedelta(hours=c), replyto="c00" if c in (3, 7) else None,
                website=None, body=f"Comment {c} on article {n}: *thank you*, this helped.\n\nSecond paragraph.",
            )
            (folder / f"c{c:02d}.md").write_text(format_comment(comment), encoding="utf-8")
    return content


# --- builds -------------------------------------------------------------------

def _run_pelican(content: Path, output: Path, settings: Path, cache: Path, warm: bool, extra=()) -> float:
    command = [
        sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings), "-q",
        "-e", f'CACHE_PATH="{cache}"',
        "-e", "CACHE_CONTENT=true" if warm else "CACHE_CONTENT=false",
        "-e", "LOAD_CONTENT_CACHE=true" if warm else "LOAD_CONTENT_CACHE=false",
        *extra,
    ]
    env = dict(os.environ, SITEURL=SITEURL)
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode:
        raise SystemExit(f"build failed ({settings.name}):\n{run.stdout[-3000:]}")
    return time.perf_counter() - start


class Build:
    def __init__(self, name: str, content: Path, settings: Path, work: Path, extra=()):
        self.name, self.content, self.settings, self.extra = name, content, settings, tuple(extra)
        self.output = work / f"out-{name}"
        self.cache = work / f"cache-{name}"

    def cold(self) -> float:
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        return _run_pelican(self.content, self.output, self.settings, self.cache, warm=False, extra=self.extra)

    def warm(self) -> float:
        if not self.cache.exists():
            _run_pelican(self.content, self.output, self.settings, self.cache, warm=True, extra=self.extra)
        return _run_pelican(self.content, self.output, self.settings, self.cache, warm=True, extra=self.extra)


def measure_builds(pages: int, repeats: int, work: Path) -> dict:
    content = make_corpus(work, pages)
    bare_settings = work / "bare_settings.py"
    from pelican.settings import read_settings

    ours_settings = read_settings(str(ROOT / "pelicanconf.py"))
    bare_settings.write_text(
        BARE_SETTINGS.format(
            siteurl=SITEURL, markdown=ours_settings["MARKDOWN"], omit=ours_settings["TYPOGRIFY_OMIT_FILTERS"]
        ),
        encoding="utf-8",
    )
    ours = Build("ours", content, ROOT / "publishconf.py", work)
    bare = Build("bare", content, bare_settings, work)
    # The same production build without precompression, to show what the
    # brotli/gzip step (quality 11, fixed by pelican-precompress) costs.
    plugins = [p for p in read_settings(str(ROOT / "publishconf.py"))["PLUGINS"] if "precompress" not in p]
    ours_plain = Build("ours-nocompress", content, ROOT / "publishconf.py", work, extra=("-e", f"PLUGINS={json.dumps(plugins)}"))
    builds = {"bare": bare, "ours": ours, "plain": ours_plain}
    times = {f"{name}_{kind}": [] for name in builds for kind in ("cold", "warm")}
    for kind in ("cold", "warm"):
        for _ in range(repeats):  # alternate, so machine noise hits all alike
            for name, build in builds.items():
                times[f"{name}_{kind}"].append(getattr(build, kind)())
    result = {key: statistics.median(values) for key, values in times.items()}
    result["pages"] = pages
    result["repeats"] = repeats

    # Rebuilds with warm caches: one article changed, then one comment added.
    article = content / "guide" / "article-0000.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result["rebuild_article"] = statistics.median(ours.warm() for _ in range(repeats))
    from comment_core.comment_file import Comment, format_comment

    for attempt in range(repeats):
        new = Comment(
            id=f"new{attempt}", slug="article-0001", author="New reader",
            date=dt.datetime(2026, 6, 1, 9, attempt, tzinfo=dt.timezone.utc), replyto=None, website=None,
            body="A newly approved comment.",
        )
        (content / "comments" / "article-0001" / f"new{attempt}.md").write_text(format_comment(new), encoding="utf-8")
    result["rebuild_comment"] = statistics.median(ours.warm() for _ in range(repeats))
    return result


# --- page weight --------------------------------------------------------------

def _sizes(path: Path) -> tuple[int, int, int]:
    raw = path.stat().st_size
    gz = path.with_name(path.name + ".gz")
    br = path.with_name(path.name + ".br")
    return raw, gz.stat().st_size if gz.exists() else raw, br.stat().st_size if br.exists() else raw


def measure_pages(work: Path) -> list[dict]:
    output = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", str(output), "-s", "publishconf.py", "-q"],
        cwd=ROOT, env=dict(os.environ, SITEURL=SITEURL), check=True,
    )
    requests = _first_load_requests(output)
    rows = []
    for page in sorted(output.rglob("*.html")):
        url = "/" + page.relative_to(output).as_posix().removesuffix("index.html")
        html = page.read_text(encoding="utf-8")
        assets = [output / m.lstrip("/") for m in re.findall(r'(?:href|src)="?' + re.escape(SITEURL) + r'(/static/[^" >]+)', html)]
        sizes = [_sizes(page)] + [_sizes(a) for a in assets if a.exists()]
        rows.append({
            "url": url,
            "raw": sum(s[0] for s in sizes), "gzip": sum(s[1] for s in sizes), "brotli": sum(s[2] for s in sizes),
            "html_br": _sizes(page)[2],
            "requests": requests.get(url),
        })
    return rows


def _first_load_requests(output: Path) -> dict[str, int]:
    """Requests a first visit makes (empty cache), per page, in headless Chromium."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return {}
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 8000), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    counts = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(chromium),
                args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
            )
            for page_file in sorted(output.rglob("*.html")):
                url = "/" + page_file.relative_to(output).as_posix().removesuffix("index.html")
                context = browser.new_context()
                page = context.new_page()
                seen = []
                page.on("request", lambda request: seen.append(request.url))
                page.goto(SITEURL + url, wait_until="networkidle")
                counts[url] = len(seen)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return counts


def measure_receiver() -> str:
    run = subprocess.run(
        [sys.executable, "-m", "site_tools.receiver_bench", "--seconds", "10"],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=300,
    )
    return run.stdout.strip() or run.stderr.strip()


# --- report ---------------------------------------------------------------------

def _ok(condition: bool) -> str:
    return "met" if condition else "**not met**"


def report(builds: list[dict], pages: list[dict], receiver: str, weights: list | None = None) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {now}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Figures vary between machines; compare runs on one machine.",
        "",
        "## Build time: our production build against bare Pelican",
        "",
        f"Each corpus: N generated articles of about 9 KB with {COMMENTS_PER_PAGE} comments each. "
        "Median of the runs; bare Pelican = same version, same Markdown and typogrify settings, "
        "no plugins, default theme. Budget: ours at most "
        f"{BUDGET_RATIO}x bare at 1,000 pages, cold and warm.",
        "",
        "| pages | runs | bare cold (s) | ours cold (s) | ratio | ours cold, no precompress (s) | bare warm (s) | ours warm (s) | ratio | ours warm, no precompress (s) | rebuild: 1 article changed (s) | rebuild: 1 comment added (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for b in builds:
        lines.append(
            f"| {b['pages']:,} | {b['repeats']} | {b['bare_cold']:.2f} | {b['ours_cold']:.2f} | "
            f"{b['ours_cold'] / b['bare_cold']:.2f} | {b['plain_cold']:.2f} ({b['plain_cold'] / b['bare_cold']:.2f}x) | "
            f"{b['bare_warm']:.2f} | {b['ours_warm']:.2f} | {b['ours_warm'] / b['bare_warm']:.2f} | "
            f"{b['plain_warm']:.2f} ({b['plain_warm'] / b['bare_warm']:.2f}x) | "
            f"{b['rebuild_article']:.2f} | {b['rebuild_comment']:.2f} |"
        )
    largest = max(builds, key=lambda b: b["pages"]) if builds else None
    if largest:
        cold_ratio = largest["ours_cold"] / largest["bare_cold"]
        warm_ratio = largest["ours_warm"] / largest["bare_warm"]
        lines += [
            "",
            f"- Budget cold at {largest['pages']:,} pages (≤ {BUDGET_RATIO}x): {cold_ratio:.2f}x, {_ok(cold_ratio <= BUDGET_RATIO)}",
            f"- Budget warm at {largest['pages']:,} pages (≤ {BUDGET_RATIO}x): {warm_ratio:.2f}x, {_ok(warm_ratio <= BUDGET_RATIO)}",
        ]
    lines += [
        "",
        "## Page weight (production build, per page)",
        "",
        "HTML plus the CSS/JS it links; the sizes a host sends with precompressed files. "
        "Requests: everything a first visit with an empty cache loads (document, stylesheet, favicon).",
        "",
        "| page | raw (B) | gzip (B) | brotli (B) | requests |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in pages:
        lines.append(f"| `{row['url']}` | {row['raw']:,} | {row['gzip']:,} | {row['brotli']:,} | {row['requests'] if row['requests'] is not None else 'n/a'} |")
    guide = next((r for r in pages if r["url"] == "/"), None)
    if guide:
        lines += [
            "",
            f"- Budget: guide ≤ {BUDGET_GUIDE_BR // 1024} KB brotli: {guide['brotli']:,} B, {_ok(guide['brotli'] <= BUDGET_GUIDE_BR)}",
            f"- Budget: guide ≤ {BUDGET_GUIDE_REQUESTS} requests: {guide['requests']}, "
            f"{_ok(guide['requests'] is not None and guide['requests'] <= BUDGET_GUIDE_REQUESTS)}",
        ]
    heaviest = max(pages, key=lambda r: r["brotli"]) if pages else None
    if heaviest:
        lines.append(
            f"- Budget: no page over {BUDGET_PAGE_BR // 1024} KB brotli: heaviest `{heaviest['url']}` "
            f"{heaviest['brotli']:,} B, {_ok(heaviest['brotli'] <= BUDGET_PAGE_BR)}"
        )
    if weights:
        lines += [
            "",
            "## Weight of comments (production build, the guide's HTML)",
            "",
            "The guide with N comments of about 300 characters (one in four a reply), posting open. "
            "Budgets: 200 comments add at most "
            f"{comment_weight.BUDGET_200_BR // 1024} KB brotli; each comment costs at most "
            f"{comment_weight.BUDGET_PER_COMMENT_RAW} B of raw HTML beyond its author's name and its text.",
            "",
            *comment_weight.budget_lines(weights),
        ]
    if receiver:
        lines += ["", "## Comment receiver throughput", "", "```", receiver, "```"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure build speed and page weight.")
    parser.add_argument("--sizes", default="10,100,1000", help="corpus sizes (articles), comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--no-receiver", action="store_true", help="skip the receiver throughput run")
    args = parser.parse_args(argv)
    builds = []
    with tempfile.TemporaryDirectory(prefix="rls-bench-") as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            work = Path(tmp) / f"n{size}"
            work.mkdir()
            print(f"building {size} pages x {COMMENTS_PER_PAGE} comments ...", flush=True)
            builds.append(measure_builds(size, args.repeats, work))
            shutil.rmtree(work, ignore_errors=True)
        print("measuring page weight ...", flush=True)
        (Path(tmp) / "pages").mkdir()
        pages = measure_pages(Path(tmp) / "pages")
        print("measuring the weight of comments ...", flush=True)
        (Path(tmp) / "comment-weight").mkdir()
        weights = comment_weight.measure_all(Path(tmp) / "comment-weight")
    receiver = "" if args.no_receiver else measure_receiver()
    text = report(builds, pages, receiver, weights)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
