"""Threads: comments of one page arranged as a tree for display.

Replies sit under their parent, oldest first (by date, then id). Nesting is
shown down to ``max_depth`` levels (3 by default) so threads stay readable on a
320 px phone; replies deeper than that are shown at the deepest level, right
after the comment whose sub-thread they belong to, in date order, each saying
"in reply to <author>" with a link to the comment it answers.

The input must already be validated (see comment_core/replies.py): every ``replyto``
names a comment in the list and there are no cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from comment_core.comment_file import Comment


@dataclass
class ThreadEntry:
    """One comment as displayed."""

    comment: Comment
    depth: int  # 1 = top level
    html: str = ""  # sanitized body, filled in by the caller
    replies: list[ThreadEntry] = field(default_factory=list)
    parent: Comment | None = None  # the comment it answers, if any
    #: True when the entry is shown at the depth cap instead of under its
    #: parent: the template then says "in reply to <parent author>".
    capped: bool = False
    # Display fields, filled in by the caller (see section.py).
    author_url: str | None = None  # only an http/https Website
    date_iso: str = ""
    date_text: str = ""

    @property
    def id(self) -> str:
        return self.comment.id

    @property
    def show_in_reply_to(self) -> bool:
        return self.capped and self.parent is not None


def _order(comment: Comment):
    return (comment.date, comment.id)


def build_threads(
    comments: list[Comment],
    max_depth: int = 3,
    make_entry: Callable[[Comment], ThreadEntry] | None = None,
) -> list[ThreadEntry]:
    """Arrange validated comments of one page into display threads."""
    if max_depth < 1:
        raise ValueError("max_depth must be at least 1")
    by_id = {c.id: c for c in comments}
    children: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.replyto].append(comment)
    for siblings in children.values():
        siblings.sort(key=_order)

    def entry(comment: Comment, depth: int, capped: bool = False) -> ThreadEntry:
        made = make_entry(comment) if make_entry else ThreadEntry(comment, depth)
        made.depth = depth
        made.capped = capped
        made.parent = by_id.get(comment.replyto) if comment.replyto else None
        return made

    def descendants(comment: Comment) -> list[Comment]:
        found, stack = [], list(children.get(comment.id, ()))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(children.get(current.id, ()))
        return sorted(found, key=_order)

    def level(siblings: list[Comment], depth: int) -> list[ThreadEntry]:
        shown: list[ThreadEntry] = []
        for comment in siblings:
            node = entry(comment, depth)
            shown.append(node)
            if depth < max_depth:
                node.replies = level(children.get(comment.id, []), depth + 1)
            else:
                shown.extend(entry(d, depth, capped=True) for d in descendants(comment))
        return shown

    return level(children.get(None, []), 1)


def count_entries(threads: list[ThreadEntry]) -> int:
    total, stack = 0, list(threads)
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node.replies)
    return total
