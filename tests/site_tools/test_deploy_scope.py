"""The workflow's fast path: only pushes of published comments skip the browser suite."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_tools.deploy_scope import deploy_scope
from tests.support.publishing import git


@pytest.fixture
def repo(tmp_path):
    git("init", "-q", "-b", "main", str(tmp_path))
    (tmp_path / "content" / "comments" / "guide").mkdir(parents=True)
    (tmp_path / "content" / "guide.md").write_text("Title: Guide\n")
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "site", cwd=tmp_path)
    return tmp_path


def commit(repo, path: str, text: str = "x\n") -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", f"change {path}", cwd=repo)
    return git("rev-parse", "HEAD", cwd=repo)


def test_approvals_only_take_the_fast_path(repo):
    before = git("rev-parse", "HEAD", cwd=repo)
    commit(repo, "content/comments/guide/a.md")
    after = commit(repo, "content/comments/guide/b.md")
    assert deploy_scope(before, after, str(repo)) == "comments"


@pytest.mark.parametrize("path", ["content/guide.md", "content/comments.md", "plugins/x.py", "content/commentsx/a.md"])
def test_anything_else_in_the_push_runs_the_whole_suite(repo, path):
    before = git("rev-parse", "HEAD", cwd=repo)
    commit(repo, "content/comments/guide/a.md")
    after = commit(repo, path)
    assert deploy_scope(before, after, str(repo)) == "full"


def test_a_new_branch_or_unknown_history_runs_the_whole_suite(repo):
    after = git("rev-parse", "HEAD", cwd=repo)
    assert deploy_scope("0" * 40, after, str(repo)) == "full"
    assert deploy_scope("f" * 40, after, str(repo)) == "full"


def test_a_deleted_comment_file_is_still_a_comments_push(repo):
    before = commit(repo, "content/comments/guide/a.md")
    (repo / "content/comments/guide/a.md").unlink()
    git("commit", "-qam", "take down", cwd=repo)
    assert deploy_scope(before, git("rev-parse", "HEAD", cwd=repo), str(repo)) == "comments"


def test_the_command_line_prints_the_scope(repo):
    head = git("rev-parse", "HEAD", cwd=repo)
    done = subprocess.run([sys.executable, "-m", "site_tools.deploy_scope", head, head], cwd=repo,
                          capture_output=True, text=True)
    assert done.stdout.strip() == "full"  # no file changed: nothing proves it is comments only
