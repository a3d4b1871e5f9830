"""The inbox's list and actions: preview, flags, approve/reject (one or several),
what happened, the audit log, and the approved/published lists."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from comment_core.comment_file import read_comment
from comment_core.render import CommentRenderer
from comment_receiver.site_index import write_index
from tests.support.inbox import client_for, csrf_of, inbox_app, log_in, post_comment, queue_xss_fixtures
from tests.support.receiver import PAGES, PARENT_ID


@pytest.fixture
def env(tmp_path):
    app, settings = inbox_app(tmp_path)
    with client_for(app) as client:
        yield client, settings


def inbox(client) -> BeautifulSoup:
    response = client.get("/moderate/")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def act(client, **data):
    data["csrf"] = csrf_of(client.get("/moderate/").text)
    response = client.post("/moderate/act", data=data)
    assert response.status_code == 303 and response.headers["location"] == "/moderate/"
    return inbox(client)


def article(soup, ref):
    return soup.find("input", {"value": ref}).find_parent("article")


def audit(settings) -> list[dict]:
    return [json.loads(line) for line in (settings.inbox_dir / "audit.jsonl").read_text().splitlines()]


def test_pending_comments_newest_first_grouped_by_page_with_the_sites_rendering(env):
    client, settings = env
    first = post_comment(client, message="First *one*", name="Ann")
    other = post_comment(client, message="On iron", name="Bob", slug="iron-deficiency")
    second = post_comment(client, message="Second with [a link](https://example.org/x)", name="Cy",
                          website="https://cy.example.net/")
    log_in(client)
    soup = inbox(client)
    refs = [i["value"] for i in soup.select("article input[name=id]")]
    sections = [s.h3.a.get_text() for s in soup.select("main section")]
    assert sections == ["Restless legs syndrome", "Iron deficiency"]  # the page with the newest comment first
    assert refs.index(second) < refs.index(first) and other in refs
    assert soup.select_one("main section h3 a")["href"] == "http://127.0.0.1:8000/restless-legs-syndrome/"
    card = article(soup, second)
    preview = card.select_one(".preview")
    body = read_comment(settings.queue_dir / (second + ".md")).body
    assert f'role="group">{CommentRenderer().render(body)}</div>' in client.get("/moderate/").text
    assert preview.a["rel"] == ["nofollow", "ugc", "noopener"]
    assert "Cy" in card.h4.get_text() and "https://cy.example.net/" in card.get_text()
    assert card.select_one("time")["datetime"].startswith("20")


def test_approve_one_moves_it_writes_the_audit_log_and_says_what_happened(env):
    client, settings = env
    ref = post_comment(client, message="Approve me please", name="Dora")
    log_in(client)
    soup = act(client, approve=ref)
    assert "Approved the comment by Dora" in soup.select_one("[role=status]").get_text()
    assert (settings.content_dir / (ref + ".md")).is_file() and not (settings.queue_dir / (ref + ".md")).exists()
    waiting = soup.select_one("#waiting").find_next("ul").get_text()
    assert ref.split("/")[1] in waiting and "alice" in waiting
    record = audit(settings)[-1]
    assert set(record) == {"time", "moderator", "action", "comment", "page"}
    assert (record["moderator"], record["action"], record["comment"], record["page"]) == (
        "alice", "approve", ref.split("/")[1], "restless-legs-syndrome")
    raw = (settings.inbox_dir / "audit.jsonl").read_text()
    assert "Approve me please" not in raw and "Dora" not in raw and "127.0.0.1" not in raw and "testclient" not in raw


def test_reject_one_deletes_it(env):
    client, settings = env
    ref = post_comment(client, name="Eve")
    log_in(client)
    soup = act(client, reject=ref)
    assert "Rejected the comment by Eve" in soup.select_one("[role=status]").get_text()
    assert not (settings.queue_dir / (ref + ".md")).exists() and not (settings.content_dir / (ref + ".md")).exists()
    assert audit(settings)[-1]["action"] == "reject"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_several_at_once_and_only_the_ticked_ones(env, action):
    client, settings = env
    refs = [post_comment(client, name=f"Visitor {i}", message=f"Text {i}") for i in range(3)]
    log_in(client)
    soup = act(client, bulk=action, id=refs[:2])
    assert len(soup.select("[role=status] li")) == 2
    assert [i["value"] for i in soup.select("article input[name=id]")] == [refs[2]]
    published = sorted(p.stem for p in settings.content_dir.rglob("*.md"))
    assert published == (sorted(r.split("/")[1] for r in refs[:2]) if action == "approve" else [])
    assert [r["action"] for r in audit(settings)[1:]] == [action, action]


def test_bulk_without_a_tick_does_nothing_and_says_so(env):
    client, settings = env
    post_comment(client)
    log_in(client)
    soup = act(client, bulk="approve")
    assert "tick the comments" in soup.select_one("[role=alert]").get_text()
    assert not settings.content_dir.exists()


def test_a_failed_approval_shows_the_reason_and_keeps_the_comment(env):
    client, settings = env
    parent = post_comment(client, name="Parent")
    parent_id = parent.split("/")[1]
    # a reply in the queue to a comment that is itself still queued (the receiver only accepts replies
    # to published comments, so the moderator's queue gets one by hand)
    reply = settings.queue_dir / "restless-legs-syndrome" / "20300101T000000Z-0badc0de.md"
    reply.write_text(f"Author: Replier\nDate: 2030-01-01 00:00\nReplyto: {parent_id}\n\nA reply.\n")
    log_in(client)
    soup = act(client, approve="restless-legs-syndrome/20300101T000000Z-0badc0de")
    alert = soup.select_one("[role=alert]").get_text()
    assert f"make approve ID={parent_id}` first" in alert
    assert reply.is_file()
    card = article(soup, "restless-legs-syndrome/20300101T000000Z-0badc0de")
    assert "The last approval failed" in card.get_text()
    assert audit(settings)[-1]["action"] == "approve-failed" and "A reply." not in audit(settings)[-1]["reason"]


def test_an_unreadable_file_can_be_rejected_but_not_approved(env):
    client, settings = env
    broken = settings.queue_dir / "iron-deficiency" / "20300101T000000Z-00000001.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("not a comment file\n")
    log_in(client)
    card = article(inbox(client), "iron-deficiency/20300101T000000Z-00000001")
    assert "cannot be read" in card.get_text() and card.find("button", {"name": "approve"}) is None
    act(client, reject="iron-deficiency/20300101T000000Z-00000001")
    assert not broken.exists()


def test_published_recently_links_to_the_permalink_once_the_site_lists_it(env):
    client, settings = env
    ref = post_comment(client)
    log_in(client)
    act(client, approve=ref)
    comment_id = ref.split("/")[1]
    pages = {**PAGES, "restless-legs-syndrome": {**PAGES["restless-legs-syndrome"],
                                                 "comment_ids": [PARENT_ID, comment_id]}}
    write_index(settings.site_index, pages)  # the next site build
    soup = inbox(client)
    link = soup.select_one("#published").find_next("ul").a
    assert link["href"] == f"http://127.0.0.1:8000/restless-legs-syndrome/#comment-{comment_id}"
    assert soup.select_one("#waiting").find_next("p").get_text() == "Every approved comment is on the site."


FLAG_CASES = {
    "links": dict(message="Buy at https://pills.example/a and [here](https://shop.example.net/b)"),
    "impersonation": dict(name="Тrufflеs Vein Specialists"),  # Cyrillic Т and е
    "fullwidth": dict(name="ＴＲＵＦＦＬＥＳ team"),
    "no-letters": dict(name="!!! 123 ???"),
    "hidden": dict(message="Looks harmless\u2067 reversed\u2069 text \u200b here"),
    "empty": dict(message="![](https://tracker.example/pixel.png)"),
    # Python's urlsplit says rls.example.org; Chromium opens evil.example (issue 20).
    "backslash": dict(message="[our guide](http://evil.example\\@rls.example.org/)"),
}


def queue_by_hand(settings, name: str = "Jane Doe", message: str = "Hello") -> str:
    """A comment put straight into the queue, as an import or a copied file would:
    the receiver refuses most of these at the form, so the flags are the
    moderator's second line of defence."""
    comment_id = "20260601T120000Z-0a0b0c0d"
    folder = settings.queue_dir / "restless-legs-syndrome"
    folder.mkdir(parents=True, exist_ok=True)
    text = f"Author: {name}\nDate: 2026-06-01 12:00\n\n{message}\n"
    (folder / f"{comment_id}.md").write_text(text, encoding="utf-8")
    return f"restless-legs-syndrome/{comment_id}"


@pytest.mark.parametrize("case", FLAG_CASES)
def test_flags(env, case):
    client, settings = env
    ref = queue_by_hand(settings, **FLAG_CASES[case])
    log_in(client)
    card = " ".join(article(inbox(client), ref).get_text(" ").split())
    # Files the comment format refuses outright are shown with the reason
    # instead of flags (no-letters, hidden); the others carry flags.
    expected = {
        "links": "2 links to pills.example, shop.example.net",
        "impersonation": "the name looks like “Truffles Vein Specialists”",
        "fullwidth": "the name looks like “Truffles”",
        "no-letters": "a name must contain at least one visible letter",
        "hidden": "U+2067 (RIGHT-TO-LEFT ISOLATE), which cannot be published",
        "empty": "the site would not publish it: The comment shows no visible text",
        "backslash": "1 link to evil.example",
    }[case]
    assert expected in card


def test_an_ordinary_comment_has_no_flags(env):
    client, _ = env
    ref = post_comment(client, name="Jane Doe")
    log_in(client)
    card = article(inbox(client), ref)
    assert card.select_one("ul.flags") is None and "No warning signs" in card.get_text()


def test_the_same_text_posted_before_is_flagged(env):
    client, settings = env
    first = post_comment(client, message="Great   article, thanks!")
    second = post_comment(client, message="great article, THANKS!")
    log_in(client)
    flags = article(inbox(client), second).select_one("ul.flags").get_text()
    assert f"the same text is waiting under {first}" in flags
    act(client, approve=first)
    flags = article(inbox(client), second).select_one("ul.flags").get_text()
    assert f"the same text was published before ({first})" in flags


def test_more_than_n_comments_from_one_address_in_an_hour_are_flagged_without_storing_the_address(tmp_path):
    app, settings = inbox_app(tmp_path, flood_limit=2)
    with client_for(app) as client:
        refs = [post_comment(client, message=f"Message {i}") for i in range(3)]
        log_in(client)
        soup = inbox(client)
    for ref in refs:
        assert "3 comments came from one address within an hour" in article(soup, ref).select_one("ul.flags").get_text()
    for path in settings.inbox_dir.iterdir():
        text = path.read_text()
        assert "testclient" not in text and "127.0.0.1" not in text  # the test client's address


def test_two_comments_under_the_limit_are_not_flagged(tmp_path):
    app, _ = inbox_app(tmp_path, flood_limit=2)
    with client_for(app) as client:
        refs = [post_comment(client, message=f"Message {i}") for i in range(2)]
        log_in(client)
        soup = inbox(client)
    assert all(article(soup, r).select_one("ul.flags") is None for r in refs)


def test_xss_fixtures_render_in_the_preview_as_the_site_would(env):
    client, settings = env
    refs = queue_xss_fixtures(settings.queue_dir)
    log_in(client)
    page = client.get("/moderate/").text
    soup = BeautifulSoup(page, "html.parser")
    for ref in refs:
        rendered = CommentRenderer().render(read_comment(settings.queue_dir / (ref + ".md")).body)
        assert f'role="group">{rendered}</div>' in page, ref  # byte for byte what the site publishes
    assert not soup.select("main script, main iframe, main img, main object, main embed, main svg, main style")
    assert not [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]


def test_a_forged_reference_is_refused_without_touching_files_or_the_audit_log(env):
    client, settings = env
    post_comment(client)
    log_in(client)
    soup = act(client, approve="../../etc/passwd")
    assert "it is not a comment of the queue" in soup.select_one("[role=alert]").get_text()
    assert [r["action"] for r in audit(settings)] == ["login"]
    assert not settings.content_dir.exists()
