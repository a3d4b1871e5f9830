"""Read every comment file and collect every problem, across all files.

Nothing here stops at the first problem: the build reports them all at once,
each as ``path: what is wrong and how to fix it``. Only comments without any
problem, whose whole chain of parents is also without problem, are returned
for publishing.

Checked: the folder layout (``<COMMENTS_PATH>/<slug>/<id>.md``), each file
(see comment_file.parse_comment: metadata lines, unknown keys, Author, Date,
empty body, size, id), that each slug folder belongs to an article or page,
that ``Replyto`` names an existing comment of the same page, and that replies
do not form a cycle.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .comment_file import COMMENT_SUFFIX, Comment, CommentFileError, read_comment


@dataclass
class CheckResult:
    #: Publishable comments per slug (only slugs that match a page).
    comments: dict[str, list[Comment]] = field(default_factory=dict)
    #: (path, message) pairs, in a stable order.
    problems: list[tuple[Path, str]] = field(default_factory=list)
    #: Every comment file that was read, valid or not (for the render cache).
    files_read: int = 0


@functools.lru_cache(maxsize=32)
def _ignore_regex(patterns: tuple[str, ...]):
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)) if patterns else None


def _ignored(name: str, patterns) -> bool:
    if name.startswith("."):
        return True
    regex = _ignore_regex(tuple(patterns))
    return regex is not None and regex.match(name) is not None


def check_comments(
    root: Path,
    known_slugs,
    *,
    timezone: str = "UTC",
    ignore_files=(),
) -> CheckResult:
    """Read and check all comment files under ``root``.

    ``known_slugs`` is the collection of slugs of articles and pages; a folder
    whose name is not in it is a problem.
    """
    result = CheckResult()
    root = Path(root)
    if not root.exists():
        return result
    if not root.is_dir():
        result.problems.append((root, "is a file, but the comments folder must be a folder with one sub-folder per page slug"))
        return result
    known = set(known_slugs)

    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        path = Path(entry.path)
        if _ignored(entry.name, ignore_files):
            continue
        if entry.is_symlink():
            result.problems.append((
                path,
                "is a symbolic link; links are not followed in the comments folder - "
                "replace it with a real folder holding the comment files",
            ))
            continue
        if not entry.is_dir():
            result.problems.append((
                path,
                f"comment files belong in a folder named after the page's slug; move it to "
                f"{root.name}/<slug>/{entry.name} ({_slug_list(known)})",
            ))
            continue
        slug = entry.name
        if slug not in known:
            close = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.6)
            guess = f"did you mean {close[0]!r}? " if close else ""
            result.problems.append((
                path,
                f"no article or page has the slug {slug!r}; {guess}rename the folder to the slug of the page "
                f"these comments belong to ({_slug_list(known)}) or remove it",
            ))
        comments = _read_folder(path, result, timezone, ignore_files)
        published = check_replies(comments, result)
        if slug in known and published:
            result.comments[slug] = published
    return result


def _slug_list(known) -> str:
    """Every slug, so the one the author wants is always among them."""
    return "known slugs: " + (", ".join(sorted(known)) or "none")


def _read_folder(folder: Path, result: CheckResult, timezone, ignore_files) -> dict[str, Comment]:
    comments: dict[str, Comment] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if _ignored(entry.name, ignore_files):
            continue
        if entry.is_dir(follow_symlinks=False):
            result.problems.append((
                path,
                "is a folder inside a page's comments folder; comment files go directly in "
                f"{folder.parent.name}/{folder.name}/ - move its files up or remove it",
            ))
            continue
        if not entry.name.endswith(COMMENT_SUFFIX):
            result.problems.append((
                path,
                f"is not a comment file (comment files end in {COMMENT_SUFFIX}); rename it to "
                f"<id>{COMMENT_SUFFIX} or remove it",
            ))
            continue
        result.files_read += 1
        try:
            comment = read_comment(path, timezone=timezone)
        except CommentFileError as error:
            result.problems.extend((path, problem) for problem in error.problems)
            continue
        comments[comment.id] = comment
    return comments


def check_replies(comments: dict[str, Comment], result: CheckResult) -> list[Comment]:  # noqa: C901 - one branch per reply rule, reported together
    """Report broken Replyto and cycles among the comments of one page (by id)
    into ``result.problems``; return the comments safe to publish."""
    bad: set[str] = set()
    for comment in sorted(comments.values(), key=lambda c: c.id):
        target = comment.replyto
        if target is None:
            continue
        if target == comment.id:
            result.problems.append((
                comment.path,
                f"Replyto: {target} names this comment itself; give the id of the comment it answers or remove the Replyto line",
            ))
            bad.add(comment.id)
        elif target not in comments:
            parent_file = comment.path.parent / f"{target}{COMMENT_SUFFIX}" if comment.path else None
            if parent_file is not None and parent_file.exists():
                # The parent exists but has its own problems, reported on its file.
                bad.add(comment.id)
                continue
            result.problems.append((
                comment.path,
                f"Replyto: {target} names no comment of this page (there is no {target}{COMMENT_SUFFIX} "
                "next to this file); give the file name, without .md, of the comment it answers, "
                "or remove the Replyto line",
            ))
            bad.add(comment.id)

    # Cycles: follow each chain of parents; a chain that comes back to a
    # comment already on it is a loop.
    state: dict[str, str] = {}  # id -> "ok" | "cycle" | "bad"
    for start in sorted(comments):
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        verdict = "ok"
        while current is not None:
            if current in state:
                verdict = "bad" if state[current] != "ok" else "ok"
                break
            if current in bad or current not in comments:
                verdict = "bad"
                break
            if current in on_chain:
                loop = chain[chain.index(current):] + [current]
                for member in sorted(set(loop)):
                    state[member] = "cycle"
                    result.problems.append((
                        comments[member].path,
                        "Replyto makes a loop (" + " -> ".join(loop) + "); a reply must answer an "
                        "earlier comment - fix or remove one of these Replyto lines",
                    ))
                verdict = "bad"
                break
            chain.append(current)
            on_chain.add(current)
            current = comments[current].replyto
        for member in chain:
            state.setdefault(member, verdict)
    return [comments[i] for i in sorted(comments) if state.get(i) == "ok"]
