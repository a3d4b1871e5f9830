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
