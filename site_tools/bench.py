"""`make bench`: build speed, first view, page weight and receiver throughput
against the project's goals, written to docs/benchmarks.md.

Not a test: figures vary with the machine, so nothing here passes or fails a
test run. Honest by construction:

- every figure is the median of at least 3 runs (--rounds, minimum 3);
- bare Pelican and ours run back to back in every round, their order
  alternating, so a busy machine slows both alike (site_tools/bench_builds.py);
- the 1-minute load average before each run is printed next to each figure
  (on 2 cores, a load above about 1 means someone else was using the machine);
- every goal is checked and printed as met or not met.

Build time: our production build (publishconf.py: every plugin, theme,
minification, compression) against bare Pelican with pelican-precompress (same
version, same Markdown, typogrify and compression settings, its default theme)
on a generated corpus of N articles with 10 comments each, each build a fresh
`python -m pelican` process. Warm = the production build with the caches of
the previous round, after one comment was added or one article changed.

First view (site_tools/bench_pages.py): the real production site served as a
host with precompressed files serves it, to headless Chromium on a throttled
network; requests and bytes of the guide's first view and of a 3-page visit.

Weight of comments: the guide with 0, 20 and 200 comments of about 300
characters, posting open (site_tools/comment_weight.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from site_tools import bench_builds, bench_pages, comment_weight, incremental_bench
from site_tools.incremental import WarmBuilder

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"

GOAL_COLD_RATIO = 1.05  # ours cold / bare cold
GOAL_WARM_RATIO = 0.5  # ours warm (one comment added) / ours cold
GOAL_REBUILD_RATIO = 0.2  # ours after one changed article / ours cold
GOAL_DEVSERVER_S = 1.0
GOAL_FIRST_REQUESTS = 2
GOAL_LCP_MS = 800
GOAL_RECEIVER_RATE = 500
BUDGET_PAGE_BR = 20 * 1024
DEVSERVER_POLL_S = 0.1  # site_tools/devserver.py looks for saved files this often


def _ok(condition: bool) -> str:
    return "met" if condition else "**not met**"


def measure_devserver(rounds: int, work: Path) -> bench_builds.Figure:
    """What a save costs in `make devserver`: from saving one cause page of the
    real site to the page reloaded in Chromium (site_tools/incremental_bench.py).
    Without Chromium: the warm build alone plus the watcher's polling interval."""
    reload = incremental_bench.measure_reload(rounds, work)
    if reload is not None:
        return reload
    figure = bench_builds.Figure()
    content = work / "dev-content"
    shutil.copytree(ROOT / "content", content)
    arguments = [str(content), "-o", str(work / "dev.partial"), "-s", "pelicanconf.py", "-q"]
    with WarmBuilder(arguments, work / "dev") as builder:
        builder.build()  # the devserver's first build, before anyone saves
        for number in range(rounds):
            incremental_bench.append_sentence(content / "causes" / "pregnancy.md", number)
            figure.loads.append(os.getloadavg()[0])
            start = time.perf_counter()
            if not builder.build().ok:
                raise SystemExit("the devserver's build failed")
            figure.seconds.append(time.perf_counter() - start + DEVSERVER_POLL_S)
    return figure


def measure_receiver(seconds: float) -> tuple[str, float | None, str]:
    load = f"load {os.getloadavg()[0]:.1f}"
    run = subprocess.run(
        [sys.executable, "-m", "site_tools.receiver_bench", "--seconds", str(seconds)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    text = run.stdout.strip() or run.stderr.strip()
    match = re.search(r"accepted comments per second: (\d+)", text)
    return text, float(match.group(1)) if match else None, load


def _build_rows(builds: list[dict]) -> list[str]:
    lines = [
        "| pages | rounds | bare cold (s) | ours cold (s) | ratio | ours warm, 1 comment added (s) | × ours cold "
        "| ours warm, 1 article changed (s) | × ours cold |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for b in builds:
        cold = b["ours_cold"]
        lines.append(
            f"| {b['pages']:,} | {b['rounds']} | {b['bare_cold'].median:.2f} ({b['bare_cold'].load_text()}) "
            f"| {cold.median:.2f} ({cold.load_text()}) | {cold.ratio_to(b['bare_cold']):.2f} "
            f"| {b['ours_comment'].median:.2f} ({b['ours_comment'].load_text()}) | {b['ours_comment'].ratio_to(cold):.2f} "
            f"| {b['ours_article'].median:.2f} ({b['ours_article'].load_text()}) | {b['ours_article'].ratio_to(cold):.2f} |"
        )
    lines += ["", "CPU seconds (the build with its worker processes; barely affected by the load): " + "; ".join(
        f"{b['pages']:,} pages: bare cold {b['bare_cold'].median_cpu:.1f}, ours cold {b['ours_cold'].median_cpu:.1f} "
        f"({b['ours_cold'].median_cpu / b['bare_cold'].median_cpu:.2f}×), ours warm after a comment "
        f"{b['ours_comment'].median_cpu:.1f}" for b in builds) + ". On 2 cores our build can spread its CPU "
        "time over both (compression and Markdown run in worker processes); bare Pelican mostly uses one."]
    lines += ["", "Ratios: median of the per-round ratios (each round's runs ran back to back). Per round, "
              "in seconds: " + "; ".join(
                  f"{b['pages']:,} pages: bare/ours cold " + ", ".join(
                      f"{x:.1f}/{y:.1f}" for x, y in zip(b["bare_cold"].seconds, b["ours_cold"].seconds, strict=True))
                  for b in builds)]
    return lines


def _goal_lines(builds, devserver, views, receiver_rate, receiver_load) -> list[str]:
    lines = []
    for b in builds:
        ratio = b["ours_cold"].ratio_to(b["bare_cold"])
        warm = b["ours_comment"].ratio_to(b["ours_cold"])
        rebuild = b["ours_article"].ratio_to(b["ours_cold"])
        lines += [
            f"- {b['pages']:,} pages, cold build ≤ {GOAL_COLD_RATIO}× bare: {ratio:.2f}× "
            f"({b['ours_cold'].load_text()}), {_ok(ratio <= GOAL_COLD_RATIO)}",
            f"- {b['pages']:,} pages, warm build after one comment ≤ {GOAL_WARM_RATIO}× cold: {warm:.2f}× "
            f"({b['ours_comment'].load_text()}), {_ok(warm <= GOAL_WARM_RATIO)}",
            f"- {b['pages']:,} pages, rebuild after one changed article ≤ {GOAL_REBUILD_RATIO}× cold: {rebuild:.2f}× "
            f"({b['ours_article'].load_text()}), {_ok(rebuild <= GOAL_REBUILD_RATIO)}",
        ]
    if devserver:
        lines.append(f"- devserver save → reload ≤ {GOAL_DEVSERVER_S:.0f} s: {devserver.median:.2f} s "
                     f"({devserver.load_text()}), {_ok(devserver.median <= GOAL_DEVSERVER_S)}")
    if views:
        lines += [
            f"- guide first view ≤ {GOAL_FIRST_REQUESTS} requests: {views['first_requests']:.0f} "
            f"({', '.join(views['first_urls'])}; {views['load']}), {_ok(views['first_requests'] <= GOAL_FIRST_REQUESTS)}",
            f"- guide first view LCP ≤ {GOAL_LCP_MS} ms: {views['first_lcp_ms']:.0f} ms "
            f"({views['load']}), {_ok(views['first_lcp_ms'] <= GOAL_LCP_MS)}",
        ]
    if receiver_rate is not None:
        lines.append(f"- receiver ≥ {GOAL_RECEIVER_RATE} accepted comments/s: {receiver_rate:.0f}/s "
                     f"({receiver_load}), {_ok(receiver_rate >= GOAL_RECEIVER_RATE)}")
    lines.append("- CI production build warm: the workflow restores and saves `cache/` "
                 "(.github/workflows/site.yml); not measurable here")
    return lines


#: Sections of docs/benchmarks.md measured by hand (the test suite, approval to live),
#: kept when `make bench` rewrites the rest.
KEPT_SECTIONS = ("## Test suite", "## Approval to live")


def kept_sections() -> str:
    try:
        old = REPORT.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    kept = []
    for title in KEPT_SECTIONS:
        match = re.search(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", old, re.M | re.S)
        if match:
            kept.append(match.group(0).rstrip() + "\n")
    return "".join("\n" + section for section in kept)


def report(builds, devserver, views, pages, receiver, weights=None) -> str:
    receiver_text, receiver_rate, receiver_load = receiver
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks", "",
        f"Written by `make bench` on {now}: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Each figure: median of the rounds, with the 1-minute load "
        "average before its runs (min–max). Above about 1 on 2 cores, other work shared the machine: "
        "trust the ratios (bare and ours ran back to back) more than the seconds.", "",
        "## Goals", "", *_goal_lines(builds, devserver, views, receiver_rate, receiver_load), "",
        "## Build time: our production build against bare Pelican with pelican-precompress", "",
        f"Corpus: N generated articles of about 9 KB with {bench_builds.COMMENTS_PER_PAGE} comments each. "
        "Bare = same Pelican, Markdown, typogrify and compression settings (brotli 11, gzip 9), "
        "default theme, pelican-precompress. Warm = caches of the previous round kept. The warm and "
        "changed-article rebuilds are production builds (`make publish`, CI); the devserver's "
        "save figure above is a warm build in its kept process (site_tools/incremental.py; "
        "`python -m site_tools.incremental_bench` compares it with a fresh process).", "",
        *_build_rows(builds),
    ]
    if views:
        lines += [
            "", "## First view and a 3-page visit (production site, precompressed, throttled network)", "",
            f"Headless Chromium, empty cache, 40 ms round trip, 10 Mbit/s; medians of {views['rounds']} rounds "
            f"({views['load']}). Bytes: response bodies as sent (brotli where accepted).", "",
            "| visit | requests | bytes | LCP (ms) |", "| --- | ---: | ---: | ---: |",
            f"| first view of `/` | {views['first_requests']:.0f} | {views['first_bytes']:,.0f} | {views['first_lcp_ms']:.0f} |",
            f"| `/`, `/causes/`, `/causes/vascular/` | {views['visit_requests']:.0f} | {views['visit_bytes']:,.0f} | |",
        ]
    lines += ["", "## Page weight (production build, per page)", "",
              "HTML plus the CSS/JS it links; the sizes a host sends with precompressed files.", "",
              "| page | raw (B) | gzip (B) | brotli (B) |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| `{r['url']}` | {r['raw']:,} | {r['gzip']:,} | {r['brotli']:,} |" for r in pages]
    if pages:
        heaviest = max(pages, key=lambda r: r["brotli"])
        lines += ["", f"- No page over {BUDGET_PAGE_BR // 1024} KB brotli: heaviest `{heaviest['url']}` "
                  f"{heaviest['brotli']:,} B, {_ok(heaviest['brotli'] <= BUDGET_PAGE_BR)}"]
    if receiver_text:
        lines += ["", "## Comment receiver throughput", "", f"Load before the run: {receiver_load}.", "",
                  "```", receiver_text, "```"]
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
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Measure build speed, first view and throughput against the goals.")
    parser.add_argument("--sizes", default="150,1000", help="corpus sizes (articles), comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure (median; at least 3)")
    parser.add_argument("--receiver-seconds", type=float, default=10.0, help="receiver run length (0 skips it)")
    parser.add_argument("--profile", type=int, metavar="PAGES", help="print a cProfile of one cold build of PAGES and stop")
    args = parser.parse_args(argv)
    if args.rounds < 3:
        parser.error("--rounds must be at least 3: a single run on a shared machine says little")
    with tempfile.TemporaryDirectory(prefix="rls-bench-") as tmp:
        if args.profile:
            print(bench_builds.profile_build(args.profile, Path(tmp)))
            return 0
        builds = []
        for size in [int(s) for s in args.sizes.split(",")]:
            work = Path(tmp) / f"n{size}"
            work.mkdir()
            print(f"building {size} pages x {bench_builds.COMMENTS_PER_PAGE} comments, {args.rounds} rounds ...", flush=True)
            builds.append(bench_builds.measure_builds(size, args.rounds, work))
            shutil.rmtree(work, ignore_errors=True)
        print("measuring the devserver rebuild, page weight and first view ...", flush=True)
        devserver = measure_devserver(args.rounds, Path(tmp))
        site = Path(tmp) / "pages" / "site"
        site.parent.mkdir()
        bench_pages.build_site(site)
        views = bench_pages.first_views(site, args.rounds)
        pages = bench_pages.page_weights(site)
        print("measuring the weight of comments ...", flush=True)
        (Path(tmp) / "comment-weight").mkdir()
        weights = comment_weight.measure_all(Path(tmp) / "comment-weight")
    receiver = measure_receiver(args.receiver_seconds) if args.receiver_seconds else ("", None, "")
    text = report(builds, devserver, views, pages, receiver, weights)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text + kept_sections(), encoding="utf-8")
    print(text)
    print(f"written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
