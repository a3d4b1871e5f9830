"""RECEIVER_PUBLISH=git with real git: a bare repository is origin, the
receiver's checkout is a clone of it."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

import pytest

from comment_receiver.app import create_app
from comment_receiver.moderation import approve, reject
from comment_receiver.publish import publication_status
from tests.support.moderation_cli import run_in_process
from tests.support.publishing import (
    SLUG,
    approvals_of,
    clone,
    every_path_ever,
    file_on_origin,
    git,
    git_env,
    git_settings,
    make_origin,
    queue_comment,
    subjects,
)
from tests.support.receiver import PYTHON, ROOT, client_for, files_under
from tests.support.servers import wait_for


@pytest.fixture
def site(tmp_path):
    origin = make_origin(tmp_path)
    checkout = clone(origin, tmp_path / "checkout")
    queue = tmp_path / "queue"
    return origin, checkout, queue, git_settings(checkout, queue)


def test_an_approval_is_one_commit_by_the_moderator_on_origin(site):
    origin, checkout, queue, settings = site
    comment = queue_comment(queue, "Walking helps me.")
    done = approve(queue, settings.content_dir, comment.id, moderator="Dr Grace Hopper", settings=settings)
    assert done.published is not None and done.waiting_reason is None
    assert subjects(origin)[0] == f"Approve comment {comment.id} on {SLUG}"
    assert git("--git-dir", str(origin), "log", "-1", "--format=%an|%H", "main") == f"Dr Grace Hopper|{done.published.commit}"
    assert "Walking helps me." in file_on_origin(origin, comment.id)
    assert files_under(queue) == []
    waiting, recent = publication_status(settings)
    assert waiting == [] and [(p.id, p.slug, p.commit) for p in recent] == [(comment.id, SLUG, done.published.commit)]


def test_pending_and_rejected_comments_never_reach_origin(site):
    origin, checkout, queue, settings = site
    kept, refused, good = (queue_comment(queue, text) for text in ("Still pending.", "Spam spam.", "Useful."))
    reject(queue, refused.id)
    approve(queue, settings.content_dir, good.id, settings=settings)
    history = every_path_ever(origin)
    assert f"{good.id}.md" in history
    assert refused.id not in history and kept.id not in history
    assert (queue / SLUG / f"{kept.id}.md").is_file()


def test_unreachable_remote_keeps_the_approval_and_the_app_publishes_it_once_back(site, tmp_path):
    origin, checkout, queue, settings = site
    comment = queue_comment(queue, "Published later.")
    moved = tmp_path / "origin-away.git"
    origin.rename(moved)
    done = approve(queue, settings.content_dir, comment.id, moderator="Ann", settings=settings)
    assert done.published is None and "cannot reach origin" in done.waiting_reason
    waiting, recent = publication_status(settings)
    assert [(w.id, w.moderator, w.attempts) for w in waiting] == [(comment.id, "Ann", 1)]
    assert "cannot reach origin" in waiting[0].last_error and recent == []
    assert files_under(queue) == []

    moved.rename(origin)
    app = create_app(settings)
    with client_for(app):  # the lifespan starts the background retries
        wait_for(lambda: publication_status(settings)[1], message="the background publication")
    assert approvals_of(origin, comment.id) == [f"Approve comment {comment.id} on {SLUG}"]
    assert git("--git-dir", str(origin), "log", "-1", "--format=%an", "main") == "Ann"
    assert publication_status(settings)[0] == []


def test_approvals_at_the_same_moment_from_two_processes_both_land(site):
    origin, checkout, queue, settings = site
    comments = [queue_comment(queue, f"Comment number {n}.") for n in range(2)]
    env = git_env(checkout, queue)
    runs = [subprocess.Popen([PYTHON, "-m", "comment_receiver", "approve", c.id], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in comments]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for comment in comments:
        assert len(approvals_of(origin, comment.id)) == 1


def test_two_checkouts_pushing_at_once_rebase_and_both_land(site, tmp_path):
    origin, checkout, queue, settings = site
    other = clone(origin, tmp_path / "checkout-2")
    other_settings = git_settings(other, tmp_path / "queue-2")
    first = queue_comment(queue, "From the first receiver.")
    second = queue_comment(tmp_path / "queue-2", "From the second receiver.")
    results = {}
    threads = [
        threading.Thread(target=lambda: results.update(a=approve(queue, settings.content_dir, first.id, settings=settings))),
        threading.Thread(target=lambda: results.update(b=approve(other_settings.queue_dir, other_settings.content_dir,
                                                                 second.id, settings=other_settings))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results["a"].published and results["b"].published, results
    assert len(approvals_of(origin, first.id)) == 1 and len(approvals_of(origin, second.id)) == 1


@pytest.mark.parametrize("hook", ["post-commit", "pre-push"], ids=["killed-after-commit", "killed-while-pushing"])
def test_sigkill_while_publishing_then_restart_publishes_exactly_once(site, hook):
    origin, checkout, queue, settings = site
    comment = queue_comment(queue, "Survives a kill.")
    marker = checkout / ".git" / "reached-hook"
    hook_file = checkout / ".git" / "hooks" / hook
    hook_file.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 60\n")
    hook_file.chmod(0o755)
    process = subprocess.Popen([PYTHON, "-m", "comment_receiver", "approve", comment.id], cwd=ROOT,
                               env=git_env(checkout, queue), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(marker.exists, 60, f"the {hook} hook")
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI, its git and the hook: its own session
        process.wait(timeout=10)
    hook_file.unlink()
    assert approvals_of(origin, comment.id) == [] and files_under(queue) == []

    run = run_in_process(["publish"], env=git_env(checkout, queue))
    assert run.returncode == 0, run.stderr
    assert f"Published {comment.id}" in run.stdout
    assert len(approvals_of(origin, comment.id)) == 1
    assert "Survives a kill." in file_on_origin(origin, comment.id)
    assert publication_status(settings)[0] == []
    again = run_in_process(["publish"], env=git_env(checkout, queue))
    assert "No approved comments are waiting" in again.stdout
    assert len(approvals_of(origin, comment.id)) == 1


def test_a_reply_to_an_approval_still_waiting_is_published_after_it(site, tmp_path):
    origin, checkout, queue, settings = site
    parent = queue_comment(queue, "A question.")
    origin.rename(tmp_path / "away.git")
    assert approve(queue, settings.content_dir, parent.id, settings=settings).published is None
    reply = queue_comment(queue, "An answer.", author="Bob", replyto=parent.id)
    assert approve(queue, settings.content_dir, reply.id, settings=settings).published is None
    (tmp_path / "away.git").rename(origin)
    run = run_in_process(["publish"], env=git_env(checkout, queue))
    assert run.returncode == 0, run.stderr
    assert subjects(origin)[:2] == [f"Approve comment {reply.id} on {SLUG}", f"Approve comment {parent.id} on {SLUG}"]


def test_content_outside_a_git_clone_keeps_the_approval_with_a_clear_reason(tmp_path):
    queue = tmp_path / "queue"
    settings = git_settings(tmp_path / "not-a-clone", queue)
    comment = queue_comment(queue, "Kept safe.")
    done = approve(queue, settings.content_dir, comment.id, settings=settings)
    assert done.published is None and "not a git repository" in done.waiting_reason
    assert [w.id for w in publication_status(settings)[0]] == [comment.id]


def test_cli_approve_reports_the_commit_and_a_failure(site, tmp_path):
    origin, checkout, queue, settings = site
    first, second = queue_comment(queue, "One."), queue_comment(queue, "Two.")
    env = git_env(checkout, queue)
    run = run_in_process(["approve", first.id], env=env)
    assert run.returncode == 0 and "pushed in commit" in run.stdout, run.stderr
    origin.rename(tmp_path / "away.git")
    run = run_in_process(["approve", second.id], env=env)
    assert run.returncode == 0 and "NOT published yet: cannot reach origin" in run.stdout
    run = run_in_process(["publish"], env=env)
    assert run.returncode == 1 and "not published yet" in run.stderr


def test_a_fresh_clone_of_origin_after_an_approval_builds_with_the_comment(site, tmp_path):
    from bs4 import BeautifulSoup

    from tests.support.comment_sites import FIXTURE_SETTINGS
    from tests.support.sitebuild import build_site_cli

    origin, checkout, queue, settings = site
    comment = queue_comment(queue, "Magnesium before bed helped my *legs*.", author="Pat Example")
    assert approve(queue, settings.content_dir, comment.id, settings=settings).published
    fresh = clone(origin, tmp_path / "ci-checkout")
    result = build_site_cli(tmp_path / "out", content=fresh / "content", env={"SITEURL": "https://rls.example.test"},
                            **FIXTURE_SETTINGS)
    assert result.ok, result.problems
    page = BeautifulSoup(result.page(f"/{SLUG}/").read_text(encoding="utf-8"), "html.parser")
    shown = page.select_one(f"section.tc-comments [id*='{comment.id}']")
    assert shown is not None, "the approved comment is not on the page"
    text = page.select_one("section.tc-comments").get_text(" ", strip=True)
    assert "Pat Example" in text and "Magnesium before bed helped my legs" in text


def test_cli_list_shows_approvals_waiting_to_be_pushed(site, tmp_path):
    origin, checkout, queue, settings = site
    comment = queue_comment(queue, "Waiting.")
    origin.rename(tmp_path / "away.git")
    approve(queue, settings.content_dir, comment.id, moderator="Ann", settings=settings)
    run = run_in_process(["list"], env=git_env(checkout, queue))
    assert run.returncode == 0, run.stderr
    assert "1 approved comment(s) not pushed yet" in run.stdout
    assert comment.id in run.stdout and "approved by Ann" in run.stdout and "cannot reach origin" in run.stdout


def test_a_reply_to_a_comment_another_receiver_published_is_accepted(site, tmp_path):
    origin, checkout, queue, settings = site
    other = git_settings(clone(origin, tmp_path / "checkout-2"), tmp_path / "queue-2")
    parent = queue_comment(other.queue_dir, "Published by the other receiver.")
    assert approve(other.queue_dir, other.content_dir, parent.id, settings=other).published
    reply = queue_comment(queue, "A reply here.", author="Bob", replyto=parent.id)
    done = approve(queue, settings.content_dir, reply.id, settings=settings)
    assert done.published is not None
    assert subjects(origin)[:2] == [f"Approve comment {reply.id} on {SLUG}", f"Approve comment {parent.id} on {SLUG}"]
