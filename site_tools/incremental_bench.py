"""What one save costs in `make devserver`: a warm build (site_tools/incremental.py)
against a fresh `python -m pelican` process into a scratch folder swapped in
(how the devserver built before), on the real site and on a generated corpus;
and, end to end, the time from a save to the page reloaded in Chromium.

    python -m site_tools.incremental_bench [--rounds 5] [--pages 300]

Each round edits one page and runs both kinds of build back to back, their
order alternating, so a busy machine slows both alike. Figures are medians of
the time from the start of the build to the last file in the served folder,
with the 1-minute load average before each run. The end-to-end figure runs
`python -m site_tools.devserver` on a copy of the real site, with a browser
page open, and waits for the saved text to appear in the page (the watcher
looks for saves every 0.1 s). Not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from site_tools.bench_builds import Figure, make_corpus
from site_tools.bench_pages import CHROMIUM
from site_tools.incremental import WarmBuilder

ROOT = Path(__file__).resolve().parents[1]
# Between saves: livereload ignores a reload within 0.5 s of the previous one.
PAUSE_BETWEEN_SAVES_S = 1.0


def append_sentence(page: Path, number: int) -> None:
    page.write_text(page.read_text(encoding="utf-8") + f"\nOne more sentence, edit {number}.\n", encoding="utf-8")


def fresh_build(content: Path, output: Path) -> None:
    """The devserver's former rebuild: a new process, then a swap."""
    scratch = output.with_name(output.name + ".partial")
    subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(scratch), "-s", "pelicanconf.py",
         "--delete-output-directory", "-q"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(output, ignore_errors=True)
    scratch.rename(output)


def measure(content: Path, page: Path, work: Path, rounds: int) -> dict:
    """Median seconds of both kinds of build after an edit of ``page``, and what the warm one wrote."""
    fresh, warm, written = Figure(), Figure(), []
    served = work / "served"
    with WarmBuilder([str(content), "-o", str(work / "served.partial"), "-s", "pelicanconf.py", "-q"], served) as builder:
        first = builder.build()
        if not first.ok:
            raise SystemExit(first.printed)
        for number in range(rounds):
            kinds = [("fresh", fresh), ("warm", warm)]
            for name, figure in kinds if number % 2 == 0 else kinds[::-1]:
                append_sentence(page, 2 * number + (name == "warm"))
                figure.loads.append(os.getloadavg()[0])
                start = time.perf_counter()
                if name == "fresh":
                    fresh_build(content, work / "fresh")
                else:
                    outcome = builder.build()
                    written.append(len(outcome.written))
                figure.seconds.append(time.perf_counter() - start)
    return {"fresh": fresh, "warm": warm, "written": max(written), "files": sum(1 for p in served.rglob("*") if p.is_file())}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_served(url: str, devserver: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if devserver.poll() is not None:
            raise SystemExit(f"the devserver exited with status {devserver.returncode}")
        try:
            with urllib.request.urlopen(url) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"the devserver did not serve {url}")


def measure_reload(rounds: int, work: Path) -> Figure | None:
    """Save -> the saved sentence shown in an open Chromium page, through
    `python -m site_tools.devserver` on a copy of the real site. None without Chromium."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    content = work / "reload" / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    port = _free_port()
    devserver = subprocess.Popen(
        [sys.executable, "-m", "site_tools.devserver", "--content", str(content),
         "--output", str(work / "reload" / "output"), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    figure = Figure()
    try:
        url = f"http://127.0.0.1:{port}/causes/pregnancy/"
        _wait_until_served(url, devserver)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page()
            with page.expect_websocket():  # livereload's connection
                page.goto(url)
            for number in range(rounds):
                time.sleep(PAUSE_BETWEEN_SAVES_S)
                figure.loads.append(os.getloadavg()[0])
                start = time.perf_counter()
                append_sentence(content / "causes" / "pregnancy.md", number)
                page.get_by_text(f"edit {number}.").wait_for(timeout=30_000)
                figure.seconds.append(time.perf_counter() - start)
            browser.close()
    finally:
        devserver.terminate()
        devserver.wait(timeout=30)
    return figure


def row(name: str, result: dict) -> str:
    fresh, warm = result["fresh"], result["warm"]
    return (
        f"| {name} | {fresh.median:.2f} ({fresh.load_text()}) | {warm.median:.2f} ({warm.load_text()}) "
        f"| {warm.ratio_to(fresh):.2f} | {result['written']} of {result['files']} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m site_tools.incremental_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=300, help="articles in the generated corpus")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        real = work / "real" / "content"
        shutil.copytree(ROOT / "content", real)
        results = [("real site", measure(real, real / "causes" / "pregnancy.md", work / "real", args.rounds))]
        corpus = make_corpus(work / "corpus", args.pages)
        for folder in ("pages", "causes", "guide"):  # the real site, which the articles link to
            shutil.copytree(ROOT / "content" / folder, corpus / folder, dirs_exist_ok=True)
        name = f"real site + {args.pages} generated articles, 10 comments each"
        results.append((name, measure(corpus, corpus / "guide" / "article-0000.md", work / "corpus", args.rounds)))
        reload = measure_reload(args.rounds, work)
    print("| site | fresh process + swap (s) | warm build (s) | warm / fresh | files the warm build wrote |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, result in results:
        print(row(name, result))
    if reload is None:
        print(f"\nsave → page reloaded: not measured ({CHROMIUM} not found)")
    else:
        print(f"\nsave → page reloaded in Chromium, real site, `make devserver`: {reload.median:.2f} s "
              f"({reload.load_text()}; each: {', '.join(f'{s:.2f}' for s in reload.seconds)})")


if __name__ == "__main__":
    main()
