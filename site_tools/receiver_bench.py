"""Benchmark (not a test): sustained accepted comments per second.

    python -m site_tools.receiver_bench [--seconds 10] [--concurrency 16]

Starts a real receiver (uvicorn, its own process, one worker, as deployed) on a
free 127.0.0.1 port with a throw-away queue and site index and the rate limit
lifted, keeps ``--concurrency`` clients posting valid comments for
``--seconds`` (bounded, loopback only), then checks that every accepted
comment is a complete file in the queue and prints the figures.

Every accepted comment costs a file fsync and a folder fsync
(comment_core.comment_file.write_comment_atomic); the receiver answers
success only once the comment is durable. On a small machine the
client below shares the CPU with the receiver: read the figure with the load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from comment_core.comment_file import read_comment
from comment_receiver.site_index import write_index
from site_tools.receiver_process import ReceiverProcess

ORIGIN = "http://127.0.0.1:8000"
SLUGS = [f"page-{n}" for n in range(10)]


def _form(n: int) -> dict[str, str]:
    return {
        "fields[name]": f"Bench visitor {n}",
        "fields[message]": f"Benchmark comment {n}.\n\nWith a *second* paragraph and [a link](https://example.org/{n}).",
        "fields[website]": "https://example.org/",
        "fields[consent]": "yes",
        "fields[url_confirm]": "",
        "options[slug]": SLUGS[n % len(SLUGS)],
    }


async def _load(endpoint: str, seconds: float, concurrency: int, max_requests: int):
    latencies: list[float] = []
    accepted = failed = 0
    counter = iter(range(max_requests))
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Origin": ORIGIN, "Accept": "application/json"}
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        async def worker():
            nonlocal accepted, failed
            for n in counter:
                if time.monotonic() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    response = await client.post(endpoint, data=_form(n), headers=headers)
                except httpx.HTTPError:
                    failed += 1
                    continue
                latencies.append(time.perf_counter() - started)
                if response.status_code == 202:
                    accepted += 1
                else:
                    failed += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return accepted, failed, elapsed, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_tools.receiver_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to post (default 10)")
    parser.add_argument("--concurrency", type=int, default=16, help="clients posting at once (default 16)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="upper bound on requests (default 100000)")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 120 or not 0 < args.concurrency <= 256:
        parser.error("keep --seconds within (0, 120] and --concurrency within (0, 256]")

    with tempfile.TemporaryDirectory(prefix="receiver-bench-") as tmp:
        tmp = Path(tmp)
        index = write_index(tmp / "site" / "comments-index.json",
                            {s: {"url": f"{s}/", "title": s, "comments": "open", "comment_ids": []} for s in SLUGS})
        with ReceiverProcess(queue_dir=tmp / "queue", site_index=index, origins=[ORIGIN],
                             rate_limit="100000000/minute", log_file=tmp / "receiver.log") as receiver:
            # warm-up (imports, first directory creations) is not measured
            asyncio.run(_load(receiver.endpoint, 0.5, 4, 200))
            warm = len(list((tmp / "queue").rglob("*.md")))
            accepted, failed, elapsed, latencies = asyncio.run(
                _load(receiver.endpoint, args.seconds, args.concurrency, args.max_requests)
            )
        files = list((tmp / "queue").rglob("*.md"))
        broken = 0
        for path in files:
            try:
                read_comment(path)
            except ValueError:
                broken += 1
        stray = [p for p in (tmp / "queue").rglob("*") if p.is_file() and p.suffix != ".md"]
        fs = os.statvfs(tmp)

    rate = accepted / elapsed if elapsed else 0.0
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    print(f"machine: {platform.machine()} {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
          f"temp file system block size {fs.f_bsize}")
    print(f"load: {args.concurrency} concurrent clients for {elapsed:.1f} s against one uvicorn process on 127.0.0.1")
    print(f"accepted: {accepted} comments ({failed} failed); files in queue: {len(files) - warm} new, "
          f"{broken} unreadable, {len(stray)} stray")
    print(f"latency: median {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms")
    print(f"sustained accepted comments per second: {rate:.0f}")
    ok = failed == 0 and broken == 0 and not stray and len(files) - warm == accepted
    if not ok:
        print("PROBLEM: not every accepted comment is a complete file (or some requests failed)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
