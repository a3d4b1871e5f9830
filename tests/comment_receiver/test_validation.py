"""The receiver accepts a good comment and refuses every bad request with the
right status and a clear message, in HTML or JSON, writing nothing and never
repeating what was sent."""

from __future__ import annotations

import json

import pytest

from comment_core.comment_file import read_comment
from tests.support.receiver import (
    AS_JSON,
    ORIGIN,
    PARENT_ID,
    SITE_ORIGIN,
    XSS_NAME,
    client_for,
    files_under,
    good_form,
    make_app,
    make_index,
)

AS_BROWSER = {**ORIGIN, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def assert_refused(response, status: int, phrase: str, queue, *, sent: str = XSS_NAME):
    assert response.status_code == status, response.text
    assert phrase.lower() in response.text.lower(), response.text
    assert files_under(queue) == [], "a refused request must write nothing"
    for fragment in (sent, "xss-name", "onerror"):
        assert fragment not in response.text, "the answer must not repeat what was sent"


# --- success ------------------------------------------------------------------


def test_browser_post_is_stored_and_redirected_to_thank_you_page(receiver):
    form = good_form(website="https://example.org/me", message="Line one\r\n\r\nLine *two*")
    response = receiver.post("/comments", data=form, headers=AS_BROWSER)
    assert response.status_code == 303
    assert response.headers["location"] == "/comments/thanks?page=restless-legs-syndrome"
    [path] = files_under(receiver.settings.queue_dir)
    assert path.parent.name == "restless-legs-syndrome" and path.suffix == ".md"
    comment = read_comment(path)
    assert (comment.author, comment.body, comment.website, comment.replyto) == (
        "Jane Doe", "Line one\n\nLine *two*", "https://example.org/me", None,
    )
    assert comment.date.utcoffset() is not None
    thanks = receiver.get(response.headers["location"])
    assert thanks.status_code == 200
    assert "Thank you, your comment is awaiting moderation" in thanks.text
    assert 'href="http://127.0.0.1:8000/restless-legs-syndrome/"' in thanks.text
    assert "Jane Doe" not in thanks.text  # the page shows nothing the visitor sent


def test_json_post_answers_pending_with_the_id_of_the_written_file(receiver):
    response = receiver.post("/comments", data=good_form(), headers=AS_JSON)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and body["slug"] == "restless-legs-syndrome"
    assert (receiver.settings.queue_dir / "restless-legs-syndrome" / f"{body['id']}.md").is_file()
    assert response.headers["access-control-allow-origin"] == SITE_ORIGIN


def test_multipart_form_is_accepted_like_urlencoded(receiver):
    response = receiver.post("/comments", data=good_form(), files={}, headers={**AS_JSON})
    assert response.status_code == 202
    # an explicit multipart body (what FormData sends from the optional script)
    boundary = "----formboundary1234"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in good_form().items()
    ) + f"--{boundary}--\r\n"
    response = receiver.post(
        "/comments",
        content=parts.encode(),
        headers={**AS_JSON, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 202, response.text
    assert len(files_under(receiver.settings.queue_dir)) == 2


def test_reply_to_a_published_comment_is_stored_with_replyto(receiver):
    response = receiver.post("/comments", data=good_form(parent=PARENT_ID), headers=AS_JSON)
    assert response.status_code == 202
    [path] = files_under(receiver.settings.queue_dir)
    assert read_comment(path).replyto == PARENT_ID


def test_xss_name_is_stored_verbatim_for_the_build_to_escape_and_not_shown_back(receiver):
    response = receiver.post("/comments", data=good_form(name=XSS_NAME), headers=AS_BROWSER)
    assert response.status_code == 303
    [path] = files_under(receiver.settings.queue_dir)
    assert read_comment(path).author == XSS_NAME
    assert XSS_NAME not in receiver.get(response.headers["location"]).text


def test_line_breaks_in_the_name_cannot_inject_metadata(receiver):
    form = good_form(name="Mallory\nReplyto: 20260504T182200Z-0a1b2c3d\nWebsite: javascript:alert(1)")
    assert receiver.post("/comments", data=form, headers=AS_JSON).status_code == 202
    [path] = files_under(receiver.settings.queue_dir)
    comment = read_comment(path)
    assert comment.replyto is None and comment.website is None
    assert comment.author == "Mallory Replyto: 20260504T182200Z-0a1b2c3d Website: javascript:alert(1)"


def test_limits_are_inclusive_80_character_name_and_5000_character_comment(receiver):
    form = good_form(name="N" * 80, message="m" * 5000)
    assert receiver.post("/comments", data=form, headers=AS_JSON).status_code == 202


def test_referer_is_used_when_a_browser_sends_no_origin(receiver):
    headers = {"Referer": SITE_ORIGIN + "/restless-legs-syndrome/", "Accept": "application/json"}
    assert receiver.post("/comments", data=good_form(), headers=headers).status_code == 202


# --- refusals: method, type, size, origin ----------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused_with_405(receiver, method):
    response = receiver.request(method, "/comments", headers=AS_BROWSER)
    assert_refused(response, 405, "only receives comments", receiver.settings.queue_dir)
    assert "POST" in response.headers["allow"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/xml", ""])
def test_other_content_types_are_refused_with_415(receiver, content_type):
    body = json.dumps(good_form(name=XSS_NAME)) if content_type == "application/json" else XSS_NAME
    headers = {**AS_JSON, "Content-Type": content_type} if content_type else AS_JSON
    response = receiver.post("/comments", content=body.encode(), headers=headers)
    assert_refused(response, 415, "comment form", receiver.settings.queue_dir)


def test_a_body_over_the_limit_is_refused_from_its_content_length(tmp_path):
    app, settings = make_app(tmp_path, max_body_bytes=4096)
    with client_for(app) as client:
        form = good_form(name=XSS_NAME, message="x" * 5000)
        response = client.post("/comments", data=form, headers=AS_JSON)
        assert_refused(response, 413, "larger than a comment can be", settings.queue_dir)


def test_a_chunked_body_over_the_limit_is_refused_while_reading(tmp_path):
    app, settings = make_app(tmp_path, max_body_bytes=4096)

    def chunks():  # no Content-Length: the limit must be enforced while streaming
        for _ in range(100):
            yield b"fields%5Bmessage%5D=" + b"x" * 1000 + b"&"

    with client_for(app) as client:
        response = client.post(
            "/comments", content=chunks(),
            headers={**AS_JSON, "Content-Type": "application/x-www-form-urlencoded"},
        )
    assert_refused(response, 413, "larger than a comment can be", settings.queue_dir)
    # (that it stops reading early, before the body ends, is shown against a real
    # server in test_receiver_real_server.py)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:8001"},
        {"Referer": "https://evil.example/page"},
    ],
    ids=["no-origin", "foreign-origin", "null-origin", "receiver-own-origin", "foreign-referer"],
)
def test_posts_not_from_the_site_are_refused_with_403(receiver, headers):
    response = receiver.post("/comments", data=good_form(name=XSS_NAME), headers={**headers, "Accept": "text/html"})
    assert_refused(response, 403, "sent from a page of the site", receiver.settings.queue_dir)
    assert "access-control-allow-origin" not in response.headers


# --- refusals: the form's content ------------------------------------------------------


CASES = [
    # (id, form changes, status, phrase, field)
    ("honeypot", {"url_confirm": "http://spam.example"}, 400, "never see", None),
    ("no-slug", {"slug": None}, 400, "which page", "options[slug]"),
    ("bad-slug", {"slug": "../../etc"}, 400, "which page", "options[slug]"),
    ("unknown-page", {"slug": "no-such-page"}, 404, "does not exist", "options[slug]"),
    ("closed-page", {"slug": "pregnancy"}, 403, "comments are closed", "options[slug]"),
    ("hidden-page", {"slug": "404"}, 403, "does not take comments", "options[slug]"),
    ("no-name", {"name": None}, 422, "enter your name", "fields[name]"),
    ("blank-name", {"name": " \t "}, 422, "enter your name", "fields[name]"),
    ("long-name", {"name": "N" * 81}, 422, "keep it to 80 characters", "fields[name]"),
    ("no-message", {"message": None}, 422, "write your comment", "fields[message]"),
    ("blank-message", {"message": "\r\n  \r\n"}, 422, "write your comment", "fields[message]"),
    ("long-message", {"message": "m" * 5001}, 422, "shorten it to 5,000 characters", "fields[message]"),
    ("too-many-bytes", {"message": "\U0001F600" * 5000}, 422, "too long to be stored", "fields[message]"),
    ("javascript-website", {"website": "javascript:alert(1)"}, 422, "starting with http:// or https://", "fields[website]"),
    ("data-website", {"website": "data:text/html,<script>alert(1)</script>"}, 422, "http:// or https://", "fields[website]"),
    ("schemeless-website", {"website": "example.org"}, 422, "http:// or https://", "fields[website]"),
    ("ftp-website", {"website": "ftp://example.org/"}, 422, "http:// or https://", "fields[website]"),
    ("credentials-website", {"website": "https://user:pw@example.org/"}, 422, "http:// or https://", "fields[website]"),
    ("long-website", {"website": "https://example.org/" + "a" * 300}, 422, "too long", "fields[website]"),
    ("no-consent", {"consent": None}, 422, "tick the box", "fields[consent]"),
    ("unknown-parent", {"parent": "20990101T000000Z-deadbeef"}, 422, "replying to is not on this page", "options[parent]"),
    ("bad-parent", {"parent": "../x"}, 422, "replying to is not on this page", "options[parent]"),
]


@pytest.mark.parametrize("changes,status,phrase,field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_html_answer_and_writes_nothing(receiver, changes, status, phrase, field):
    changes = {"name": XSS_NAME, **changes} if "name" not in changes else changes
    response = receiver.post("/comments", data=good_form(**changes), headers=AS_BROWSER)
    assert_refused(response, status, phrase, receiver.settings.queue_dir)
    assert response.headers["content-type"].startswith("text/html")
    assert "Your comment was not sent" in response.text
    assert 'role="alert"' in response.text


@pytest.mark.parametrize("changes,status,phrase,field", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_json_answer_naming_the_field(receiver, changes, status, phrase, field):
    changes = {"name": XSS_NAME, **changes} if "name" not in changes else changes
    response = receiver.post("/comments", data=good_form(**changes), headers=AS_JSON)
    assert_refused(response, status, phrase, receiver.settings.queue_dir)
    body = response.json()
    assert body["status"] == "error" and body["code"] == status
    assert any(e["field"] == field and phrase.lower() in e["message"].lower() for e in body["errors"]), body


def test_every_field_problem_is_reported_at_once(receiver):
    form = good_form(name=None, message=None, website="nope", consent=None)
    response = receiver.post("/comments", data=form, headers=AS_JSON)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"fields[name]", "fields[message]", "fields[website]", "fields[consent]"}
    assert response.headers["access-control-allow-origin"] == SITE_ORIGIN  # the script can read the problems


def test_a_field_sent_twice_is_refused(receiver):
    body = "&".join(f"{k}={v}" for k, v in good_form().items()) + "&options%5Bslug%5D=iron-deficiency"
    response = receiver.post(
        "/comments", content=body.encode(),
        headers={**AS_JSON, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_refused(response, 400, "more than once", receiver.settings.queue_dir)


def test_file_uploads_are_refused(receiver):
    response = receiver.post(
        "/comments", data=good_form(name=XSS_NAME), files={"fields[attachment]": ("evil.html", XSS_NAME.encode(), "text/html")},
        headers=AS_JSON,
    )
    assert_refused(response, 400, "could not be read", receiver.settings.queue_dir)


def test_malformed_multipart_is_refused(receiver):
    response = receiver.post(
        "/comments", content=b"--nope\r\ngarbage" + XSS_NAME.encode(),
        headers={**AS_JSON, "Content-Type": "multipart/form-data"},
    )
    assert_refused(response, 400, "could not be read", receiver.settings.queue_dir)


def test_without_a_site_index_comments_are_refused_for_now_with_503(tmp_path):
    app, settings = make_app(tmp_path, site_index=tmp_path / "missing" / "comments-index.json")
    with client_for(app) as client:
        response = client.post("/comments", data=good_form(name=XSS_NAME), headers=AS_JSON)
        assert_refused(response, 503, "cannot be received right now", settings.queue_dir)
        assert response.headers["retry-after"]
        assert client.get("/healthz").status_code == 503


def test_a_rebuilt_site_index_is_picked_up_without_a_restart(tmp_path):
    index = make_index(tmp_path / "site", {"old-page": {"url": "old/", "comments": "open"}})
    app, settings = make_app(tmp_path, site_index=index)
    with client_for(app) as client:
        assert client.post("/comments", data=good_form(), headers=AS_JSON).status_code == 404
        make_index(tmp_path / "site")  # the next build: the guide exists now
        assert client.post("/comments", data=good_form(), headers=AS_JSON).status_code == 202


def test_every_answer_carries_security_headers_and_no_store(receiver):
    for response in (
        receiver.post("/comments", data=good_form(), headers=AS_BROWSER),
        receiver.post("/comments", data=good_form(name=None), headers=AS_BROWSER),
        receiver.get("/comments/thanks?page=restless-legs-syndrome"),
    ):
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


def test_thank_you_page_for_an_unknown_page_links_to_the_site_home(receiver):
    response = receiver.get("/comments/thanks", params={"page": XSS_NAME})
    assert response.status_code == 200
    assert 'href="http://127.0.0.1:8000/"' in response.text
    assert "xss-name" not in response.text


def test_cors_preflight_allows_only_the_site_origin(receiver):
    ok = receiver.options("/comments", headers={"Origin": SITE_ORIGIN, "Access-Control-Request-Method": "POST"})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SITE_ORIGIN
    assert (ok.headers["access-control-allow-methods"], ok.headers["access-control-max-age"]) == ("POST", "600")
    assert "access-control-allow-credentials" not in ok.headers  # no inbox answer is readable from the site
    bad = receiver.options("/comments", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
