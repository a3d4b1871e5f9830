"""Durable publishing state, kept as files in the state folder beside the queue.

    <state>/.lock                       held while approving or publishing (flock)
    <state>/approved/<slug>/<id>.md     approved, not yet published (the comment)
    <state>/approved/<slug>/<id>.json   who approved it, attempts, last failure
    <state>/published/<id>.json         published: slug, time, commit

An approved comment leaves the moderation queue only after it is durably in
``approved/``, and leaves ``approved/`` only after its commit is on the
remote, so a crash at any point loses nothing, and a restart finishes the job.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
from dataclasses import dataclass
from pathlib import Path

from comment_core.atomic import replace_atomically
from comment_core.comment_file import (
    COMMENT_SUFFIX,
    Comment,
    CommentFileError,
    fsync_directory,
    read_comment,
    write_comment_atomic,
)

#: How many publications "published recently" keeps.
RECENT_KEPT = 200


@dataclass(frozen=True)
class Waiting:
    """An approved comment that is not on the remote yet."""

    comment: Comment
    moderator: str
    approved_at: str
    attempts: int
    last_error: str | None

    @property
    def id(self) -> str:
        return self.comment.id

    @property
    def slug(self) -> str:
        return self.comment.slug


@dataclass(frozen=True)
class Published:
    id: str
    slug: str
    time: str
    commit: str
    moderator: str


def now_text() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def write_json_atomic(path: Path, data: dict) -> None:
    replace_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), durable=True)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Outbox:
    def __init__(self, state_dir: Path):
        self.state_dir = Path(state_dir)
        self.approved_dir = self.state_dir / "approved"
        self.published_dir = self.state_dir / "published"

    @contextlib.contextmanager
    def lock(self):
        """Serialise approvals and publishing across threads and processes."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _paths(self, slug: str, comment_id: str) -> tuple[Path, Path]:
        folder = self.approved_dir / slug
        return folder / f"{comment_id}{COMMENT_SUFFIX}", folder / f"{comment_id}.json"

    def holds(self, comment: Comment) -> bool:
        """True when this very comment is already approved and waiting."""
        path, _ = self._paths(comment.slug, comment.id)
        try:
            return read_comment(path) == comment
        except (OSError, CommentFileError):
            return False

    def add(self, comment: Comment, moderator: str) -> None:
        """Durably record an approval (the caller then removes the queue file)."""
        path, meta = self._paths(comment.slug, comment.id)
        write_json_atomic(meta, {"moderator": moderator, "approved_at": now_text(), "attempts": 0, "last_error": None})
        if not self.holds(comment):
            write_comment_atomic(path.parent, comment)

    def note_failure(self, item: Waiting, reason: str) -> None:
        _, meta = self._paths(item.slug, item.id)
        write_json_atomic(meta, {"moderator": item.moderator, "approved_at": item.approved_at,
                                 "attempts": item.attempts + 1, "last_error": reason})

    def waiting(self) -> list[Waiting]:
        """Approved, not yet published, oldest id first (so a parent precedes its replies)."""
        if not self.approved_dir.is_dir():
            return []
        result = []
        for path in sorted(self.approved_dir.glob(f"*/*{COMMENT_SUFFIX}"), key=lambda p: (p.stem, p.parent.name)):
            if path.name.startswith("."):
                continue
            try:
                comment = read_comment(path)
            except CommentFileError:
                continue  # only ever written by write_comment_atomic: cannot happen short of editing by hand
            meta = _read_json(path.with_suffix(".json"))
            result.append(Waiting(comment, str(meta.get("moderator") or "moderator"),
                                  str(meta.get("approved_at") or ""), int(meta.get("attempts") or 0),
                                  meta.get("last_error")))
        return result

    def mark_published(self, item: Waiting, commit: str) -> Published:
        done = Published(item.id, item.slug, now_text(), commit, item.moderator)
        write_json_atomic(self.published_dir / f"{item.id}.json", done.__dict__)
        path, meta = self._paths(item.slug, item.id)
        for leftover in (path, meta):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        fsync_directory(path.parent)
        with contextlib.suppress(OSError):
            path.parent.rmdir()
        self._prune()
        return done

    def recent(self, limit: int = 20) -> list[Published]:
        """The latest publications, newest first."""
        found = []
        for path in self.published_dir.glob("*.json") if self.published_dir.is_dir() else []:
            data = _read_json(path)
            if {"id", "slug", "time", "commit"} <= data.keys():
                found.append(Published(data["id"], data["slug"], data["time"], data["commit"],
                                       str(data.get("moderator") or "")))
        found.sort(key=lambda p: (p.time, p.id), reverse=True)
        return found[:limit]

    def _prune(self) -> None:
        paths = sorted(self.published_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in paths[RECENT_KEPT:]:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
