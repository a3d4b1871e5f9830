"""The moderation command line: list, show, approve, reject,
and clear errors. The commands run in-process through the entry point's own
``main`` (tests/support/moderation_cli.py); the first test runs them as authors
do, as a real `python -m comment_receiver` process."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from comment_core.comment_file import read_comment
from tests.support.moderation_cli import SLUG, queue_comment, run_moderation, run_moderation_process
from tests.support.receiver import ROOT

UTC = dt.UTC


def run(dirs, *args, cwd=None):
    return run_moderation(*dirs, *args, cwd=cwd)


def test_python_m_comment_receiver_runs_the_same_commands_as_a_process(dirs):
    """Smoke test of the entry point itself: list, approve and an unknown id, as a subprocess."""
    queue, content = dirs
    empty = run_moderation_process(queue, content, "list")
    assert empty.returncode == 0 and "No comments are waiting for moderation" in empty.stdout
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    approved = run_moderation_process(queue, content, "approve", source.stem)
    assert approved.returncode == 0, approved.stderr
    assert (content / SLUG / source.name).is_file() and not source.exists()
    unknown = run_moderation_process(queue, content, "show", "20990101T000000Z-deadbeef")
    assert unknown.returncode == 2 and "error:" in unknown.stderr and "Traceback" not in unknown.stderr
    usage = run_moderation_process(queue, content)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_an_in_process_command_leaves_the_environment_folder_and_streams_as_they_were(dirs, tmp_path):
    import os
    import sys

    before = (dict(os.environ), os.getcwd(), sys.stdin, sys.stdout, sys.stderr)
    result = run(dirs, "list", cwd=tmp_path)
    assert result.returncode == 0 and "No comments are waiting" in result.stdout
    failed = run(dirs, "approve", "no such id")
    assert failed.returncode == 2
    assert (dict(os.environ), os.getcwd(), sys.stdin, sys.stdout, sys.stderr) == before


def test_list_says_when_the_queue_is_empty(dirs):
    result = run(dirs, "list")
    assert result.returncode == 0
    assert "No comments are waiting for moderation" in result.stdout


def test_list_shows_each_waiting_comment(dirs):
    queue, _ = dirs
    queue_comment(queue, "20261124T181502Z-3f9a1c2b", author="Jane Doe")
    queue_comment(queue, "20261124T181600Z-4a5b6c7d", slug="iron-deficiency", author="Sam", body="Iron helped.")
    result = run(dirs, "list")
    assert result.returncode == 0, result.stderr
    assert "2 comments are waiting for moderation" in result.stdout
    for text in ("20261124T181502Z-3f9a1c2b", "page: restless-legs-syndrome", "Jane Doe",
                 "20261124T181600Z-4a5b6c7d", "page: iron-deficiency", "Iron helped."):
        assert text in result.stdout
    assert "approve ID" in result.stdout


def test_list_reports_a_broken_file_and_leftover_temporary_files(dirs):
    queue, _ = dirs
    (queue / SLUG).mkdir()
    (queue / SLUG / "20261124T000000Z-badbad00.md").write_text("no metadata here\n", encoding="utf-8")
    (queue / SLUG / ".20261124T000000Z-12345678.abc.tmp").write_text("Author: half", encoding="utf-8")
    result = run(dirs, "list")
    assert result.returncode == 0
    assert "20261124T000000Z-badbad00" in result.stdout and "cannot be read" in result.stdout
    assert "unfinished temporary file" in result.stdout and ".20261124T000000Z-12345678.abc.tmp" in result.stdout


def test_show_prints_the_comment_and_neutralises_terminal_escapes(dirs):
    queue, _ = dirs
    # Written by hand: the receiver itself never stores control characters.
    path = queue / SLUG / "20261124T181502Z-3f9a1c2b.md"
    path.parent.mkdir()
    path.write_text("Author: Jane Doe\nDate: 2026-11-24 18:15\n\nHi \x1b]0;pwned\x07 there\n\nSecond paragraph.\n", encoding="utf-8")
    result = run(dirs, "show", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout and "Second paragraph." in result.stdout and "Author: Jane Doe" in result.stdout
    assert "\x1b" not in result.stdout and "\\u{001B}" in result.stdout
    assert "U+001B" in result.stdout  # and the file's problem is named


def test_approve_moves_the_file_into_content_comments_and_says_so(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    original = source.read_bytes()
    result = run(dirs, "approve", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    target = content / SLUG / "20261124T181502Z-3f9a1c2b.md"
    assert target.read_bytes() == original
    assert not source.exists()
    assert "Approved 20261124T181502Z-3f9a1c2b" in result.stdout and str(target) in result.stdout
    assert "make html" in result.stdout
    assert [p for p in queue.rglob("*") if p.is_file()] == []


def test_approve_and_reject_accept_slug_slash_id_and_several_ids(dirs):
    queue, content = dirs
    queue_comment(queue, "20261124T000001Z-00000001")
    queue_comment(queue, "20261124T000002Z-00000002")
    queue_comment(queue, "20261124T000003Z-00000003")
    result = run(dirs, "approve", f"{SLUG}/20261124T000001Z-00000001", "20261124T000002Z-00000002.md")
    assert result.returncode == 0, result.stderr
    assert len(list((content / SLUG).glob("*.md"))) == 2
    assert run(dirs, "reject", f"{SLUG}/20261124T000003Z-00000003").returncode == 0
    assert [p for p in queue.rglob("*") if p.is_file()] == []


def test_reject_deletes_the_file_and_says_so(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, "reject", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    assert not source.exists() and not content.exists()
    assert "Rejected 20261124T181502Z-3f9a1c2b" in result.stdout and "deleted" in result.stdout


@pytest.mark.parametrize("command", ["show", "approve", "reject"])
@pytest.mark.parametrize("ident", ["20990101T000000Z-deadbeef", "../../etc/passwd", "no such id"])
def test_an_unknown_id_is_a_clear_error_with_exit_status_2(dirs, command, ident):
    queue, content = dirs
    kept = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, command, ident)
    assert result.returncode == 2
    assert "error:" in result.stderr and ("no comment" in result.stderr or "not a comment id" in result.stderr)
    assert "Run `make comments` to see the queue." in result.stderr
    assert kept.exists() and not content.exists()


def test_one_unknown_id_among_several_changes_nothing(dirs):
    queue, content = dirs
    kept = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, "approve", "20261124T181502Z-3f9a1c2b", "20990101T000000Z-deadbeef")
    assert result.returncode == 2 and kept.exists() and not content.exists()


def test_a_reply_cannot_be_approved_before_its_parent(dirs):
    queue, content = dirs
    parent = queue_comment(queue, "20261124T000001Z-00000001")
    reply = queue_comment(queue, "20261124T000002Z-00000002", replyto="20261124T000001Z-00000001")
    result = run(dirs, "approve", "20261124T000002Z-00000002")
    assert result.returncode == 1
    assert "`make approve ID=20261124T000001Z-00000001` first" in result.stderr
    assert reply.exists() and not content.exists()
    assert run(dirs, "approve", parent.stem, reply.stem).returncode == 0
    assert read_comment(content / SLUG / f"{reply.stem}.md").replyto == parent.stem


def test_an_interrupted_approve_is_finished_by_running_it_again(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    (content / SLUG).mkdir(parents=True)
    shutil.copy2(source, content / SLUG / source.name)  # crashed after writing, before removing
    result = run(dirs, "approve", source.stem)
    assert result.returncode == 0, result.stderr
    assert "already in" in result.stdout and not source.exists()


def test_approve_never_overwrites_a_different_published_comment(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b", body="The queued one.")
    published = queue_comment(content, "20261124T181502Z-3f9a1c2b", body="The published one.")
    result = run(dirs, "approve", source.stem)
    assert result.returncode == 1 and "already exists with different content" in result.stderr
    assert read_comment(published).body == "The published one." and source.exists()


def test_a_broken_queued_file_is_not_approved_but_can_be_rejected(dirs):
    queue, content = dirs
    (queue / SLUG).mkdir()
    broken = queue / SLUG / "20261124T000000Z-badbad00.md"
    broken.write_text("Author: X\n\n", encoding="utf-8")
    result = run(dirs, "approve", broken.stem)
    assert result.returncode == 1 and "not a valid comment file" in result.stderr and "Date" in result.stderr
    assert broken.exists() and not content.exists()
    assert run(dirs, "reject", broken.stem).returncode == 0 and not broken.exists()


def test_make_comments_command_lists_the_queue(dirs):
    """`make comments` runs exactly `python -m comment_receiver list`."""
    makefile = (ROOT / "Makefile").read_text()
    assert "-m comment_receiver list" in makefile
    queue, _ = dirs
    queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    assert "1 comment is waiting" in run(dirs, "list").stdout


