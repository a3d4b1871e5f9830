"""Per-client rate limiting: the N+1-th post in the window gets 429 with Retry-After."""

from __future__ import annotations

import pytest

from tests.support.receiver import SITE_ORIGIN, client_for, files_under, good_form, make_app

HEADERS = {"Origin": SITE_ORIGIN, "Accept": "application/json"}


@pytest.fixture
def limited(tmp_path):
    app, settings = make_app(tmp_path, rate_limit="3/minute")
    return app, settings


def test_the_fourth_post_within_a_minute_gets_429_with_retry_after(limited):
    app, settings = limited
    with client_for(app) as client:
        for _ in range(3):
            assert client.post("/comments", data=good_form(), headers=HEADERS).status_code == 202
        response = client.post("/comments", data=good_form(), headers=HEADERS)
    assert response.status_code == 429
    retry = int(response.headers["retry-after"])
    assert 1 <= retry <= 60
    body = response.json()
    assert body["code"] == 429 and f"wait {retry} second" in body["errors"][0]["message"]
    assert len(files_under(settings.queue_dir)) == 3, "the refused post wrote nothing"


def test_429_is_answered_as_a_page_to_browsers(limited):
    app, _ = limited
    with client_for(app) as client:
        for _ in range(3):
            client.post("/comments", data=good_form(), headers={"Origin": SITE_ORIGIN})
        response = client.post("/comments", data=good_form(), headers={"Origin": SITE_ORIGIN, "Accept": "text/html"})
    assert response.status_code == 429 and response.headers["retry-after"]
    assert "Too many comments" in response.text and "Your comment was not sent" in response.text


def test_refused_posts_count_too_so_a_flood_of_junk_is_limited(limited):
    app, settings = limited
    with client_for(app) as client:
        for _ in range(3):
            assert client.post("/comments", data=good_form(name=None), headers=HEADERS).status_code == 422
        assert client.post("/comments", data=good_form(), headers=HEADERS).status_code == 429
    assert files_under(settings.queue_dir) == []


def test_posts_from_foreign_pages_do_not_use_up_a_visitors_limit(limited):
    app, _ = limited
    with client_for(app) as client:
        for _ in range(10):
            response = client.post("/comments", data=good_form(), headers={"Origin": "https://evil.example",
                                                                            "Accept": "application/json"})
            assert response.status_code == 403
        assert client.post("/comments", data=good_form(), headers=HEADERS).status_code == 202


def test_the_limit_is_per_client_address(limited):
    app, settings = limited
    with client_for(app, client=("192.0.2.1", 40000)) as first:
        for _ in range(3):
            first.post("/comments", data=good_form(), headers=HEADERS)
        assert first.post("/comments", data=good_form(), headers=HEADERS).status_code == 429
    with client_for(app, client=("192.0.2.2", 40000)) as second:
        assert second.post("/comments", data=good_form(), headers=HEADERS).status_code == 202


def test_the_thank_you_page_and_health_check_are_not_limited(limited):
    app, _ = limited
    with client_for(app) as client:
        for _ in range(10):
            assert client.get("/comments/thanks?page=restless-legs-syndrome").status_code == 200
        assert client.post("/comments", data=good_form(), headers=HEADERS).status_code == 202
