"""Benchmark (not a test): what do comments add to a page's weight?

Builds the real site with production settings (minified, precompressed) and a
comment endpoint set, so posting is open, three times: the guide with 0, 20
and 200 comments of about 300 characters (one in four a reply). Reports the
guide's HTML raw and brotli (the .br file a host serves) and the raw bytes each
comment costs beyond its author's name and its text.

    .venv/bin/python -m site_tools.comment_weight

`make bench` runs it too and reports the budgets as met or not.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from comment_core.comment_file import COMMENT_SUFFIX, Comment, format_comment

ROOT = Path(__file__).resolve().parents[1]
SITEURL = "http://127.0.0.1:8000"
ENDPOINT = "http://127.0.0.1:8001/comments"
GUIDE_SLUG = "restless-legs-syndrome-guide"  # served at /
COUNTS = (0, 20, 200)
TEXT_CHARS = 300
START = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)

#: 200 comments add at most this much brotli to the page.
BUDGET_200_BR = 25 * 1024
#: Raw HTML bytes per comment beyond its author's name and its text.
BUDGET_PER_COMMENT_RAW = 700

WORDS = (
    "legs restless night sleep iron doctor walk stretch tingling urge evening ferritin "
    "magnesium dopamine vein pregnancy kidney symptoms better worse relief massage bath "
    "caffeine alcohol exercise yoga medicine guideline specialist appointment"
).split()


@dataclass
class Weight:
    comments: int
    raw: int
    brotli: int
    #: bytes of the authors' names and the comments' texts, as written
    names_and_texts: int


def _text(rng: random.Random) -> str:
    words: list[str] = []
    while len(" ".join(words)) < TEXT_CHARS - 12:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def write_comments(folder: Path, count: int, slug: str = GUIDE_SLUG, seed: int = 7) -> int:
    """``count`` comments for page ``slug`` in ``folder``; returns the bytes of
    their names and texts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    total = 0
    for n in range(count):
        date = START + dt.timedelta(hours=n)
        cid = f"{date:%Y%m%dT%H%M%SZ}-{n:08x}"
        replyto = rng.choice(ids) if ids and n % 4 == 3 else None
        comment = Comment(cid, slug, f"Reader {rng.randint(1, 999)}", date, _text(rng), replyto, None)
        (folder / f"{cid}{COMMENT_SUFFIX}").write_text(format_comment(comment), encoding="utf-8")
        total += len(comment.author.encode()) + len(comment.body.encode())
        ids.append(cid)
    return total


def measure(count: int, work: Path) -> Weight:
    content = work / f"content-{count}"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    names_and_texts = write_comments(content / "comments" / GUIDE_SLUG, count)
    output = work / f"output-{count}"
    env = dict(os.environ, SITEURL=SITEURL, COMMENTS_ENDPOINT=ENDPOINT)
    subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", "publishconf.py", "-q",
         "-e", f'CACHE_PATH="{work / "cache"}"'],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )
    page = output / "index.html"
    brotli = page.with_name("index.html.br")
    return Weight(count, page.stat().st_size, brotli.stat().st_size, names_and_texts)


def measure_all(work: Path, counts=COUNTS) -> list[Weight]:
    return [measure(count, work) for count in counts]


def per_comment_overhead(base: Weight, loaded: Weight) -> float:
    return (loaded.raw - base.raw - loaded.names_and_texts) / loaded.comments


def budget_lines(weights: list[Weight]) -> list[str]:
    """Markdown lines: a table of the weights and each budget, met or not."""
    base = next(w for w in weights if w.comments == 0)
    lines = [
        "| comments | HTML raw (B) | HTML brotli (B) | added raw (B) | added brotli (B) | raw per comment beyond name + text (B) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for w in weights:
        overhead = f"{per_comment_overhead(base, w):,.0f}" if w.comments else "n/a"
        lines.append(
            f"| {w.comments:,} | {w.raw:,} | {w.brotli:,} | {w.raw - base.raw:,} | {w.brotli - base.brotli:,} | {overhead} |"
        )
    largest = max(weights, key=lambda w: w.comments)
    if largest.comments:
        added = largest.brotli - base.brotli
        overhead = per_comment_overhead(base, largest)
        lines += [
            "",
            f"- Budget: {largest.comments} comments add ≤ {BUDGET_200_BR // 1024} KB brotli: "
            f"{added:,} B, {_ok(added <= BUDGET_200_BR)}",
            f"- Budget: ≤ {BUDGET_PER_COMMENT_RAW} B raw per comment beyond name + text: "
            f"{overhead:,.0f} B, {_ok(overhead <= BUDGET_PER_COMMENT_RAW)}",
        ]
    return lines


def _ok(condition: bool) -> str:
    return "met" if condition else "**not met**"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="rls-comment-weight-") as tmp:
        weights = measure_all(Path(tmp))
    print("\n".join(budget_lines(weights)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
