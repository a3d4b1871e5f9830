"""Who sent many comments in a short time, without keeping who they are.

Each accepted comment's client address is turned into an HMAC with a random
salt that lives only in this process's memory, kept for an hour in memory, and
never written anywhere. When more than ``limit`` comments came from one hash
within the hour, only the burst size is written to ``arrivals.jsonl`` for each
of those comment ids (no hash, no address), so the inbox can flag them after a
restart too.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from pathlib import Path

WINDOW_SECONDS = 3600


class Arrivals:
    def __init__(self, path: Path, limit: int):
        self.path = Path(path)
        self.limit = limit
        self._salt = secrets.token_bytes(32)
        self._recent: collections.deque[tuple[float, bytes, str]] = collections.deque()
        self._lock = threading.Lock()

    def _hash(self, address: str) -> bytes:
        return hmac.new(self._salt, address.encode("utf-8"), hashlib.sha256).digest()

    def note(self, comment_id: str, address: str, now: float | None = None) -> int:
        """Record one accepted comment; return how many came from its address within the hour."""
        now = time.time() if now is None else now
        digest = self._hash(address)
        with self._lock:
            while self._recent and self._recent[0][0] < now - WINDOW_SECONDS:
                self._recent.popleft()
            self._recent.append((now, digest, comment_id))
            same = [cid for _t, d, cid in self._recent if hmac.compare_digest(d, digest)]
            if len(same) > self.limit:
                self._write({cid: len(same) for cid in same})
        return len(same)

    def _write(self, bursts: dict[str, int]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps({"id": cid, "burst": n}) + "\n" for cid, n in bursts.items())
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, lines.encode("ascii"))
        finally:
            os.close(fd)

    def bursts(self) -> dict[str, int]:
        """comment id -> the largest burst it was part of (only bursts over the limit)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        found: dict[str, int] = {}
        for line in text.splitlines():
            try:
                data = json.loads(line)
                found[data["id"]] = max(found.get(data["id"], 0), int(data["burst"]))
            except (ValueError, KeyError, TypeError):
                continue
        return found
