"""Helpers for the moderation inbox tests (tests/comment_receiver/test_inbox_*.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from comment_core.comment_file import read_comment
from comment_receiver.inbox.accounts import Accounts
from tests.support.receiver import ROOT, SITE_ORIGIN, client_for, good_form, make_app

MODERATOR = "alice"
PASSWORD = "correct horse battery staple"
XSS_COMMENTS = ROOT / "tests" / "fixtures" / "comments" / "xss" / "comments" / "xss-guide"


def inbox_app(tmp_path: Path, **overrides):
    """A receiver app with one moderator account; returns (app, settings)."""
    values = dict(moderators_file=tmp_path / "moderation" / "moderators", inbox_dir=tmp_path / "moderation")
    values.update(overrides)
    app, settings = make_app(tmp_path, **values)
    Accounts(settings.moderators_file).set_password(MODERATOR, PASSWORD)
    return app, settings


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, name: str = MODERATOR, password: str = PASSWORD):
    token = csrf_of(client.get("/moderate/login").text)
    return client.post("/moderate/login", data={"csrf": token, "name": name, "password": password})


def post_comment(client, **changes) -> str:
    response = client.post("/comments", data=good_form(**changes),
                           headers={"Origin": SITE_ORIGIN, "Accept": "application/json"})
    assert response.status_code == 202, response.text
    return response.json()["slug"] + "/" + response.json()["id"]


def queue_xss_fixtures(queue_dir: Path, slug: str = "restless-legs-syndrome") -> list[str]:
    """The plugin's XSS fixture comments, put into the moderation queue as one page's."""
    target = Path(queue_dir) / slug
    target.mkdir(parents=True, exist_ok=True)
    refs = []
    for source in sorted(XSS_COMMENTS.glob("*.md")):
        read_comment(source)  # each fixture is a valid comment file
        shutil.copy(source, target / source.name)
        refs.append(f"{slug}/{source.stem}")
    return refs


__all__ = ["MODERATOR", "PASSWORD", "SITE_ORIGIN", "client_for", "csrf_of", "inbox_app", "log_in", "post_comment",
           "queue_xss_fixtures"]
