"""After a reply sent without JavaScript, the receiver's thank-you page leads
back to the comment that was answered."""

from __future__ import annotations

import pytest

from tests.support.receiver import PARENT_ID, SITE_ORIGIN, XSS_NAME, client_for, good_form, make_app

AS_BROWSER = {"Origin": SITE_ORIGIN, "Accept": "text/html"}


@pytest.fixture
def receiver(tmp_path):
    app, _settings = make_app(tmp_path)
    with client_for(app) as client:
        yield client


def test_a_reply_returns_the_visitor_to_the_comment_answered(receiver):
    response = receiver.post("/comments", data=good_form(parent=PARENT_ID), headers=AS_BROWSER)
    assert response.status_code == 303
    assert response.headers["location"] == f"/comments/thanks?page=restless-legs-syndrome&comment={PARENT_ID}"
    thanks = receiver.get(response.headers["location"])
    assert f'#comment-{PARENT_ID}"' in thanks.text


def test_a_comment_parameter_that_is_no_comment_id_is_ignored(receiver):
    thanks = receiver.get("/comments/thanks", params={"page": "restless-legs-syndrome", "comment": XSS_NAME})
    assert thanks.status_code == 200
    assert "#comment-" not in thanks.text and "xss-name" not in thanks.text
