"""The moderation queue: find, list, approve (publish) and reject (delete)
queued comments. Used by the command line (``__main__``) and the web inbox.

How an approval is published follows RECEIVER_PUBLISH: ``files`` moves the
file into the content folder (below); ``git`` hands it to :mod:`.publish`,
and :func:`publication_status` lists approvals not pushed yet and recent ones.

Approving never loses a comment: it is first written durably into
``<content>/<slug>/`` with :func:`write_comment_atomic` (which refuses to
overwrite anything), and only then removed from the queue. If the two steps are
interrupted between them, running ``approve`` again finishes the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from comment_core.comment_file import (
    COMMENT_SUFFIX,
    ID_PATTERN,
    Comment,
    CommentFileError,
    format_comment,
    fsync_directory,
    link_problem,
    read_comment,
    write_comment_atomic,
)
from comment_core.text import printable as _printable

from .outbox import Published
from .publish import GitPublisher, publication_status, publisher_for
from .settings import Settings, load_settings
from .validation import SLUG_PATTERN


class ModerationError(Exception):
    """A moderation command cannot be carried out; ``exit_code`` for the CLI."""

    exit_code = 1


class UnknownComment(ModerationError):
    exit_code = 2


@dataclass(frozen=True)
class Entry:
    """One file in the queue: the comment, or the problems that keep it from being read."""

    path: Path
    comment: Comment | None
    error: CommentFileError | None

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def slug(self) -> str:
        return self.path.parent.name


def queued_paths(queue_dir: Path) -> list[Path]:
    """Every comment file in the queue (hidden temporary files excluded), oldest id first."""
    if not queue_dir.is_dir():
        return []
    found = [
        path
        for path in queue_dir.glob(f"*/*{COMMENT_SUFFIX}")
        if not path.name.startswith(".") and not path.parent.name.startswith(".")
        and (path.is_symlink() or not path.is_dir())  # links and pipes are listed as problems
    ]
    return sorted(found, key=lambda p: (p.stem, p.parent.name))


def leftover_temp_files(queue_dir: Path) -> list[Path]:
    """Hidden temporary files left by a writer that was killed mid-write.

    They never held an accepted comment (the receiver answers success only
    after the final file exists), so they can be deleted.
    """
    if not queue_dir.is_dir():
        return []
    return sorted(p for p in queue_dir.glob("*/.*.tmp") if p.is_file())


def entries(queue_dir: Path) -> list[Entry]:
    result = []
    for path in queued_paths(queue_dir):
        try:
            result.append(Entry(path, read_comment(path), None))
        except CommentFileError as exc:
            result.append(Entry(path, None, exc))
    return result


def find(queue_dir: Path, ident: str) -> Path:
    """The queued file for ``ID``, ``ID.md``, ``slug/ID`` or ``slug/ID.md``."""
    text = ident.strip()
    if text.endswith(COMMENT_SUFFIX):
        text = text[: -len(COMMENT_SUFFIX)]
    slug, _, comment_id = text.rpartition("/")
    hint = "Run `make comments` to see the queue."
    if not ID_PATTERN.fullmatch(comment_id) or (slug and not SLUG_PATTERN.fullmatch(slug)):
        raise UnknownComment(f"{ident!r} is not a comment id (ids look like 20261124T181502Z-3f9a1c2b). {hint}")
    if slug:
        candidates = [queue_dir / slug / f"{comment_id}{COMMENT_SUFFIX}"]
    else:
        candidates = sorted(queue_dir.glob(f"*/{comment_id}{COMMENT_SUFFIX}")) if queue_dir.is_dir() else []
    candidates = [c for c in candidates if c.is_symlink() or (c.exists() and not c.is_dir())]
    if not candidates:
        raise UnknownComment(f"no comment {text!r} is waiting for moderation in {queue_dir}. {hint}")
    if len(candidates) > 1:
        options = ", ".join(f"{c.parent.name}/{c.stem}" for c in candidates)
        raise UnknownComment(f"{comment_id!r} is in the queue of several pages; say which one: {options}")
    return candidates[0]


def _read(path: Path) -> Comment:
    try:
        return read_comment(path)
    except CommentFileError as exc:
        details = "\n".join(f"  - {p}" for p in exc.problems)
        raise ModerationError(
            f"{path} is not a valid comment file, so it was left where it is:\n{details}\n"
            "Fix the file (any text editor) or reject it."
        ) from None


def _remove_from_queue(path: Path) -> None:
    problem = link_problem(path)
    if problem:  # unlinking through a linked folder would delete the file it points to
        raise ModerationError(f"{path} {problem}; nothing was changed.")
    path.unlink()
    fsync_directory(path.parent)
    try:
        path.parent.rmdir()  # only succeeds when the page has nothing else queued
    except OSError:
        pass


@dataclass(frozen=True)
class Approved:
    comment: Comment
    source: Path
    target: Path
    already_there: bool
    #: git mode: the publication (commit) once pushed, or why it is still waiting.
    published: Published | None = None
    waiting_reason: str | None = None


def approve(
    queue_dir: Path,
    content_dir: Path,
    ident: str,
    *,
    moderator: str | None = None,
    settings: Settings | None = None,
) -> Approved:
    """Publish a queued comment the way RECEIVER_PUBLISH says. ``moderator`` is
    the commit author in git mode (default: the OS user); ``settings`` default
    to the environment's, with these queue and content folders."""
    if settings is None:
        settings = load_settings(queue_dir=queue_dir, content_dir=content_dir)
    source = find(queue_dir, ident)
    comment = _read(source)
    publisher = publisher_for(settings)
    _check_parent(queue_dir, content_dir, comment, publisher)
    target = content_dir / comment.slug / source.name
    if publisher is None:
        return _move(source, comment, target)
    try:
        outcome = publisher.approve(comment, lambda: _remove_if_present(source), moderator)
    except OSError as exc:
        raise ModerationError(f"could not record the approval of {comment.id}: {exc}; it is still in the queue") from None
    return Approved(comment, source, target, False, outcome.published, outcome.reason)


def _remove_if_present(path: Path) -> None:
    if path.exists():
        _remove_from_queue(path)


def _check_parent(queue_dir: Path, content_dir: Path, comment: Comment, publisher: GitPublisher | None) -> None:
    if comment.replyto:
        target_dir = content_dir / comment.slug
        parent = target_dir / f"{comment.replyto}{COMMENT_SUFFIX}"
        if publisher is not None and not parent.is_file():
            publisher.refresh()  # another receiver may have published the parent
        approved = publisher is not None and any(
            w.id == comment.replyto and w.slug == comment.slug for w in publisher.waiting()
        )
        if not parent.is_file() and not approved:
            queued_parent = queue_dir / comment.slug / f"{comment.replyto}{COMMENT_SUFFIX}"
            if queued_parent.is_file():
                raise ModerationError(
                    f"{comment.id} replies to {comment.replyto}, which is still waiting for moderation: "
                    f"`make approve ID={comment.replyto}` first (or `make reject ID={comment.id}`)."
                )
            raise ModerationError(
                f"{comment.id} replies to {comment.replyto}, which is not in {target_dir}; the build would "
                "reject the reply. Reject it, or remove its Replyto line to publish it as a new comment."
            )


def _move(source: Path, comment: Comment, target: Path) -> Approved:
    target_dir = target.parent
    if target.exists():
        try:
            same = read_comment(target) == comment
        except CommentFileError:
            same = False
        if not same:
            raise ModerationError(
                f"{target} already exists with different content; nothing was changed. "
                "Compare the two files and delete one of them."
            )
        _remove_from_queue(source)
        return Approved(comment, source, target, already_there=True)
    try:
        format_comment(comment)
        written = write_comment_atomic(target_dir, comment)
    except (OSError, CommentFileError) as exc:
        raise ModerationError(f"could not write {target}: {exc}; the comment is still in the queue") from None
    _remove_from_queue(source)
    return Approved(comment, source, written, already_there=False)


__all__ = ["Approved", "ModerationError", "UnknownComment", "approve", "entries", "find", "printable",
           "publication_status", "reject"]


def reject(queue_dir: Path, ident: str) -> tuple[Path, Comment | None]:
    path = find(queue_dir, ident)
    try:
        comment = read_comment(path)
    except CommentFileError:
        comment = None  # a broken file can still be rejected
    _remove_from_queue(path)
    return path, comment


# --- printing strangers' text safely on a moderator's terminal -------------------


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Show control, invisible and bidi characters as ``\\u{XXXX}`` instead of
    letting them act on (or hide from) the moderator's terminal; the one
    definition is comment_core.text.printable."""
    return _printable(text, keep_newlines=keep_newlines)
