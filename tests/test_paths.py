"""Every repository path named in a README, a docstring or comment, a template,
the Makefile, the workflow or a deploy/ file exists (no stale paths)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A repo path: starts with a top-level folder of the repository and has a "/";
# the lookbehind keeps URLs (".../deploy/x") and absolute paths (/etc/...) out.
_TRACKED = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
# Folders that hold tracked files: cache/, output/ or moderation/ of a local run are not the repository's.
_TOPS = sorted({f.split("/", 1)[0] for f in _TRACKED if "/" in f and not f.startswith(".")})
PATH_RE = re.compile(
    r"(?<![\w./:-])((?:" + "|".join(map(re.escape, _TOPS)) + r")/[\w./*-]*[\w/*])"
)


# Named on purpose although absent from the checkout, each for its reason.
NOT_IN_CHECKOUT = {
    "content/comments",  # written by the receiver's publish, not in the repo
    "content/causes/x.md",  # example path in strict_build's README
    "content/causes/iron.md",  # example path in strict_build's settings docstring
    "theme/css/truffles_comments.css",  # the plugin's CSS as copied into output/
}


def _named_files():
    """Files whose text names repository paths; tests are left out, their paths are test data."""
    named = (".md", ".py", ".html", ".js", ".css", ".toml", ".yml", ".txt", ".conf", ".env", ".service")
    return [f for f in _TRACKED if not f.startswith("tests/")
            and (f.startswith("deploy/") or f.endswith(named) or f in {"Makefile", ".ci/run"})]


def stale_paths():
    stale = []
    for name in _named_files():
        for token in PATH_RE.findall((ROOT / name).read_text(encoding="utf-8")):
            token = token.rstrip("/")
            if token in NOT_IN_CHECKOUT or any(ROOT.glob(token)):
                continue
            stale.append(f"{name}: {token}")
    return stale


def test_every_named_repository_path_exists():
    assert stale_paths() == [], "paths named in the repository that do not exist"
