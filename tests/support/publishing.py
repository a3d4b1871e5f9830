"""A small site repository for the git publishing tests: the `thread` fixture
site under content/, committed into a bare repository that acts as origin."""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
from pathlib import Path

from comment_core.comment_file import Comment, new_comment_id, write_comment_atomic
from comment_receiver.settings import load_settings
from tests.support.receiver import SITE_ORIGIN, make_index
from tests.support.sitebuild import FIXTURES

SLUG = "thread-guide"
BRANCH = "main"
SITE_PAGES = {SLUG: {"url": "thread-guide.html", "title": "A guide", "comments": "open", "comment_ids": []}}
# A fixed identity for the fixture's own commits; git refuses to commit without one.
IDENTITY = {
    "GIT_AUTHOR_NAME": "fixture", "GIT_AUTHOR_EMAIL": "fixture@localhost",
    "GIT_COMMITTER_NAME": "fixture", "GIT_COMMITTER_EMAIL": "fixture@localhost",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args, cwd=None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **IDENTITY})
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def make_origin(tmp: Path) -> Path:
    """A bare repository holding the fixture site under content/, on branch main."""
    work = tmp / "site-src"
    shutil.copytree(FIXTURES / "comments" / "thread", work / "content")
    git("init", "-q", "-b", BRANCH, str(work))
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "The site", cwd=work)
    origin = tmp / "origin.git"
    git("clone", "-q", "--bare", str(work), str(origin))
    return origin


def clone(origin: Path, destination: Path) -> Path:
    git("clone", "-q", str(origin), str(destination))
    return destination


def git_settings(checkout: Path, queue: Path, **overrides):
    values = dict(
        queue_dir=queue,
        content_dir=checkout / "content" / "comments",
        site_index=make_index(queue.parent / (queue.name + "-index"), SITE_PAGES),
        allowed_origins=[SITE_ORIGIN],
        publish="git",
        publish_retry=1,
        publish_retry_max=2,
    )
    values.update(overrides)
    return load_settings({}, **values)


def git_env(checkout: Path, queue: Path, **extra) -> dict[str, str]:
    """Environment for a `python -m comment_receiver` process publishing through ``checkout``."""
    from tests.support.receiver import cli_env

    return cli_env(COMMENTS_QUEUE=queue, COMMENTS_CONTENT=checkout / "content" / "comments",
                   RECEIVER_PUBLISH="git", **extra)


def queue_comment(queue: Path, body: str, author: str = "Jane Doe", replyto: str | None = None) -> Comment:
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    comment = Comment(new_comment_id(now), SLUG, author, now, body, replyto=replyto)
    write_comment_atomic(queue / SLUG, comment)
    return comment


def subjects(origin: Path) -> list[str]:
    """Commit subjects on origin's main branch, newest first."""
    return git("--git-dir", str(origin), "log", "--format=%s", BRANCH).splitlines()


def approvals_of(origin: Path, comment_id: str) -> list[str]:
    return [s for s in subjects(origin) if s == f"Approve comment {comment_id} on {SLUG}"]


def every_path_ever(origin: Path) -> str:
    """Every file name in every commit of every branch of origin."""
    return git("--git-dir", str(origin), "log", "--all", "--format=", "--name-only")


def file_on_origin(origin: Path, comment_id: str) -> str:
    return git("--git-dir", str(origin), "show", f"{BRANCH}:content/comments/{SLUG}/{comment_id}.md")
