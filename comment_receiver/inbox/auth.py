"""Who is logged in: server-side sessions behind a signed cookie, CSRF tokens
and login rate limits.

The cookie (Starlette's SessionMiddleware: itsdangerous-signed, HttpOnly,
SameSite=Lax, Secure on https) holds a CSRF token and, once logged in, a
random session id. The sessions themselves live in this process's memory, so
logging out, an expired session or a removed account ends them for real; a
restart logs everyone out.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from dataclasses import dataclass, field

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from .accounts import Accounts

SESSION_COOKIE = "moderator_session"
CSRF_FIELD = "csrf"


@dataclass
class Session:
    moderator: str
    started: float
    password_hash: str  # the account's hash at login: a new password ends the session
    results: list = field(default_factory=list)  # what the last action did, shown once


class Sessions:
    """Live sessions by id; each ends ``max_age`` seconds after login."""

    def __init__(self, accounts: Accounts, max_age: int):
        self.accounts = accounts
        self.max_age = max_age
        self._live: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, request: Request, moderator: str) -> None:
        """Log in: a fresh session id and CSRF token (nothing from before login survives)."""
        sid = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            for old_sid in [k for k, v in self._live.items() if now - v.started > self.max_age]:
                del self._live[old_sid]  # sessions nobody came back to
            self._live[sid] = Session(moderator, now, self.accounts.hash_of(moderator) or "")
        request.session.clear()
        request.session.update({"sid": sid, CSRF_FIELD: secrets.token_urlsafe(32)})

    def end(self, request: Request) -> None:
        with self._lock:
            self._live.pop(request.session.get("sid", ""), None)
        request.session.clear()

    def _session(self, request: Request) -> Session | None:
        with self._lock:
            return self._live.get(request.session.get("sid", ""))

    def keep_results(self, request: Request, results: list[tuple[bool, str]]) -> None:
        session = self._session(request)
        if session is not None:
            session.results = list(results)

    def take_results(self, request: Request) -> list[tuple[bool, str]]:
        session = self._session(request)
        if session is None:
            return []
        results, session.results = session.results, []
        return results

    def moderator(self, request: Request) -> str | None:
        """The logged-in moderator, or None (expired, logged out, account removed)."""
        sid = request.session.get("sid")
        if not isinstance(sid, str):
            return None
        with self._lock:
            session = self._live.get(sid)
            if session is not None and time.monotonic() - session.started > self.max_age:
                del self._live[sid]
                session = None
        if session is None or self.accounts.hash_of(session.moderator) != session.password_hash:
            return None  # logged out, expired, account removed, or its password changed
        return session.moderator


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (made on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, sent: object) -> bool:
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not isinstance(sent, str):
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


class LoginLimiter:
    """Login attempts per client, in a moving window. Never per name: the names are public (commit authors),
    and wrong guesses from elsewhere must not lock the moderator out. Guessing
    one name from many addresses is bounded by the few password checks that run
    at once (accounts.MAX_CONCURRENT_CHECKS) and zxcvbn-strength passwords."""

    def __init__(self, rate: str):
        self.items = parse_many(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, client: str) -> int | None:
        """Count one attempt; seconds to wait if it is over the limit, else None."""
        waits = []
        for item in self.items:
            if not self.limiter.hit(item, "login", client):
                stats = self.limiter.get_window_stats(item, "login", client)
                waits.append(max(1, math.ceil(stats.reset_time - time.time())))
        return max(waits) if waits else None
