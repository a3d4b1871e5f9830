"""Run the moderation command line (`python -m comment_receiver ...`) inside the
test process: the same ``main`` the entry point calls, with its own environment,
working folder and captured output, and nothing left behind for the next test.

One subprocess smoke test per entry point (tests/comment_receiver/test_cli.py)
checks that the real `python -m` start reaches this same ``main``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from comment_core.comment_file import Comment, write_comment_atomic
from comment_receiver.__main__ import main as receiver_main
from tests.support.receiver import PYTHON, ROOT, cli_env


@dataclass
class Finished:
    """What a finished command left: the same three fields as subprocess.run's result."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: dict[str, str], cwd: Path):
    """os.environ replaced by ``env`` and the working folder by ``cwd``, both restored after."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


@contextlib.contextmanager
def _stdin(text: str):
    """sys.stdin as a pipe holding ``text`` (never a terminal), restored after."""
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def run_in_process(args, *, env: dict[str, str], cwd: Path = ROOT, main=receiver_main, stdin: str = "") -> Finished:
    """``main(args)`` as `python -m` would run it with ``env`` and ``stdin`` piped in:
    exit status and output."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(env, cwd), _stdin(stdin), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return Finished(code or 0, out.getvalue(), err.getvalue())


def run_moderation(queue: Path, content: Path, *args, cwd: Path | None = None) -> Finished:
    """`python -m comment_receiver ARGS` on this queue and content folder, in-process."""
    env = cli_env(COMMENTS_QUEUE=queue, COMMENTS_CONTENT=content)
    return run_in_process(args, env=env, cwd=cwd or ROOT)


def run_moderation_process(queue: Path, content: Path, *args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The same command as a real process, for the entry point's smoke tests."""
    return subprocess.run(
        [PYTHON, "-m", "comment_receiver", *map(str, args)],
        env=cli_env(COMMENTS_QUEUE=queue, COMMENTS_CONTENT=content),
        capture_output=True, text=True, timeout=60, cwd=cwd or ROOT,
    )


SLUG = "restless-legs-syndrome"


def queue_comment(queue: Path, cid: str, *, slug=SLUG, author="Jane Doe", body="Hello from the queue.", replyto=None):
    comment = Comment(cid, slug, author, dt.datetime(2026, 11, 24, 18, 15, tzinfo=dt.UTC), body, replyto, None)
    return write_comment_atomic(queue / slug, comment)
