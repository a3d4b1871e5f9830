"""Moderator accounts from the command line: make moderator / make moderators / remove."""

from __future__ import annotations

import os
import subprocess

import pytest
from argon2 import PasswordHasher

from comment_receiver.inbox.__main__ import main as inbox_main
from comment_receiver.inbox.accounts import Accounts
from tests.support.moderation_cli import run_in_process
from tests.support.receiver import ROOT, cli_env


def run(args, tmp_path, stdin="", make=False):
    """`make ARGS` as a process, or `python -m comment_receiver.inbox ARGS` in-process."""
    env = cli_env(RECEIVER_MODERATORS=tmp_path / "mods" / "moderators")
    if not make:
        return run_in_process(args, env=env, main=inbox_main, stdin=stdin)
    command = ["make", "--no-print-directory", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_make_moderator_reads_one_line_from_a_pipe_and_stores_only_an_argon2_hash(tmp_path):
    result = run(["moderator", "NAME=alice"], tmp_path, stdin="a long secret phrase\n", make=True)
    assert result.returncode == 0, result.stderr
    assert "added moderator alice" in result.stdout
    path = tmp_path / "mods" / "moderators"
    text = path.read_text()
    assert "a long secret phrase" not in text
    name, hashed = text.strip().split(":", 1)
    assert name == "alice" and hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "a long secret phrase")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    listed = run(["moderators"], tmp_path, make=True)
    assert listed.returncode == 0 and listed.stdout.strip().splitlines()[-1] == "alice"


def test_adding_again_replaces_the_password_and_remove_deletes(tmp_path):
    run(["add", "alice"], tmp_path, stdin="first password here\n")
    run(["add", "bob"], tmp_path, stdin="bobs password here\n")
    replaced = run(["add", "alice"], tmp_path, stdin="second password here\n")
    assert "replaced the password of moderator alice" in replaced.stdout
    accounts = Accounts(tmp_path / "mods" / "moderators")
    assert accounts.verify("alice", "second password here") and not accounts.verify("alice", "first password here")
    assert run(["remove", "alice"], tmp_path).returncode == 0
    assert run(["list"], tmp_path).stdout.split() == ["bob"]
    missing = run(["remove", "alice"], tmp_path)
    assert missing.returncode == 1 and "there is no moderator 'alice'" in missing.stderr


@pytest.mark.parametrize("name, stdin, message", [
    ("alice", "short\n", "too short"),
    ("alice", "", "no password on standard input"),
    ("al:ice", "a long enough password\n", "not a usable moderator name"),
    # What a security test could set before (issue 20): each is guessed in seconds offline.
    ("alice", "aaaaaaaaaa\n", "too easy to guess"),
    ("alice", "1234567890\n", "too easy to guess"),
    ("alice", "password12\n", "too easy to guess"),
    ("alice", "          \n", "too easy to guess"),
    ("alice", "alice12345\n", "too easy to guess"),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(tmp_path, name, stdin, message):
    result = run(["add", name], tmp_path, stdin=stdin)
    assert result.returncode == 1 and message in result.stderr
    assert not (tmp_path / "mods" / "moderators").exists()


def test_make_moderator_without_a_name_shows_usage(tmp_path):
    result = run(["moderator"], tmp_path, make=True)
    assert result.returncode != 0 and "usage: make moderator NAME=<name>" in result.stdout


def test_an_empty_account_file_list_says_how_to_add_one(tmp_path):
    assert "make moderator NAME=" in run(["list"], tmp_path).stdout


def test_a_damaged_accounts_file_is_reported(tmp_path):
    path = tmp_path / "mods" / "moderators"
    path.parent.mkdir()
    path.write_text("alice:plaintext-password\n")
    result = run(["list"], tmp_path)
    assert result.returncode == 1 and "line 1: expected 'name:$argon2" in result.stderr


def test_the_default_accounts_file_is_outside_content_and_ignored_by_git():
    from comment_receiver.settings import load_settings

    settings = load_settings({})
    assert settings.moderators_file.relative_to(ROOT).parts[0] != "content"
    for path in (settings.moderators_file, settings.inbox_dir / "audit.jsonl"):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(path.relative_to(ROOT))], cwd=ROOT)
        assert ignored.returncode == 0, f"{path} is not git-ignored"
