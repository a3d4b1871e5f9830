"""The thread fixture in headless Chromium: axe-core finds no violation, the
blocks work at 320 px, the CTA button is a big target with AA contrast in light
and dark mode, focus is visible, permalinks work and print shows addresses."""

from __future__ import annotations

import pytest

from tests.support.comment_sites import Server, watched_page  # noqa: F401

pytestmark = pytest.mark.browser

SCHEMES = ["light", "dark"]
WIDTHS = [320, 1280]

CONTRAST_JS = """(el) => {
  const parse = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bgEl = el, bg = null;
  while (bgEl) {
    const c = parse(getComputedStyle(bgEl).backgroundColor);
    if (c.length < 4 || c[3] > 0) { bg = c; break; }
    bgEl = bgEl.parentElement;
  }
  bg = bg || [255, 255, 255];
  const fg = parse(getComputedStyle(el).color);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.fixture(scope="module")
def served(fixture_sites):
    result = fixture_sites.get("thread")
    with Server(result.output) as server:
        yield server


def open_page(browser, served, path="/thread-guide/", width=1280, scheme="light"):  # noqa: F811
    context, page = watched_page(browser, served.origin, viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(served.origin + path, wait_until="load")
    return context, page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/thread-guide/", "/pages/closed-page/", "/pages/quiet-page/"])
def test_axe_finds_no_violation(browser, served, path, width, scheme):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    context, page = open_page(browser, served, path, width, scheme)
    try:
        results = Axe().run(page)  # the whole page: the theme is ours too
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == [] and page.offsite == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_at_320px_nothing_overflows_and_targets_are_big_enough(browser, served, scheme):  # noqa: F811
    context, page = open_page(browser, served, width=320, scheme=scheme)
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        button = page.locator("a.tc-cta__button").bounding_box()
        small = page.eval_on_selector_all(
            ".tc-meta a, .tc-feed a, .tc-cta a",
            "els => els.filter(e => e.getBoundingClientRect().height < 24).map(e => e.outerHTML)",
        )
        overflowing = page.eval_on_selector_all(
            "section.tc-comments *, aside.tc-cta *",
            "els => els.filter(e => e.getBoundingClientRect().right > 320.5).map(e => e.tagName + '.' + e.className)",
        )
    finally:
        context.close()
    assert scroll_width <= 320
    assert button["height"] >= 44
    assert small == []
    assert overflowing == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_cta_button_and_comment_links_meet_aa_contrast(browser, served, scheme):  # noqa: F811
    context, page = open_page(browser, served, scheme=scheme)
    try:
        ratios = {
            "button": page.eval_on_selector("a.tc-cta__button", CONTRAST_JS),
            "cta text": page.eval_on_selector("p.tc-cta__text", CONTRAST_JS),
            "author link": page.eval_on_selector("#comment-c02-author a", CONTRAST_JS),
            "body link": page.eval_on_selector("#comment-c01 .tc-body a", CONTRAST_JS),
            "permalink": page.eval_on_selector("#comment-c01 a.tc-permalink", CONTRAST_JS),
            "in reply to": page.eval_on_selector("#comment-c04 .tc-in-reply-to", CONTRAST_JS),
        }
    finally:
        context.close()
    assert {name: ratio for name, ratio in ratios.items() if ratio < 4.5} == {}


def test_keyboard_focus_on_the_cta_button_is_clearly_visible(browser, served):  # noqa: F811
    context, page = open_page(browser, served)
    try:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('tc-cta__button')"):
                break
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth), document.activeElement.className]; })()"
        )
    finally:
        context.close()
    assert style[2] == "tc-cta__button"
    assert style[0] != "none" and style[1] >= 2


def test_a_permalink_targets_its_comment(browser, served):  # noqa: F811
    context, page = open_page(browser, served)
    try:
        page.click("#comment-c04 a.tc-permalink")
        target = page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        page.click("#comment-c05 .tc-in-reply-to a")
        parent = page.evaluate("document.querySelector(':target').id")
        url = page.url
    finally:
        context.close()
    assert target == "comment-c04"
    assert parent == "comment-c04" and url.endswith("#comment-c04")


def test_print_shows_the_cta_as_text_with_its_address(browser, served):  # noqa: F811
    context, page = open_page(browser, served)
    try:
        page.emulate_media(media="print")
        after = page.eval_on_selector("a.tc-cta__button", "e => getComputedStyle(e, '::after').content")
        background = page.eval_on_selector("a.tc-cta__button", "e => getComputedStyle(e).backgroundColor")
        feed_display = page.eval_on_selector("p.tc-feed", "e => getComputedStyle(e).display")
    finally:
        context.close()
    assert after == '" (https://trufflesveinspecialists.com/)"'
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    assert feed_display == "none"
