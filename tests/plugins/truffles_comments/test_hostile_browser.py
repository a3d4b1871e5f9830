"""The hostile fixture comments (deep nesting, unbroken words, long code lines,
long names, right-to-left text) in headless Chromium at 320 px: nothing in a
comment reaches past the right edge of the screen, nor nests deeper than
three lists or quotes."""

from __future__ import annotations

import pytest

from comment_core.render import MAX_NESTING
from tests.support.comment_sites import Server, watched_page  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(fixture_sites):
    result = fixture_sites.get("xss")
    with Server(result.output) as server:
        yield server


def test_at_320px_no_comment_widens_the_page(browser, served):  # noqa: F811
    context, page = watched_page(browser, served.origin, viewport={"width": 320, "height": 900})
    try:
        page.goto(served.origin + "/xss-guide/", wait_until="load")
        section_right = page.eval_on_selector("section.tc-comments", "e => e.getBoundingClientRect().right")
        overflowing = page.eval_on_selector_all(
            "section.tc-comments .tc-comment, section.tc-comments .tc-comment *",
            """els => els.filter(e => {
                  const r = e.getBoundingClientRect();
                  // inside a scrolling <pre>, content may be wider: the <pre> itself is checked
                  return r.right > 320.5 && !e.closest('pre code, pre > *');
               }).map(e => (e.closest('article') || e).id + ' ' + e.tagName)""",
        )
        deepest = page.eval_on_selector_all(
            ".tc-body ul, .tc-body ol, .tc-body blockquote",
            """els => Math.max(0, ...els.map(e => {
                  let depth = 0;
                  for (let n = e; n && !n.classList.contains('tc-body'); n = n.parentElement)
                    if (['UL', 'OL', 'BLOCKQUOTE'].includes(n.tagName)) depth++;
                  return depth;
               }))""",
        )
        comment_width = page.eval_on_selector("section.tc-comments", "e => e.scrollWidth")
        client_width = page.eval_on_selector("section.tc-comments", "e => e.clientWidth")
    finally:
        context.close()
    assert overflowing == []
    assert section_right <= 320.5
    assert comment_width <= client_width
    assert deepest <= MAX_NESTING
