"""Benchmark (not a test): what does truffles_comments cost a build?

Generates a site of 1,000 pages with 10 comments each (10,000 comment files,
threaded, Markdown bodies) in a temporary folder, then times full builds with
the project's settings and theme:

* without the plugin,
* with the plugin and an empty render cache (every body rendered),
* with the plugin and a warm render cache (a rebuild with no comment changed).

Each build runs in a fresh Python process (Pelican's signals are
process-wide); the time reported is Pelican's own run, median of 3.

    .venv/bin/python -m site_tools.comments_bench [--pages 1000] [--comments 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from comment_core.comment_file import COMMENT_SUFFIX, Comment, format_comment

ROOT = Path(__file__).resolve().parents[1]

#: Date of each page's first comment; the next ones follow an hour apart.
START = _dt.datetime(2026, 5, 1, tzinfo=_dt.UTC)

WORDS = (
    "legs restless night sleep iron doctor walk stretch tingling urge evening ferritin "
    "magnesium dopamine vein pregnancy kidney symptoms better worse relief massage bath "
    "caffeine alcohol exercise yoga medicine guideline specialist appointment"
).split()


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def make_site(root: Path, pages: int, per_page: int, seed: int = 5) -> int:
    rng = random.Random(seed)
    (root / "pages").mkdir(parents=True)
    total = 0
    for p in range(pages):
        slug = f"bench-page-{p:04d}"
        (root / "pages" / f"{slug}.md").write_text(
            f"Title: Benchmark page {p}\nSlug: {slug}\nSummary: A generated page.\n\n"
            + "\n\n".join(sentence(rng, 40) for _ in range(4)) + "\n",
            encoding="utf-8",
        )
        folder = root / "comments" / slug
        folder.mkdir(parents=True)
        ids: list[str] = []
        for c in range(per_page):
            author = f"Reader {rng.randint(1, 500)}"
            # Replies must answer an earlier comment: dates increase with c,
            # one hour apart (any number of comments per page gives real dates).
            date = START + _dt.timedelta(hours=c, minutes=rng.randint(0, 59))
            cid = f"{date:%Y%m%dT%H%M%SZ}-{p:04x}{c:04x}"
            replyto = rng.choice(ids) if ids and rng.random() < 0.6 else None
            website = f"https://reader{c}.example.org/" if rng.random() < 0.3 else None
            body = "\n\n".join([
                sentence(rng, 25) + " *" + rng.choice(WORDS) + "* and **" + rng.choice(WORDS) + "**.",
                f"- {sentence(rng, 6)}\n- {sentence(rng, 6)}",
                f"See [the guideline](https://example.org/{rng.choice(WORDS)}) and `code`.",
            ])
            comment = Comment(cid, slug, author, date, body, replyto, website)
            (folder / f"{cid}{COMMENT_SUFFIX}").write_text(format_comment(comment), encoding="utf-8")
            ids.append(cid)
            total += 1
    return total


def build_once(content: str, output: str, cache: str, with_plugin: bool) -> None:
    """Child process: one build, prints its duration as JSON."""
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    base = read_settings(str(ROOT / "pelicanconf.py"))
    plugins = [p for p in base["PLUGINS"] if p != "truffles_comments"]
    if with_plugin:
        plugins.append("truffles_comments")
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": content,
            "OUTPUT_PATH": output,
            "CACHE_PATH": cache,
            "PLUGINS": plugins,
            "TEMPLATE_PAGES": {},
        },
    )
    logging.getLogger("pelican").setLevel(logging.WARNING)
    started = time.perf_counter()
    Pelican(settings).run()
    elapsed = time.perf_counter() - started
    stats = {}
    if with_plugin:
        from truffles_comments import plugin

        stats = dict(plugin._state.stats)
    print(json.dumps({"seconds": elapsed, "stats": stats}))


def timed(content: Path, work: Path, with_plugin: bool, cache: Path) -> dict:
    output = work / "out"
    shutil.rmtree(output, ignore_errors=True)
    run = subprocess.run(
        [sys.executable, "-m", "site_tools.comments_bench", "--child", str(content), str(output), str(cache), "1" if with_plugin else "0"],
        capture_output=True, text=True, cwd=ROOT,
    )
    if run.returncode != 0:
        raise SystemExit(f"build failed:\n{run.stdout}\n{run.stderr}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        content, output, cache, flag = args.child
        build_once(content, output, cache, flag == "1")
        return

    with tempfile.TemporaryDirectory(prefix="truffles-comments-bench-") as tmp:
        work = Path(tmp)
        content = work / "content"
        count = make_site(content, args.pages, args.comments)
        print(f"{args.pages:,} pages, {count:,} comment files; median of {args.runs} builds each")
        results = {}
        results["without plugin"] = [timed(content, work, False, work / "cache-none") for _ in range(args.runs)]
        cold = []
        for n in range(args.runs):
            cold.append(timed(content, work, True, work / f"cache-cold-{n}"))  # a new, empty cache each time
        results["with plugin, cold cache"] = cold
        warm_cache = work / "cache-warm"
        timed(content, work, True, warm_cache)  # fill it
        results["with plugin, warm cache"] = [timed(content, work, True, warm_cache) for _ in range(args.runs)]

        base = statistics.median(r["seconds"] for r in results["without plugin"])
        for name, runs in results.items():
            median = statistics.median(r["seconds"] for r in runs)
            extra = f"  (+{median - base:.2f} s, {median / base:.2f}x)" if name != "without plugin" else ""
            stats = runs[-1]["stats"]
            detail = f"  rendered {stats['rendered']:,}, cache hits {stats['cache_hits']:,}" if stats else ""
            print(f"  {name:<26} {median:6.2f} s{extra}{detail}")


if __name__ == "__main__":
    main()
