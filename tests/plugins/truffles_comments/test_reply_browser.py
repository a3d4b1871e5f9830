"""The page's one form in headless Chromium: with comment_form.js "Reply"
moves it under the comment with the parent set and focus in it, Escape or
"Cancel reply" puts it back and focus on the link; without JavaScript "Reply"
opens the comment's reply page. axe finds nothing at 390 and 1366 px."""

from __future__ import annotations

import pytest

from tests.support.comment_sites import Server, watched_page  # noqa: F401

pytestmark = pytest.mark.browser

ENDPOINT = "https://comments.example.org/comments"
PARENT_INPUT = "#comment-form input[name='options[parent]']"


@pytest.fixture(scope="module")
def served(fixture_sites):
    # The project theme: site_assets publishes comment_form.js there.
    result = fixture_sites.get("thread", COMMENTS_ENDPOINT=ENDPOINT)
    with Server(result.output) as server:
        yield server


@pytest.fixture
def page(browser, served):  # noqa: F811
    context, page = watched_page(browser, served.origin, viewport={"width": 1366, "height": 900})
    page.goto(served.origin + "/thread-guide/", wait_until="load")
    yield page
    context.close()
    assert page.console_errors == [] and page.offsite == []


def state(page) -> dict:
    return page.evaluate("""() => {
        const form = document.getElementById('comment-form');
        const article = form.closest('article');
        const parent = form.querySelector("input[name='options[parent]']");
        return {
            under: article && article.id,
            parent: parent && parent.value,
            heading: form.querySelector('.tc-form__heading').textContent,
            focus: document.activeElement.id || document.activeElement.getAttribute('href'),
            forms: document.querySelectorAll('form').length,
        };
    }""")


def test_reply_moves_the_one_form_under_the_comment_and_escape_puts_it_back(page):
    home = state(page)
    assert (home["under"], home["parent"], home["heading"], home["forms"]) == (None, None, "Leave a comment", 1)
    link = page.locator("#comment-c02 .tc-reply a")
    link.focus()
    page.keyboard.press("Enter")
    assert state(page) == {"under": "comment-c02", "parent": "c02", "heading": "Reply to Bob Baker",
                           "focus": "comment-form-name", "forms": 1}
    assert page.url.endswith("/thread-guide/")  # no navigation
    page.keyboard.type("Still typing")
    page.keyboard.press("Escape")
    assert state(page) == {"under": None, "parent": None, "heading": "Leave a comment", "focus": "reply/c02/", "forms": 1}
    assert page.evaluate("document.getElementById('comment-form').previousElementSibling.tagName") == "OL"


def test_cancel_reply_puts_focus_back_and_another_reply_moves_the_form_again(page):
    page.click("#comment-c04 .tc-reply a")
    assert state(page)["under"] == "comment-c04"
    cancel = page.get_by_role("button", name="Cancel reply")
    assert cancel.is_visible()
    cancel.click()
    assert state(page)["focus"] == "reply/c04/" and state(page)["under"] is None
    assert page.get_by_role("button", name="Cancel reply").count() == 0
    page.click("#comment-c01 .tc-reply a")
    page.click("#comment-c06 .tc-reply a")
    assert state(page) == {"under": "comment-c06", "parent": "c06", "heading": "Reply to Frank Fox",
                           "focus": "comment-form-name", "forms": 1}
    assert page.locator(PARENT_INPUT).count() == 1


def test_the_reply_link_has_a_visible_focus_and_a_large_target(page):
    page.locator("#comment-c01 .tc-reply a").focus()
    outline, width, height = page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), e.getBoundingClientRect().height]; })()"
    )
    assert outline != "none" and width >= 2 and height >= 44


def test_without_javascript_reply_opens_the_reply_page(browser, served):  # noqa: F811
    context, page = watched_page(browser, served.origin, java_script_enabled=False)
    try:
        page.goto(served.origin + "/thread-guide/")
        with page.expect_navigation():
            page.click("#comment-c03 .tc-reply a")
        url = page.url
        parent = page.locator("form input[name='options[parent]']").get_attribute("value")
        heading = page.locator("h1").inner_text()
        forms = page.locator("form").count()
    finally:
        context.close()
    assert url == served.origin + "/thread-guide/reply/c03/"
    assert (parent, forms) == ("c03", 1)
    assert heading == "Reply to a comment on “A guide with a long comment thread”"


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("where", ["page", "form under a comment", "reply page"])
def test_axe_finds_no_violation(browser, served, where, width):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    context, page = watched_page(browser, served.origin, viewport={"width": width, "height": 900})
    try:
        if where == "reply page":
            page.goto(served.origin + "/thread-guide/reply/c05/", wait_until="load")
        else:
            page.goto(served.origin + "/thread-guide/", wait_until="load")
            if where == "form under a comment":
                page.click("#comment-c05 .tc-reply a")
        results = Axe().run(page)
        overflow = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert results.violations_count == 0, results.generate_report()
    assert overflow <= width
    assert page.console_errors == [] and page.offsite == []
