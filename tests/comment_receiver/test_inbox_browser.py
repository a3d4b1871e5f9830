"""The inbox in headless Chromium against a real receiver process: keyboard
only, visible focus, axe at phone and desktop widths, and the XSS fixtures."""

from __future__ import annotations

import httpx
import pytest

from site_tools.receiver_process import ReceiverProcess
from tests.support.browser import keyboard_login, tab_to
from tests.support.comment_sites import watched_page
from tests.support.inbox import MODERATOR, PASSWORD, add_moderator, queue_xss_fixtures
from tests.support.receiver import SITE_ORIGIN, good_form, make_index

pytestmark = [pytest.mark.browser]


@pytest.fixture
def receiver(tmp_path):
    moderators = tmp_path / "moderation" / "moderators"
    add_moderator(moderators)
    process = ReceiverProcess(
        queue_dir=tmp_path / "queue",
        site_index=make_index(tmp_path / "site"),
        origins=[SITE_ORIGIN],
        log_file=tmp_path / "receiver.log",
        env={"RECEIVER_MODERATORS": str(moderators), "RECEIVER_INBOX_DIR": str(tmp_path / "moderation"),
             "COMMENTS_CONTENT": str(tmp_path / "content"),
             "RECEIVER_LOGIN_RATE_LIMIT": "100/minute"},  # several logins from one browser
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def post(receiver, **changes) -> str:
    response = httpx.post(receiver.endpoint, data=good_form(**changes),
                          headers={"Origin": SITE_ORIGIN, "Accept": "application/json"})
    assert response.status_code == 202
    return response.json()["id"]


def axe_clean(page):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def test_keyboard_login_preview_approve_and_axe_at_390_and_1366(chromium, receiver, tmp_path):
    comment_id = post(receiver, name="Keyboard Kim", message="Walking *helps* me, see https://example.org/walk")
    for width in (390, 1366):
        for scheme in ("light", "dark"):
            context, page = watched_page(chromium, receiver.base_url, viewport={"width": width, "height": 800},
                                         color_scheme=scheme)
            try:
                page.goto(receiver.base_url + "/moderate/login")
                axe_clean(page)
                page.locator("#login-name").fill("nobody")
                page.locator("#login-password").fill("wrong password")
                page.locator("button[type=submit]").click()
                assert page.get_by_role("alert").is_visible()
                assert page.locator("#login-name").get_attribute("aria-describedby") == "login-error"
                axe_clean(page)  # the error state too
                keyboard_login(page, receiver.base_url, MODERATOR, PASSWORD)
                preview = page.locator(".preview")
                assert preview.locator("em").inner_text() == "helps"
                assert "1 link to example.org" in page.locator("ul.flags").inner_text()
                axe_clean(page)
                unexpected = [e for e in page.console_errors if "status of 401" not in e]  # the wrong password
                assert not page.dialogs and not page.offsite and not unexpected  # e.g. no CSP refusals
            finally:
                context.close()
    context, page = watched_page(chromium, receiver.base_url, viewport={"width": 390, "height": 800})
    try:
        keyboard_login(page, receiver.base_url, MODERATOR, PASSWORD)
        outline = tab_to(page, "el.name === 'approve' && el.value.endsWith('" + comment_id + "')")
        assert outline != "none"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Approved the comment by Keyboard Kim" in page.get_by_role("status").inner_text()
        assert "Waiting for moderation (0)" in page.locator("h2#pending").inner_text()
        axe_clean(page)
        assert (tmp_path / "content" / "restless-legs-syndrome" / f"{comment_id}.md").is_file()
    finally:
        context.close()


def test_xss_fixtures_in_the_preview_open_no_dialog_and_request_nothing_elsewhere(chromium, receiver, tmp_path):
    refs = queue_xss_fixtures(tmp_path / "queue")
    context, page = watched_page(chromium, receiver.base_url, viewport={"width": 1366, "height": 900})
    try:
        page.goto(receiver.base_url + "/moderate/login")
        page.locator("#login-name").fill(MODERATOR)
        page.locator("#login-password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        assert page.locator(".preview").count() == len(refs)
        for link in page.locator(".preview a").all():
            link.hover()  # mouse events on every link in a preview
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(500)  # give a smuggled script or refresh the chance to act
        assert page.dialogs == [] and page.offsite == []
        assert page.url == receiver.base_url + "/moderate/"
        assert page.evaluate("document.querySelectorAll('.preview script, .preview iframe, .preview img').length") == 0
    finally:
        context.close()
