"""Which checks a push needs before it is deployed (.github/workflows/site.yml).

A push whose commits change only published comments (``content/comments/``,
what the receiver commits on each approval) is deployed after `make publish`,
which reads and checks every comment file and every link, and `make
test-fast`: the browser suite (minutes) tests code and pages such a push
cannot change. Every other push, a new branch, or history that cannot be
compared gets the whole suite.

    python -m site_tools.deploy_scope BEFORE AFTER   # prints "comments" or "full"
"""

from __future__ import annotations

import subprocess
import sys

COMMENTS_FOLDER = "content/comments/"


def deploy_scope(before: str, after: str, repository: str = ".") -> str:
    if not before.strip("0"):  # GitHub sends 0000… for a new branch
        return "full"
    changed = subprocess.run(
        ["git", "-C", repository, "diff", "--name-only", "--no-renames", before, after],
        capture_output=True, text=True,
    )
    if changed.returncode != 0:  # e.g. a force push: `before` is not in the clone
        return "full"
    files = changed.stdout.splitlines()
    return "comments" if files and all(f.startswith(COMMENTS_FOLDER) for f in files) else "full"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    print(deploy_scope(sys.argv[1], sys.argv[2]))
