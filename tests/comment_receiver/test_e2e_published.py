"""From a visitor's post to the comment on the deployed page, with real parts
only: a bare repository as the site's `origin`, a clone of it running the
receiver with RECEIVER_PUBLISH=git, an SMTP server on 127.0.0.1 (aiosmtpd), and
headless Chromium for the visitor and the moderator (keyboard only).

The visitor posts through the built page's form; exactly one notice arrives
(without the comment's words); the moderator logs in to the inbox, sees the
rendered preview and approves; `origin` gains exactly one commit; a fresh
clone of `origin`, built for production as CI builds it, shows the comment
threaded on the page. A rejected comment never reaches `origin`.
"""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from comment_core import csp
from comment_receiver.inbox.accounts import Accounts
from site_tools.receiver_process import ReceiverProcess
from tests.support.browser import keyboard_login, tab_to, type_comment
from tests.support.comment_sites import FIXTURE_SETTINGS, watched_page
from tests.support.inbox import MODERATOR, PASSWORD
from tests.support.mail import Mailbox
from tests.support.publishing import SLUG, approvals_of, clone, every_path_ever, git, make_origin
from tests.support.servers import StaticServer, free_port, wait_for
from tests.support.sitebuild import build_site, build_site_cli

pytestmark = [pytest.mark.browser]

WORDS = "Cold water on my calves at night helps me sleep"


@pytest.fixture
def world(tmp_path):
    """origin, the receiver's clone, the served site with its form, the receiver, the mailbox."""
    origin = make_origin(tmp_path)
    checkout = clone(origin, tmp_path / "receiver-clone")
    moderators = tmp_path / "moderation" / "moderators"
    Accounts(moderators).set_password(MODERATOR, PASSWORD)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    site_out = tmp_path / "site"
    site_out.mkdir()
    with StaticServer(site_out) as site:
        receiver = ReceiverProcess(
            queue_dir=tmp_path / "queue", site_index=site_out / "comments-index.json", origins=[site.base_url],
            log_file=tmp_path / "receiver.log",
            env={"RECEIVER_PUBLISH": "git", "COMMENTS_CONTENT": str(checkout / "content" / "comments"),
                 "RECEIVER_MODERATORS": str(moderators), "RECEIVER_INBOX_DIR": str(tmp_path / "moderation"),
                 "RECEIVER_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "RECEIVER_NOTIFY_TO": "moderators@example.org",
                 "RECEIVER_NOTIFY_FROM": "comments@example.org", "RECEIVER_LOGIN_RATE_LIMIT": "100/minute"},
        )
        receiver.start()
        try:
            built = build_site(site_out, content=checkout / "content", COMMENTS_ENDPOINT=receiver.endpoint,
                               CSP_META=csp.policy(csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, receiver.endpoint)),
                               **FIXTURE_SETTINGS)
            assert built.ok, built.problems
            yield origin, site, receiver, mailbox
        finally:
            receiver.stop()
            smtp.stop()


def post_as_visitor(chromium, site, name: str, text: str) -> None:
    context = chromium.new_context(java_script_enabled=False)  # the plain form, posting to the receiver
    page = context.new_page()
    try:
        page.goto(site.url(f"/{SLUG}/"))
        type_comment(page, "comment-form", name, [text], "")
        assert "Thank you" in page.content()
    finally:
        context.close()


def moderate(chromium, receiver, action: str, author: str) -> str:
    """Log in with the keyboard, check the preview, act on the comment by ``author``; the status line."""
    context, page = watched_page(chromium, receiver.base_url)
    try:
        keyboard_login(page, receiver.base_url, MODERATOR, PASSWORD)
        card = page.locator("article", has_text=author)
        comment_id = card.locator("input[type=checkbox]").get_attribute("value").rsplit("/", 1)[1]
        assert card.locator(".tc-body, [role=group]").first.inner_text().strip().startswith(WORDS[:20])
        tab_to(page, f"el.name === '{action}' && el.value.endsWith('{comment_id}')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return comment_id, page.get_by_role("status").inner_text()
    finally:
        context.close()


def test_a_visitors_comment_reaches_the_deployed_page_through_the_inbox_and_git(chromium, world, tmp_path):
    origin, site, receiver, mailbox = world
    commits_before = int(git("rev-list", "--count", "main", cwd=origin))
    post_as_visitor(chromium, site, "Keyboard Kim", WORDS + ".")
    wait_for(lambda: mailbox.texts, message="the notice to moderators")
    post_as_visitor(chromium, site, "Rejected Rita", WORDS + ", and spam.")

    rejected_id, said = moderate(chromium, receiver, "reject", "Rejected Rita")
    assert "Rejected" in said
    approved_id, said = moderate(chromium, receiver, "approve", "Keyboard Kim")
    assert "Approved the comment by Keyboard Kim" in said and "not published yet" not in said

    assert int(git("rev-list", "--count", "main", cwd=origin)) == commits_before + 1
    assert len(approvals_of(origin, approved_id)) == 1
    assert rejected_id not in every_path_ever(origin)
    [notice] = mailbox.texts  # one notice, however many comments arrived within the period
    assert receiver.base_url + "/moderate/" in notice
    assert WORDS not in notice and "Keyboard Kim" not in notice

    fresh = clone(origin, tmp_path / "ci-checkout")
    deployed = build_site_cli(tmp_path / "deployed", content=fresh / "content", env={"SITEURL": "https://rls.example.test"},
                              **FIXTURE_SETTINGS)
    assert deployed.ok, deployed.problems
    page = BeautifulSoup(deployed.page(f"/{SLUG}/").read_text(encoding="utf-8"), "html.parser")
    thread = page.select_one("section.tc-comments")
    assert thread.select_one(f"[id='comment-{approved_id}']") is not None
    assert "Keyboard Kim" in thread.get_text(" ") and "Rejected Rita" not in thread.get_text(" ")
