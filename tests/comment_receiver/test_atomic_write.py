"""Accepted comments are written atomically with the format module, success is
answered only once the file is in place, and a failed write is never reported
as success."""

from __future__ import annotations

import errno

import pytest

import comment_receiver.app as receiver_app
from comment_core import comment_file
from comment_core.comment_file import format_comment, read_comment
from tests.support.receiver import SITE_ORIGIN, client_for, files_under, good_form, make_app

HEADERS = {"Origin": SITE_ORIGIN, "Accept": "application/json"}


def test_the_queue_file_is_exactly_what_the_format_module_writes(tmp_path):
    app, settings = make_app(tmp_path)
    with client_for(app) as client:
        response = client.post("/comments", data=good_form(message="Hello *world*\r\n\r\n- a\r\n- b"), headers=HEADERS)
    [path] = files_under(settings.queue_dir)  # no temporary file is left next to it
    comment = read_comment(path)
    assert path.name == f"{response.json()['id']}.md"
    assert path.read_text(encoding="utf-8") == format_comment(comment)
    assert comment.body == "Hello *world*\n\n- a\n- b"


def test_writes_go_through_the_format_modules_atomic_write(tmp_path, monkeypatch):
    calls = []
    real = comment_file.write_comment_atomic

    def spy(directory, comment):
        calls.append((directory, comment.id))
        return real(directory, comment)

    monkeypatch.setattr(receiver_app, "write_comment_atomic", spy)
    app, settings = make_app(tmp_path)
    with client_for(app) as client:
        response = client.post("/comments", data=good_form(), headers=HEADERS)
    assert calls == [(settings.queue_dir / "restless-legs-syndrome", response.json()["id"])]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), PermissionError(errno.EACCES, "denied")])
def test_a_failed_write_is_answered_503_never_success(tmp_path, monkeypatch, error):
    def failing(directory, comment):
        raise error

    monkeypatch.setattr(receiver_app, "write_comment_atomic", failing)
    app, settings = make_app(tmp_path)
    with client_for(app) as client:
        response = client.post("/comments", data=good_form(), headers=HEADERS)
        page = client.post("/comments", data=good_form(), headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 503 and response.headers["retry-after"]
    assert "could not be saved" in response.json()["errors"][0]["message"]
    assert page.status_code == 503 and "could not be saved" in page.text
    assert [p for p in files_under(settings.queue_dir) if p.suffix == ".md"] == []


def test_an_id_collision_draws_a_new_id_and_never_overwrites(tmp_path, monkeypatch):
    app, settings = make_app(tmp_path)
    existing = settings.queue_dir / "restless-legs-syndrome" / "20261124T000000Z-00000000.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("Author: First\nDate: 2026-11-24 00:00\n\nI was here first.\n", encoding="utf-8")
    ids = iter(["20261124T000000Z-00000000", "20261124T000000Z-00000000", "20261124T000000Z-11111111"])
    monkeypatch.setattr(receiver_app, "new_comment_id", lambda now=None: next(ids))
    with client_for(app) as client:
        response = client.post("/comments", data=good_form(), headers=HEADERS)
    assert response.status_code == 202 and response.json()["id"] == "20261124T000000Z-11111111"
    assert read_comment(existing).author == "First"
    assert read_comment(existing.with_name("20261124T000000Z-11111111.md")).author == "Jane Doe"


def test_persistent_collisions_give_up_with_503(tmp_path, monkeypatch):
    app, settings = make_app(tmp_path)
    existing = settings.queue_dir / "restless-legs-syndrome" / "20261124T000000Z-00000000.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("Author: First\nDate: 2026-11-24 00:00\n\nI was here first.\n", encoding="utf-8")
    monkeypatch.setattr(receiver_app, "new_comment_id", lambda now=None: "20261124T000000Z-00000000")
    with client_for(app) as client:
        assert client.post("/comments", data=good_form(), headers=HEADERS).status_code == 503
    assert read_comment(existing).author == "First"


def test_startup_removes_only_old_temporary_files_of_interrupted_writes(tmp_path, caplog):
    import logging
    import os
    import time

    from comment_receiver.settings import load_settings

    assert load_settings({}).stale_temp_age == 60  # the documented default
    app, settings = make_app(tmp_path, stale_temp_age=60)
    folder = settings.queue_dir / "restless-legs-syndrome"
    folder.mkdir(parents=True)
    stale = folder / ".20261124T000000Z-00000000.k3j_x9q2.tmp"  # the name write_comment_atomic gives
    fresh = folder / ".20261124T000000Z-11111111.a8b7c6d5.tmp"  # another receiver's write in flight
    other = folder / ".notes.txt"
    kept = folder / "20261124T000000Z-22222222.md"
    for path in (stale, fresh, other, kept):
        path.write_text("Author: x\n", encoding="utf-8")
    assert comment_file.TEMP_FILE_PATTERN.fullmatch(stale.name) and comment_file.TEMP_FILE_PATTERN.fullmatch(fresh.name)
    old = time.time() - 120
    for path in (stale, other, kept):
        os.utime(path, (old, old))
    with caplog.at_level(logging.INFO, logger="comment_receiver"), client_for(app):
        pass
    assert not stale.exists()
    assert fresh.exists() and other.exists() and kept.exists()
    assert "removed 1 leftover temporary file(s) older than 60s" in caplog.text
