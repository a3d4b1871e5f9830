"""The few git operations publishing needs, run with the ``git`` command.

Credentials are whatever git itself is configured with (an SSH deploy key, a
credential helper): nothing here reads, stores or passes any.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: A push or fetch that hangs (a dead network) must not hold the approval lock forever.
NETWORK_TIMEOUT = 120
LOCAL_TIMEOUT = 60
#: Commits are committed (and rebased) by the receiver on behalf of the moderator, their author.
COMMITTER = {"GIT_COMMITTER_NAME": "comment receiver", "GIT_COMMITTER_EMAIL": "comment-receiver@localhost"}


class GitError(Exception):
    """A git command failed; the message says which and why."""


class RemoteUnreachable(GitError):
    """The remote could not be reached (network, path, permissions): retry later."""


class Repository:
    """A clone of the site's repository (its work tree contains the content folder)."""

    def __init__(self, work_tree: Path):
        self.work_tree = Path(work_tree)

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: int = LOCAL_TIMEOUT) -> str:
        command = ["git", "-C", str(self.work_tree), *args]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **COMMITTER, **(env or {})},
            )
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} took longer than {timeout}s") from None
        except FileNotFoundError:
            raise GitError("the git command is not installed") from None
        if done.returncode != 0:
            message = (done.stderr or done.stdout).strip().splitlines()
            raise GitError(f"git {' '.join(args[:2])} failed: {' '.join(message[-3:]) or done.returncode}")
        return done.stdout.strip()

    @classmethod
    def containing(cls, path: Path) -> Repository:
        """The clone whose work tree holds ``path`` (GitError if none)."""
        path = Path(path)
        while not path.exists():
            path = path.parent
        top = cls(path).run("rev-parse", "--show-toplevel")
        return cls(Path(top))

    def current_branch(self) -> str:
        try:
            return self.run("symbolic-ref", "--short", "HEAD")
        except GitError:
            raise GitError(f"{self.work_tree} is not on a branch; set RECEIVER_GIT_BRANCH") from None

    def tracked_blob(self, relative: str) -> str | None:
        """The blob id of ``relative`` in HEAD, or None when HEAD has no such file."""
        try:
            return self.run("rev-parse", "--verify", "--quiet", f"HEAD:{relative}")
        except GitError:
            return None

    def blob_of(self, path: Path) -> str:
        return self.run("hash-object", "--", str(path))

    def commit_file(self, relative: str, message: str, author: str) -> str:
        """Commit exactly one file (nothing else staged goes with it); return the commit id."""
        self.run("add", "--", relative)
        identity = {
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{_email_part(author)}@comment-moderation.invalid",
        }
        self.run("commit", "--quiet", "--no-verify", "-m", message, "--only", "--", relative, env=identity)
        return self.run("rev-parse", "HEAD")

    def push(self, remote: str, branch: str) -> None:
        """Push HEAD to ``remote``/``branch``; after a rejection because the remote
        moved, fetch, rebase and try again (a new comment file never conflicts)."""
        for _ in range(5):
            try:
                self.run("push", "--quiet", remote, f"HEAD:refs/heads/{branch}", timeout=NETWORK_TIMEOUT)
                return
            except GitError as exc:
                failure = exc
            self.fetch(remote, branch)  # raises RemoteUnreachable when that was the problem
            self.run("rebase", "--quiet", "FETCH_HEAD")
        raise GitError(f"the push to {remote}/{branch} was still rejected after 5 attempts: {failure}")

    def fetch(self, remote: str, branch: str) -> None:
        try:
            self.run("fetch", "--quiet", remote, f"refs/heads/{branch}", timeout=NETWORK_TIMEOUT)
        except GitError as exc:
            raise RemoteUnreachable(f"cannot reach {remote}: {exc}") from None

    def repair(self) -> None:
        """Undo what a killed git left behind. Only called under the approval
        lock, so no other publisher's git command is running in this clone."""
        git_dir = Path(self.run("rev-parse", "--absolute-git-dir"))
        if (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
            self.run("rebase", "--abort")
        lock = git_dir / "index.lock"
        if lock.exists():
            lock.unlink()


def _email_part(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    return cleaned[:40] or "moderator"
