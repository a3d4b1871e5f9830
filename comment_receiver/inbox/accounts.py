"""Moderator accounts: one ``name:argon2-hash`` line per moderator in the file
named by ``RECEIVER_MODERATORS``. Only Argon2 hashes (argon2-cffi) are stored.

The file is re-read whenever it changes, so adding or removing a moderator
takes effect without a restart (and a removed moderator's sessions end at
their next request).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

#: Account names: what a moderator types to log in (no ':' - it separates the hash).
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MIN_PASSWORD_CHARS = 10
#: zxcvbn's score (0-4) a password needs: 3 is "safely unguessable" against an
#: offline attack on a stolen hash; 'password12' scores 1, a four-word phrase 4.
MIN_PASSWORD_SCORE = 3

#: Password checks running at once. Each Argon2 check takes 64 MiB and a core
#: for about half a second: 40 logins at once took the receiver to 1.5 GiB and
#: a visitor's post from 0.05 s to 4.6 s (issue 20). More are answered 429.
MAX_CONCURRENT_CHECKS = 2

logger = logging.getLogger("comment_receiver.inbox")
_check_slots = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
_hasher = PasswordHasher()
# Verifying an unknown name against this costs the same as a real check, so
# the answer time does not tell which names exist.
_DUMMY_HASH = _hasher.hash("no such moderator")


class AccountError(ValueError):
    """An account name, password or file that cannot be used; the message says why."""


class ChecksBusy(Exception):
    """MAX_CONCURRENT_CHECKS password checks are running: try again in a moment."""


@contextlib.contextmanager
def check_slot():
    """Hold one of the password-check slots, or raise ChecksBusy at once (never
    wait: a waiting login would hold a worker thread visitors' posts need)."""
    if not _check_slots.acquire(blocking=False):
        raise ChecksBusy
    try:
        yield
    finally:
        _check_slots.release()


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name or ""):
        raise AccountError(
            f"{name!r} is not a usable moderator name: use letters, digits, '.', '_' and '-', "
            "start with a letter or digit, at most 64 characters"
        )
    return name


def check_password(password: str, name: str = "") -> str:
    """The password, if a moderator may use it: long, one line, and hard to guess
    (zxcvbn, told the account name, so 'alice12345' is refused for alice)."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD_CHARS} characters")
    if "\n" in password or "\r" in password:
        raise AccountError("the password must be one line")
    strength = zxcvbn(password, user_inputs=[name] if name else [])
    if strength["score"] < MIN_PASSWORD_SCORE:
        why = strength["feedback"]["warning"] or "it is easy to guess"
        raise AccountError(f"the password is too easy to guess ({why.rstrip('.')}): "
                           "use four or more unrelated words, or a password manager's password")
    return password


def _parse(path: Path, text: str) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, hashed = line.partition(":")
        if not sep or not NAME_PATTERN.fullmatch(name) or not hashed.startswith("$argon2"):
            raise AccountError(f"{path}, line {number}: expected 'name:$argon2...' (make moderator NAME=... writes it)")
        accounts[name] = hashed.strip()
    return accounts


class Accounts:
    """The accounts file, re-read when it changes; thread-safe."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._accounts: dict[str, str] = {}

    def all(self) -> dict[str, str]:
        """name -> hash; an absent file means no moderators (nobody can log in)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return {}
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if stamp != self._stamp:
                self._accounts = _parse(self.path, self.path.read_text(encoding="utf-8"))
                self._stamp = stamp
            return self._accounts

    def _usable(self) -> dict[str, str]:
        """Like :meth:`all`, but a damaged file lets nobody in (and is logged)."""
        try:
            return self.all()
        except (AccountError, OSError, UnicodeDecodeError) as exc:
            logger.error("nobody can log in to the inbox: %s", exc)
            return {}

    def hash_of(self, name: str) -> str | None:
        """The account's stored hash: a session is valid only while it is unchanged."""
        return self._usable().get(name)

    def verify(self, name: str, password: str) -> bool:
        """True when the password is the moderator's; same work for unknown names."""
        hashed = self._usable().get(name)
        try:
            ok = _hasher.verify(hashed or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            ok = False
        return ok and hashed is not None

    # --- changing the file (command line) ---------------------------------------
    def set_password(self, name: str, password: str) -> bool:
        """Add or replace an account; True when it was replaced."""
        check_name(name)
        accounts = dict(self.all())
        replaced = name in accounts
        accounts[name] = _hasher.hash(check_password(password, name))
        self._write(accounts)
        return replaced

    def remove(self, name: str) -> None:
        accounts = dict(self.all())
        if name not in accounts:
            raise AccountError(f"there is no moderator {name!r} in {self.path}")
        del accounts[name]
        self._write(accounts)

    def _write(self, accounts: dict[str, str]) -> None:
        """Replace the file atomically, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("".join(f"{n}:{h}\n" for n, h in sorted(accounts.items())))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
