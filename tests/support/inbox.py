"""Helpers for the moderation inbox tests (tests/comment_receiver/test_inbox_*.py)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from comment_core.comment_file import read_comment
from comment_receiver.inbox.accounts import Accounts
from tests.support.receiver import ROOT, SITE_ORIGIN, client_for, good_form, make_app

MODERATOR = "alice"
PASSWORD = "correct horse battery staple"
XSS_COMMENTS = ROOT / "tests" / "fixtures" / "comments" / "xss" / "comments" / "xss-guide"


#: The accounts file Accounts.set_password wrote for MODERATOR, kept for the
#: session: an Argon2 hash costs about half a second by design, so the first
#: inbox test makes it and the others get a copy of the same file.
_ACCOUNTS_FILE: list[str] = []


def add_moderator(moderators_file: Path) -> None:
    """MODERATOR with PASSWORD in a new accounts file, as `make moderator` writes it."""
    if not _ACCOUNTS_FILE or moderators_file.exists():
        Accounts(moderators_file).set_password(MODERATOR, PASSWORD)
        if not _ACCOUNTS_FILE and list(Accounts(moderators_file).all()) == [MODERATOR]:
            _ACCOUNTS_FILE.append(moderators_file.read_text(encoding="utf-8"))
        return
    moderators_file.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(moderators_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
        out.write(_ACCOUNTS_FILE[0])


def inbox_app(tmp_path: Path, **overrides):
    """A receiver app with one moderator account; returns (app, settings)."""
    values = dict(moderators_file=tmp_path / "moderation" / "moderators", inbox_dir=tmp_path / "moderation")
    values.update(overrides)
    app, settings = make_app(tmp_path, **values)
    add_moderator(settings.moderators_file)
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


__all__ = ["MODERATOR", "PASSWORD", "SITE_ORIGIN", "add_moderator", "client_for", "csrf_of", "inbox_app", "log_in", "post_comment",
           "queue_xss_fixtures"]
