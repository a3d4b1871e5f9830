"""The append-only audit log: one JSON line per moderator action.

Each line holds the time, the moderator, the action, the comment id, the page
and (for a failed action) our own short reason; never comment text, never an
address. Lines are appended with ``O_APPEND`` in one ``write`` call, so
concurrent writers never interleave within a line.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

ACTIONS = ("login", "login-failed", "logout", "approve", "reject", "approve-failed", "reject-failed")


@dataclass(frozen=True)
class Record:
    time: _dt.datetime
    moderator: str
    action: str
    comment: str | None
    page: str | None
    reason: str | None = None


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, moderator: str, action: str, comment: str | None = None, page: str | None = None,
              reason: str | None = None) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        entry = {
            "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "moderator": moderator,
            "action": action,
            "comment": comment,
            "page": page,
        }
        if reason:
            entry["reason"] = reason
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[Record]:
        """Every readable record, oldest first (a damaged line is skipped)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        found = []
        for line in text.splitlines():
            try:
                data = json.loads(line)
                found.append(Record(_dt.datetime.fromisoformat(data["time"]), data["moderator"], data["action"],
                                    data.get("comment"), data.get("page"), data.get("reason")))
            except (ValueError, KeyError, TypeError):
                continue
        return found
