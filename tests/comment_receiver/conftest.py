"""Fixtures shared by the receiver's tests."""

from __future__ import annotations

import pytest

from tests.support.receiver import client_for, make_app


@pytest.fixture
def receiver(tmp_path):
    app, settings = make_app(tmp_path)
    with client_for(app) as client:
        client.settings = settings
        yield client


@pytest.fixture
def dirs(tmp_path):
    """(queue, content/comments) folders for one test; the queue exists, content not yet."""
    queue = tmp_path / "queue"
    content = tmp_path / "content" / "comments"
    queue.mkdir()
    return queue, content
