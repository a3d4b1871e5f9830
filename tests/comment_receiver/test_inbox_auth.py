"""The inbox's doors: no session, no access; CSRF; login limits; cookie flags; logout and expiry."""

from __future__ import annotations

import time

import pytest

from comment_receiver.inbox.accounts import Accounts
from tests.support.inbox import MODERATOR, PASSWORD, client_for, csrf_of, inbox_app, log_in, post_comment
from tests.support.receiver import files_under

SECRET_TEXT = "Pending words nobody may read without logging in"


@pytest.fixture
def app_settings(tmp_path):
    return inbox_app(tmp_path)


@pytest.fixture
def client(app_settings):
    with client_for(app_settings[0]) as client:
        yield client


def test_every_route_without_a_session_redirects_to_login_or_answers_401_and_shows_nothing(client):
    ref = post_comment(client, message=SECRET_TEXT, name="Secret Author")
    answers = {
        ("GET", "/moderate/"): client.get("/moderate/"),
        ("POST", "/moderate/act"): client.post("/moderate/act", data={"approve": ref, "csrf": "x"}),
        ("POST", "/moderate/act bulk"): client.post("/moderate/act", data={"bulk": "reject", "id": ref}),
        ("POST", "/moderate/logout"): client.post("/moderate/logout", data={}),
        ("GET", "/moderate/login"): client.get("/moderate/login"),
    }
    for (method, path), response in answers.items():
        assert response.status_code in (200, 303, 401), (method, path, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"] == "/moderate/login", path
        assert SECRET_TEXT not in response.text and "Secret Author" not in response.text, path
    assert answers[("GET", "/moderate/")].status_code == 303
    assert answers[("POST", "/moderate/act")].status_code == 401
    assert "log in" in answers[("GET", "/moderate/login")].text.lower()


def test_the_comment_is_untouched_by_unauthenticated_actions(client, app_settings):
    settings = app_settings[1]
    ref = post_comment(client)
    before = files_under(settings.queue_dir)
    client.post("/moderate/act", data={"approve": ref})
    assert files_under(settings.queue_dir) == before
    assert files_under(settings.content_dir) == []


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_a_missing_or_forged_csrf_token_changes_nothing(client, app_settings, token):
    settings = app_settings[1]
    ref = post_comment(client)
    assert log_in(client).status_code == 303
    before = files_under(settings.queue_dir)
    data = {"approve": ref} if token is None else {"approve": ref, "csrf": token}
    response = client.post("/moderate/act", data=data)
    assert response.status_code == 403
    assert "Nothing was changed" in response.text
    assert files_under(settings.queue_dir) == before and files_under(settings.content_dir) == []
    data = {"bulk": "reject", "id": ref} if token is None else {"bulk": "reject", "id": ref, "csrf": token}
    assert client.post("/moderate/act", data=data).status_code == 403
    assert files_under(settings.queue_dir) == before
    # and logging out needs the token too
    assert client.post("/moderate/logout", data={"csrf": token or ""}).status_code == 403
    assert client.get("/moderate/").status_code == 200


def test_a_token_from_another_browser_session_is_refused(app_settings):
    app, settings = app_settings
    with client_for(app) as visitor, client_for(app) as moderator:
        ref = post_comment(visitor)
        log_in(moderator)
        foreign = csrf_of(visitor.get("/moderate/login").text)  # a valid token, but not the moderator's
        assert moderator.post("/moderate/act", data={"approve": ref, "csrf": foreign}).status_code == 403
        assert files_under(settings.content_dir) == []


def test_the_login_form_needs_its_token(client):
    response = client.post("/moderate/login", data={"name": MODERATOR, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/moderate/").status_code == 303


def test_unknown_name_and_wrong_password_get_the_same_answer(client):
    wrong = log_in(client, password="not the password at all")
    unknown = log_in(client, name="mallory", password="not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: r.text.replace(csrf_of(r.text), "").replace('value="mallory"', 'value="alice"')  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert "The name or password is not right." in wrong.text
    assert 'aria-describedby="login-error"' in wrong.text and 'href="#login-password"' in wrong.text


def test_the_sixth_wrong_password_in_a_minute_gets_429_even_with_the_right_one(client):
    for _ in range(5):
        assert log_in(client, password="wrong password here").status_code == 401
    sixth = log_in(client, password="wrong password here")
    assert sixth.status_code == 429
    assert 1 <= int(sixth.headers["Retry-After"]) <= 60
    assert log_in(client).status_code == 429  # the right password does not get past the limit
    assert client.get("/moderate/").status_code == 303


def test_the_login_limit_is_per_client_too(app_settings):
    with client_for(app_settings[0]) as client:
        for i in range(5):
            assert log_in(client, name=f"guess{i}", password="wrong password here").status_code == 401
        assert log_in(client, name="another", password="wrong password here").status_code == 429


def test_cookie_flags_over_http(client):
    cookie = client.get("/moderate/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/moderate" in cookie
    assert "secure" not in cookie
    assert "max-age=28800" in cookie


def test_the_cookie_is_secure_when_the_receiver_is_public_over_https(tmp_path):
    app, _ = inbox_app(tmp_path, public_url="https://comments.example.org")
    with client_for(app) as client:
        cookie = client.get("/moderate/login").headers["set-cookie"].lower()
    assert "secure" in cookie.split("; ") and "httponly" in cookie and "samesite=lax" in cookie


def test_headers_of_inbox_pages(client):
    log_in(client)
    for response in (client.get("/moderate/"), client.get("/moderate/login"), client.get("/moderate/nothing-here")):
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "default-src 'none'" in policy and "form-action 'self'" in policy
        assert response.headers["cache-control"] == "no-store"
        assert "noindex" in response.headers["x-robots-tag"]


def test_logout_ends_the_session_even_for_a_copied_cookie(client):
    log_in(client)
    copied = dict(client.cookies)
    page = client.get("/moderate/")
    assert client.post("/moderate/logout", data={"csrf": csrf_of(page.text)}).headers["location"] == "/moderate/login?out=1"
    assert client.get("/moderate/").status_code == 303
    client.cookies.update(copied)
    assert client.get("/moderate/").status_code == 303


def test_a_session_expires(tmp_path, monkeypatch):
    app, _ = inbox_app(tmp_path, session_max_age=60)
    with client_for(app) as client:
        log_in(client)
        assert client.get("/moderate/").status_code == 200
        later = time.monotonic() + 61
        monkeypatch.setattr("comment_receiver.inbox.auth.time.monotonic", lambda: later)
        assert client.get("/moderate/").status_code == 303


def test_a_removed_moderator_is_logged_out(app_settings, client):
    log_in(client)
    Accounts(app_settings[1].moderators_file).remove(MODERATOR)
    assert client.get("/moderate/").status_code == 303
    assert log_in(client).status_code == 401


def test_a_new_password_ends_every_session_opened_with_the_old_one(app_settings, client):
    """A stolen cookie stops working once the moderator changes the password (make moderator)."""
    log_in(client)
    page = client.get("/moderate/")
    assert page.status_code == 200
    Accounts(app_settings[1].moderators_file).set_password(MODERATOR, "a brand new violet anchor phrase")
    assert client.get("/moderate/").status_code == 303
    assert client.post("/moderate/act", data={"approve": "x/y", "csrf": csrf_of(page.text)}).status_code in {303, 401}
    assert log_in(client, password="a brand new violet anchor phrase").status_code == 303
    assert client.get("/moderate/").status_code == 200


def test_login_and_logout_are_audited(client, app_settings):
    log_in(client)
    client.post("/moderate/logout", data={"csrf": csrf_of(client.get("/moderate/").text)})
    lines = (app_settings[1].inbox_dir / "audit.jsonl").read_text().splitlines()
    assert [('"action": "login"' in lines[0]), ('"action": "logout"' in lines[1])] == [True, True]
