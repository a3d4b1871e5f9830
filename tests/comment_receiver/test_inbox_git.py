"""The inbox with RECEIVER_PUBLISH=git: an approval is committed under the
moderator's name, and while the remote cannot be reached the inbox says so,
both right after the click and in "Approved, waiting to be published"."""

from __future__ import annotations

from bs4 import BeautifulSoup

from comment_receiver.publish import GitPublisher
from tests.support.inbox import MODERATOR, client_for, csrf_of, inbox_app, log_in
from tests.support.publishing import SITE_PAGES, SLUG, approvals_of, clone, git, make_origin, queue_comment
from tests.support.receiver import make_index


def _inbox(tmp_path, origin):
    checkout = clone(origin, tmp_path / "checkout")
    queue = tmp_path / "queue"
    app, settings = inbox_app(
        tmp_path, queue_dir=queue, content_dir=checkout / "content" / "comments",
        site_index=make_index(tmp_path / "site", SITE_PAGES), publish="git", publish_retry=3600, publish_retry_max=7200,
    )
    return app, settings, checkout


def _approve(client, ref: str) -> BeautifulSoup:
    page = client.get("/moderate/")
    answer = client.post("/moderate/act", data={"csrf": csrf_of(page.text), "approve": ref})
    assert answer.status_code == 303, answer.text
    return BeautifulSoup(client.get("/moderate/").text, "html.parser")


def test_an_approval_the_remote_cannot_take_yet_is_shown_as_waiting_then_published_as_the_moderator(tmp_path):
    origin = make_origin(tmp_path)
    app, settings, checkout = _inbox(tmp_path, origin)
    comment = queue_comment(settings.queue_dir, "Stretching before bed helped me.")
    away = origin.rename(tmp_path / "origin-away.git")
    with client_for(app) as client:
        log_in(client)
        said = " ".join(_approve(client, f"{SLUG}/{comment.id}").get_text(" ").split())
        assert f"({comment.id}). It is not published yet" in said
        waiting = BeautifulSoup(client.get("/moderate/").text, "html.parser")
        assert "not pushed to the site's repository yet" in " ".join(waiting.get_text(" ").split())
    away.rename(origin)
    GitPublisher(settings).publish_waiting()
    assert len(approvals_of(origin, comment.id)) == 1
    author = git("log", "-1", "--format=%an", "main", cwd=origin)
    assert author == MODERATOR
