"""The moderation commands never follow a link, never block on a pipe and
stop quietly when their reader goes away."""

from __future__ import annotations

import os
import subprocess

from tests.support.moderation_cli import SLUG, queue_comment, run_moderation, run_moderation_process
from tests.support.receiver import PYTHON, ROOT, cli_env

CID = "20261124T181502Z-3f9a1c2b"


def run(dirs, *args):
    return run_moderation(*dirs, *args)


def test_a_linked_slug_folder_in_the_queue_cannot_make_approve_delete_a_published_comment(dirs):
    queue, content = dirs
    published = queue_comment(content, CID)  # the published comment
    original = published.read_bytes()
    (queue / SLUG).symlink_to(content / SLUG, target_is_directory=True)
    for command in ("approve", "reject"):
        result = run(dirs, command, CID)
        assert result.returncode != 0 and "symbolic link" in result.stderr, result.stdout + result.stderr
        assert published.read_bytes() == original


def test_list_and_show_name_a_linked_file_without_printing_its_target(dirs, tmp_path):
    queue, _ = dirs
    secret = tmp_path / "secret.txt"
    secret.write_text("Author: Mallory Target\nDate: 2026-01-01\n\nTOP-SECRET-LINE\n", encoding="utf-8")
    (queue / SLUG).mkdir()
    (queue / SLUG / f"{CID}.md").symlink_to(secret)
    for args in (("list",), ("show", CID)):
        result = run(dirs, *args)
        assert result.returncode == 0, result.stderr
        assert "TOP-SECRET-LINE" not in result.stdout and "Mallory" not in result.stdout
        assert "symbolic link" in result.stdout and CID in result.stdout
    assert run(dirs, "approve", CID).returncode != 0
    assert secret.exists()


def test_a_pipe_in_the_queue_is_named_not_waited_on(dirs):
    queue, _ = dirs
    (queue / SLUG).mkdir()
    os.mkfifo(queue / SLUG / f"{CID}.md")
    # A real process, which times out after 60 s if it blocks
    result = run_moderation_process(*dirs, "list")
    assert result.returncode == 0 and CID in result.stdout and "not a regular file" in result.stdout


def test_list_piped_into_head_ends_without_a_traceback(dirs):
    queue, _ = dirs
    for number in range(300):
        queue_comment(queue, f"20261124T18{number // 60:02d}{number % 60:02d}Z-{number:08x}", body="Hello " * 40)
    env = cli_env(COMMENTS_QUEUE=queue, COMMENTS_CONTENT=dirs[1])
    result = subprocess.run(
        f"'{PYTHON}' -m comment_receiver list | head -n 1", shell=True,
        env=env, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
