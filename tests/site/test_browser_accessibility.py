"""What a visitor's browser shows: accessible, readable on a phone, no errors.

Every page of the development build is loaded in a real headless Chromium at
phone and desktop widths, in light and dark colour schemes. axe-core runs once
per page and state, on the production build that is deployed
(tests/site/test_production_build.py).
"""

from __future__ import annotations

import pytest

from tests.support.sitebuild import PAGES

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
SCHEMES = ["light", "dark"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_console_error_and_no_offsite_request_on_any_page(served_site, new_page, viewport, scheme):
    page = new_page(*VIEWPORTS[viewport], scheme)
    for page_url in PAGES:
        page.goto(served_site.url(page_url))
        assert page.console_errors == [], page_url
        assert page.offsite_requests == [], page_url


@pytest.mark.parametrize("page_url", PAGES)
def test_no_horizontal_scrolling_at_320_px(served_site, new_page, page_url):
    page = new_page(320, 640)
    page.goto(served_site.url(page_url))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page_url} scrolls sideways by {overflow}px at 320px"


@pytest.mark.parametrize("page_url", PAGES)
def test_running_text_is_large_and_airy_on_a_phone(served_site, new_page, page_url):
    page = new_page(390, 844)
    page.goto(served_site.url(page_url))
    metrics = page.evaluate(
        """() => [...document.querySelectorAll('main p, main li')].map(el => {
            const s = getComputedStyle(el);
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize), el.closest('.sources, .page-meta, .breadcrumbs') !== null];
        })"""
    )
    body = [m for m in metrics if not m[2]]
    assert body, "no running text found"
    assert min(size for size, _, _ in body) >= 18
    assert min(ratio for _, ratio, _ in body) >= 1.5


def test_line_length_is_comfortable_on_desktop(served_site, new_page):
    page = new_page(1366, 900)
    page.goto(served_site.url("/"))
    chars_per_line = page.evaluate(
        """() => {
            const p = document.querySelector('main .prose > p');  // body text, not a boxed note
            const probe = document.createElement('span');
            // A sample of ordinary English text, kept on one line for measuring.
            probe.textContent = 'the quick brown fox jumps over the lazy dog and then rests';
            probe.style.whiteSpace = 'nowrap';
            probe.style.position = 'absolute';
            p.appendChild(probe);
            const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
            probe.remove();
            return p.getBoundingClientRect().width / perChar;
        }"""
    )
    assert 60 <= chars_per_line <= 75, chars_per_line


def test_focus_is_visible_on_every_element_reached_with_tab(served_site, new_page):
    page = new_page(390, 844)
    page.goto(served_site.url("/causes/iron-deficiency/"))
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const s = getComputedStyle(el);
                const r = el.getBoundingClientRect();
                return {tag: el.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        shadow: s.boxShadow !== 'none', w: r.width, h: r.height, text: el.textContent.trim().slice(0, 40)};
            }"""
        )
        if state is None:
            break
        seen += 1
        assert state["outline"] or state["shadow"], f"no visible focus on {state}"
    assert seen >= 10


def test_skip_link_moves_focus_to_the_main_content(served_site, new_page):
    page = new_page(390, 844)
    page.goto(served_site.url("/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-10rem"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main


def test_pages_read_fine_without_javascript(chromium, served_site):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(served_site.url("/"))
        assert "Restless Leg Syndrome" in page.inner_text("main")
    finally:
        context.close()


def test_keyboard_alone_goes_from_the_guide_to_a_cause_and_back(served_site, new_page):
    page = new_page(390, 844)
    page.goto(served_site.url("/"))
    target = page.locator("a", has_text="More about iron deficiency")
    for _ in range(400):  # Tab through the page until the link has focus
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the 'More about iron deficiency' link was never reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/causes/iron-deficiency/")
    back = page.locator("a.back-to-guide")
    for _ in range(400):
        page.keyboard.press("Tab")
        if back.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the way back to the guide was never reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/#iron-deficiency")
    assert page.evaluate("location.hash") == "#iron-deficiency"
