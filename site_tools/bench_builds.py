"""Build-time measurements for `make bench` (see site_tools/bench.py).

Every build is a fresh `python -m pelican` process. Within one round, bare
Pelican and ours run back to back (their order alternating between rounds), so
a busy machine slows both alike; each figure is the median of the rounds and is
printed with the 1-minute load average measured before each of its runs.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "guide" / "restless-legs-syndrome.md"
SITEURL = "http://127.0.0.1:8000"
COMMENTS_PER_PAGE = 10

BARE_SETTINGS = '''
# Bare Pelican as a site would usually be built: same version, same Markdown
# and typogrify settings, the default theme, pelican-precompress with the same
# formats and levels (brotli 11, gzip 9). Comment files are not articles.
PLUGINS = ["pelican.plugins.precompress"]
PRECOMPRESS_BROTLI = True
PRECOMPRESS_GZIP = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
SITEURL = "{siteurl}"
TIMEZONE = "UTC"
ARTICLE_EXCLUDES = ["comments"]
PAGE_PATHS = ["pages"]
TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = {omit!r}
MARKDOWN = {markdown!r}
'''


@dataclass
class Figure:
    """Seconds, CPU seconds (the build and its worker processes) and the load
    average before each run. CPU time hardly depends on the machine's load,
    wall time does."""

    seconds: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def load_text(self) -> str:
        return f"load {min(self.loads):.1f}–{max(self.loads):.1f}"

    def ratio_to(self, other: Figure) -> float:
        """Median of the per-round ratios self/other: runs of one round ran
        back to back, so this cancels more of a changing load than a ratio
        of medians."""
        return statistics.median(mine / theirs for mine, theirs in zip(self.seconds, other.seconds, strict=True))


def make_corpus(target: Path, pages: int) -> Path:
    """N articles of about 9 KB (the guide's own body), each with 10 comments."""
    from comment_core.comment_file import Comment, format_comment

    content = target / "content"
    guide = content / "guide"
    guide.mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "causes").mkdir()
    (content / "data").mkdir()
    shutil.copy(ROOT / "content" / "data" / "references.yaml", content / "data" / "references.yaml")
    body = SEED.read_text(encoding="utf-8").partition("\n\n")[2]
    # Links to the real site's other pages point off the corpus (the build checks links).
    body = body.replace("{filename}/causes/", "https://example.org/causes/")
    body = body.replace("{filename}/pages/", "https://example.org/pages/")
    base = dt.datetime(2026, 5, 4, 18, 22, tzinfo=dt.UTC)
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


def add_comment(content: Path, number: int) -> None:
    from comment_core.comment_file import Comment, format_comment

    new = Comment(
        id=f"new{number}", slug="article-0001", author="New reader",
        date=dt.datetime(2026, 6, 1, 9, number % 60, tzinfo=dt.UTC), replyto=None, website=None,
        body=f"A newly approved comment, number {number}.",
    )
    (content / "comments" / "article-0001" / f"new{number}.md").write_text(format_comment(new), encoding="utf-8")


def change_article(content: Path, number: int) -> None:
    article = content / "guide" / "article-0000.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\nOne more sentence, edit {number}.\n", encoding="utf-8")


class Build:
    """One kind of build on the corpus: its own output and cache folders."""

    def __init__(self, name: str, content: Path, settings: Path, work: Path, extra=()):
        self.name, self.content, self.settings, self.extra = name, content, settings, tuple(extra)
        self.output = work / f"out-{name}"
        self.cache = work / f"cache-{name}"

    def run(self, figure: Figure, *, cold: bool, profile: Path | None = None) -> None:
        if cold:
            shutil.rmtree(self.output, ignore_errors=True)
            shutil.rmtree(self.cache, ignore_errors=True)
        runner = [sys.executable, "-m", "cProfile", "-o", str(profile)] if profile else [sys.executable]
        command = [
            *runner, "-m", "pelican", str(self.content), "-o", str(self.output), "-s", str(self.settings),
            "-q", "-e", f'CACHE_PATH="{self.cache}"', *self.extra,
        ]
        figure.loads.append(os.getloadavg()[0])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, env=dict(os.environ, SITEURL=SITEURL),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode:
            raise SystemExit(f"build failed ({self.name}):\n{run.stdout[-3000:]}")
        figure.seconds.append(elapsed)
        figure.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def bare_settings_file(work: Path) -> Path:
    from pelican.settings import read_settings

    ours = read_settings(str(ROOT / "pelicanconf.py"))
    path = work / "bare_settings.py"
    path.write_text(
        BARE_SETTINGS.format(siteurl=SITEURL, markdown=ours["MARKDOWN"], omit=ours["TYPOGRIFY_OMIT_FILTERS"]),
        encoding="utf-8",
    )
    return path


def measure_builds(pages: int, rounds: int, work: Path) -> dict:
    """Per round: bare cold and ours cold (alternating order), then ours warm
    after one new comment, then ours warm after one changed article."""
    content = make_corpus(work, pages)
    bare = Build("bare", content, bare_settings_file(work), work)
    ours = Build("ours", content, ROOT / "publishconf.py", work)
    figures = {name: Figure() for name in ("bare_cold", "ours_cold", "ours_comment", "ours_article")}
    for number in range(rounds):
        pair = [(bare, "bare_cold"), (ours, "ours_cold")]
        for build, name in pair if number % 2 == 0 else reversed(pair):
            build.run(figures[name], cold=True)
        add_comment(content, number)
        ours.run(figures["ours_comment"], cold=False)
        change_article(content, number)
        ours.run(figures["ours_article"], cold=False)
        print(f"  round {number + 1}/{rounds}: " + ", ".join(
            f"{name} {figure.seconds[-1]:.2f} s" for name, figure in figures.items()), flush=True)
    return {"pages": pages, "rounds": rounds, **figures}


def profile_build(pages: int, work: Path, top: int = 25) -> str:
    """cProfile of one cold production build: where the time goes."""
    import io
    import pstats

    content = make_corpus(work, pages)
    ours = Build("profiled", content, ROOT / "publishconf.py", work)
    stats_file = work / "build.prof"
    ours.run(Figure(), cold=True, profile=stats_file)
    text = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()
