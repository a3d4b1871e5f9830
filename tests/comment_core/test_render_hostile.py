"""Rendering hostile bodies: bounded cost, bounded nesting, nothing empty."""

from __future__ import annotations

import re

import pytest

from comment_core.form import MAX_MESSAGE
from comment_core.render import MAX_NESTING, BodyRefused, CommentRenderer, cost_problem, render_body

RENDERER = CommentRenderer()


def _depth(html: str) -> int:
    depth = deepest = 0
    for closing, _tag in re.findall(r"<(/?)(ul|ol|blockquote)\b", html):
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


def _quotes(n):
    return ">" * n + " deep"


def _quotes_spaced(n):
    return "".join("> " * level + f"level{level}x\n\n" for level in range(1, n + 1))


def _bullets(n):
    return "".join("    " * level + f"- level{level}x\n" for level in range(n))


def _numbers(n):
    return "".join("    " * level + f"1. level{level}x\n" for level in range(n))


def _mixed(n):
    return "".join("    " * level + ("- " if level % 2 else "> ") + f"level{level}x\n" for level in range(n))


@pytest.mark.parametrize("make", [_quotes, _quotes_spaced, _bullets, _numbers, _mixed])
@pytest.mark.parametrize("depth", range(1, 51))
def test_lists_and_quotes_are_never_nested_deeper_than_the_cap_and_no_text_is_lost(make, depth):
    html = RENDERER.render(make(depth))
    assert _depth(html) <= MAX_NESTING
    words = re.findall(r"level\d+x", make(depth))
    assert words == re.findall(r"level\d+x", html)


def test_thousands_of_nested_quotes_render_flat():
    html = RENDERER.render(">" * 1000 + " deep")
    assert _depth(html) <= MAX_NESTING and "deep" in html


@pytest.mark.parametrize("unit", ["[", "[x", "![", "[^", "[[]", "[a](", "[](", "[x](<"])
def test_bodies_that_would_take_quadratic_time_are_refused_with_a_message(unit):
    body = (unit * MAX_MESSAGE)[: MAX_MESSAGE - 10]
    assert cost_problem(body) is not None
    with pytest.raises(BodyRefused, match="brackets"):
        RENDERER.render(body)


@pytest.mark.parametrize("body", [
    "A comment with [a link](https://example.org/) and [another](http://example.com/a_(b)) in it.",
    "Footnote-ish [1] and [2] and [3], a list:\n\n" + "".join(f"- [item {i}](https://e.org/{i})\n" for i in range(60)),
    "> quoted [link](https://example.org/)\n\nand an image ![alt text](https://e.org/x.png)",
])
def test_ordinary_bodies_with_links_are_well_within_the_budget(body):
    assert cost_problem(body) is None
    RENDERER.render(body)


@pytest.mark.parametrize("body", [
    "---", "***", "![](https://example.org/x.png)", "[](http://x.y/)", "\u200b", "\u200b\u2060\ufeff",
    "# ", "> ", "- ", "`` ``", "[\u200b](http://x.y/)", "&nbsp;", "&#8203;",
])
def test_a_body_that_renders_to_nothing_visible_is_refused(body):
    with pytest.raises(BodyRefused, match="no visible text"):
        render_body(body)


@pytest.mark.parametrize("body", ["see [](http://x.y/) here", "see [\u200b](https://x.y/) here", "see [ ](https://x.y/) here"])
def test_a_link_without_visible_text_is_dropped(body):
    html = render_body(body)
    assert "<a" not in html and "see" in html and "here" in html
