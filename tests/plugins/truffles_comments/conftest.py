"""Fixtures shared by the comments plugin's tests."""

from __future__ import annotations

import pytest

from tests.support.comment_sites import require_chromium


@pytest.fixture(scope="module")
def browser(chromium):
    """The suite's one headless Debian Chromium (tests/conftest.py).

    Playwright's sync API allows one instance per thread, so every browser
    test shares the session's.
    """
    require_chromium()
    return chromium
