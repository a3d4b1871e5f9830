"""Worst-case cost of rendering one comment body.

For each family of pathological Markdown (unclosed brackets in front of
fillers that make the renderer's scans expensive, deep nesting, long runs of
emphasis markers...), the largest body of that family that the receiver and
the build still accept (``comment_core.render.cost_problem`` and the length
limit) is rendered, and the slowest render is reported. The budget a body may
cost is ``MAX_MARKDOWN_COST``; this script shows what that means in time on
the machine it runs on (the aim is at most about 50 ms per comment).

    .venv/bin/python -m site_tools.render_bench
"""

from __future__ import annotations

import time

from comment_core.form import MAX_MESSAGE
from comment_core.render import BodyRefused, CommentRenderer, cost_problem

FILLERS = ["x", "\\\\", "\\[", "`", "(", "<", "*", "_", " ", "&amp;", "( ", '"', "'", "![", "]("]
HEADS = ["[", "![", "[x", "[a](", "[a](<", "[](", "[^", "[[]", "[a](b '", "[a](b \""]


def families():
    for head in HEADS:
        for filler in FILLERS:
            yield f"{head!r} x n + {filler!r}", (lambda n, h=head, f=filler: h * n + f * MAX_MESSAGE)
    yield "nested quotes", lambda n: ">" * n + " x"
    yield "nested lists", lambda n: "".join("    " * i + "- x\n" for i in range(n))
    yield "emphasis", lambda n: "*a" * n + "_b" * n
    yield "code spans", lambda n: "`a" * n + "``b" * n
    yield "autolinks", lambda n: "<http://a.b/" * n
    yield "references", lambda n: "".join(f"[r{i}]: http://a.b/{i}\n" for i in range(n)) + "[r1] " * n


def largest_accepted(make) -> str:
    """The longest body of a family (within MAX_MESSAGE) that cost_problem accepts."""
    low, high = 0, MAX_MESSAGE
    while low < high:
        middle = (low + high + 1) // 2
        body = make(middle)[:MAX_MESSAGE]
        if cost_problem(body) is None:
            low = middle
        else:
            high = middle - 1
    return make(low)[:MAX_MESSAGE]


def seconds(renderer: CommentRenderer, body: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        try:
            renderer.render(body)
        except BodyRefused:
            pass
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    renderer = CommentRenderer()
    results = []
    for name, make in families():
        body = largest_accepted(make)
        results.append((seconds(renderer, body), name, len(body)))
    results.sort(reverse=True)
    for took, name, size in results[:15]:
        print(f"{took * 1000:8.1f} ms  {size:5d} chars  {name}")
    took, name, _ = results[0]
    print(f"worst accepted body: {name}, {took * 1000:.1f} ms per render")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
