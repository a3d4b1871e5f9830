"""Every setting of the comment receiver and the moderation CLI, read and
validated in one place: :func:`load_settings`.

Each setting comes from an environment variable; command-line flags and the
callers of :func:`load_settings` (``site_tools.serve``, the tests) may override
it. A bad value raises :class:`SettingsError` naming the variable.

=============================  ==============================================  =====================================
Environment variable           Meaning                                         Default
=============================  ==============================================  =====================================
COMMENTS_QUEUE                 Moderation queue: accepted comments are         ``<repo>/comments-queue``
                               written to ``<queue>/<slug>/<id>.md``.
COMMENTS_CONTENT               Published comments (``approve`` moves files     ``<repo>/content/comments``
                               into ``<content>/<slug>/``).
RECEIVER_SITE_INDEX            The site's ``comments-index.json`` written by   ``<repo>/output/comments-index.json``
                               the build: which pages exist, which are open,
                               which comment ids they have. A file (re-read
                               whenever it changes) or the published file's
                               http(s) address (re-fetched at most every
                               RECEIVER_SITE_INDEX_TTL seconds).
RECEIVER_SITE_INDEX_TTL        Seconds between fetches of a remote index.      ``60``
RECEIVER_ALLOWED_ORIGINS       Origins (scheme://host[:port]) allowed to       ``http://127.0.0.1:8000
                               post, separated by spaces or commas. The        http://localhost:8000``
                               ``Origin`` header (or, without one, the
                               ``Referer``) must be one of them.
RECEIVER_SITE_URL              Base URL of the site, for links back from the   first allowed origin
                               receiver's pages when the index has relative
                               page URLs.
RECEIVER_RATE_LIMIT            Posts allowed per client IP, in the ``limits``  ``5/minute``
                               library's notation (moving window).
RECEIVER_RATE_LIMIT_STORAGE    ``limits`` storage URI. ``memory://`` is per    ``memory://``
                               process; several receivers need a shared one
                               (e.g. ``redis://host:6379``, needs the
                               ``redis`` package).
RECEIVER_MAX_BODY              Largest request body accepted, in bytes.        ``65536``
RECEIVER_HOST                  Address ``serve`` listens on.                   ``127.0.0.1``
RECEIVER_PORT                  Port ``serve`` listens on.                      ``8001``
RECEIVER_FORWARDED_ALLOW_IPS   Proxies trusted to set ``X-Forwarded-For``      empty (trust no proxy: the client
                               (uvicorn's ``forwarded_allow_ips``), e.g.       IP is the TCP peer)
                               ``127.0.0.1`` behind a local nginx.
RECEIVER_LOG_LEVEL             ``debug``, ``info``, ``warning``, ``error``.    ``info``
RECEIVER_STALE_TEMP_AGE        At startup, hidden temporary files of writes    ``60``
                               cut short (a killed receiver) older than this
                               many seconds are deleted from the queue; younger
                               ones may be another receiver's write in flight.
RECEIVER_PUBLISH               How an approval is published: ``files`` (the    ``files``
                               file moves into COMMENTS_CONTENT) or ``git``
                               (written into COMMENTS_CONTENT inside a clone
                               of the site's repository, committed, pushed).
RECEIVER_GIT_REMOTE            Remote an approval is pushed to (git mode).     ``origin``
RECEIVER_GIT_BRANCH            Branch an approval is pushed to (git mode).     the clone's current branch
RECEIVER_PUBLISH_STATE         Approved comments not yet published, the log    ``<queue>-publish`` (beside the queue)
                               of recent publications and the lock that
                               serialises approvals (git mode).
RECEIVER_PUBLISH_RETRY         Seconds before the first background retry of    ``5``
                               an unpublished approval; doubles each failure.
RECEIVER_PUBLISH_RETRY_MAX     Longest wait between background retries.        ``600``
RECEIVER_PUBLIC_URL            The receiver's own public address, for the      ``http://<RECEIVER_HOST>:<RECEIVER_PORT>``
                               inbox link in notices; when it is https the
                               inbox's session cookie is ``Secure``.
RECEIVER_MODERATORS            Moderator accounts for the inbox at             ``<repo>/moderation/moderators``
                               ``/moderate/``: ``name:argon2-hash`` lines
                               (``make moderator NAME=...``). Keep it out of
                               content/ and out of git.
RECEIVER_INBOX_DIR             The inbox's own files: ``audit.jsonl`` (every   ``<repo>/moderation``
                               moderator action, append-only) and
                               ``arrivals.jsonl`` (flags noted on arrival).
RECEIVER_SESSION_MAX_AGE       Seconds a moderator stays logged in.            ``28800`` (8 hours)
RECEIVER_LOGIN_RATE_LIMIT      Login attempts allowed per account name and     ``5/minute``
                               per client IP (``limits`` notation).
RECEIVER_FLOOD_LIMIT           The inbox flags a comment when more than this   ``3``
                               many came from one address within an hour
                               (counted by a salted hash kept only in memory).
RECEIVER_CLINIC_NAMES          Names (comma-separated) that an author name     ``Truffles Vein Specialists, Truffles``
                               must not imitate; compared after NFKC and
                               confusable folding.
RECEIVER_SMTP_URL              Mail server for notices to moderators:          empty (no notices)
                               ``smtp://host:25`` (plain),
                               ``smtp+starttls://user:pass@host:587``,
                               ``smtps://user:pass@host:465``.
RECEIVER_NOTIFY_TO             Who gets the notices (comma-separated).         empty (required with SMTP)
RECEIVER_NOTIFY_FROM           Sender address of the notices.                  ``comments@<host of RECEIVER_PUBLIC_URL>``
RECEIVER_NOTIFY_EVERY          At most one notice per this many seconds.       ``600``
RECEIVER_HEADER_TIMEOUT        Seconds a connection may take to send a         ``10``
                               request's headers; a client that stalls is
                               disconnected, so stalled sockets cannot pile up.
RECEIVER_BODY_TIMEOUT          Seconds a client may take to send the body of   ``20``
                               a post once its headers arrived (else 408).
RECEIVER_MAX_CONNECTIONS       Open connections served at once; beyond it,     ``1000``
                               new ones get 503 at once (uvicorn's
                               ``limit_concurrency``), well below the file
                               descriptor limit.
=============================  ==============================================  =====================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

#: The repository root: comment_receiver/settings.py -> ../
REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")
LOG_LEVELS = ("debug", "info", "warning", "error")
SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")

#: Smallest body that can hold a maximal valid comment (5,000 four-byte
#: characters percent-encoded take 60,000 bytes).
MIN_BODY_LIMIT = 1024


class SettingsError(ValueError):
    """A setting has a bad value; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    queue_dir: Path
    content_dir: Path
    site_index: Path | str  # a file, or an http(s) URL
    site_index_ttl: int
    allowed_origins: tuple[str, ...]
    site_url: str
    rate_limit: str
    rate_limit_storage: str
    max_body_bytes: int
    host: str
    port: int
    forwarded_allow_ips: str
    log_level: str
    stale_temp_age: int = 60
    publish: str = "files"
    git_remote: str = "origin"
    git_branch: str = ""  # empty: the clone's current branch
    publish_state_dir: Path | None = None  # set by load_settings
    publish_retry: int = 5
    publish_retry_max: int = 600
    public_url: str = ""
    moderators_file: Path = REPO_ROOT / "moderation" / "moderators"
    inbox_dir: Path = REPO_ROOT / "moderation"
    session_max_age: int = 28800
    login_rate_limit: str = "5/minute"
    flood_limit: int = 3
    clinic_names: tuple[str, ...] = ("Truffles Vein Specialists", "Truffles")
    smtp_url: str = ""
    notify_to: tuple[str, ...] = ()
    notify_from: str = ""
    notify_every: int = 600
    header_timeout: int = 10
    body_timeout: int = 20
    max_connections: int = 1000


_ENV = {
    "queue_dir": "COMMENTS_QUEUE",
    "content_dir": "COMMENTS_CONTENT",
    "site_index": "RECEIVER_SITE_INDEX",
    "site_index_ttl": "RECEIVER_SITE_INDEX_TTL",
    "allowed_origins": "RECEIVER_ALLOWED_ORIGINS",
    "site_url": "RECEIVER_SITE_URL",
    "rate_limit": "RECEIVER_RATE_LIMIT",
    "rate_limit_storage": "RECEIVER_RATE_LIMIT_STORAGE",
    "max_body_bytes": "RECEIVER_MAX_BODY",
    "host": "RECEIVER_HOST",
    "port": "RECEIVER_PORT",
    "forwarded_allow_ips": "RECEIVER_FORWARDED_ALLOW_IPS",
    "log_level": "RECEIVER_LOG_LEVEL",
    "stale_temp_age": "RECEIVER_STALE_TEMP_AGE",
    "publish": "RECEIVER_PUBLISH",
    "git_remote": "RECEIVER_GIT_REMOTE",
    "git_branch": "RECEIVER_GIT_BRANCH",
    "publish_state_dir": "RECEIVER_PUBLISH_STATE",
    "publish_retry": "RECEIVER_PUBLISH_RETRY",
    "publish_retry_max": "RECEIVER_PUBLISH_RETRY_MAX",
    "public_url": "RECEIVER_PUBLIC_URL",
    "moderators_file": "RECEIVER_MODERATORS",
    "inbox_dir": "RECEIVER_INBOX_DIR",
    "session_max_age": "RECEIVER_SESSION_MAX_AGE",
    "login_rate_limit": "RECEIVER_LOGIN_RATE_LIMIT",
    "flood_limit": "RECEIVER_FLOOD_LIMIT",
    "clinic_names": "RECEIVER_CLINIC_NAMES",
    "smtp_url": "RECEIVER_SMTP_URL",
    "notify_to": "RECEIVER_NOTIFY_TO",
    "notify_from": "RECEIVER_NOTIFY_FROM",
    "notify_every": "RECEIVER_NOTIFY_EVERY",
    "header_timeout": "RECEIVER_HEADER_TIMEOUT",
    "body_timeout": "RECEIVER_BODY_TIMEOUT",
    "max_connections": "RECEIVER_MAX_CONNECTIONS",
}

_DEFAULTS = {
    "queue_dir": str(REPO_ROOT / "comments-queue"),
    "content_dir": str(REPO_ROOT / "content" / "comments"),
    "site_index": str(REPO_ROOT / "output" / "comments-index.json"),
    "site_index_ttl": "60",
    "allowed_origins": " ".join(DEFAULT_ORIGINS),
    "site_url": "",
    "rate_limit": "5/minute",
    "rate_limit_storage": "memory://",
    "max_body_bytes": "65536",
    "host": "127.0.0.1",
    "port": "8001",
    "forwarded_allow_ips": "",
    "log_level": "info",
    "stale_temp_age": "60",
    "publish": "files",
    "git_remote": "origin",
    "git_branch": "",
    "publish_state_dir": "",
    "publish_retry": "5",
    "publish_retry_max": "600",
    "public_url": "",
    "moderators_file": str(REPO_ROOT / "moderation" / "moderators"),
    "inbox_dir": str(REPO_ROOT / "moderation"),
    "session_max_age": "28800",
    "login_rate_limit": "5/minute",
    "flood_limit": "3",
    "clinic_names": "Truffles Vein Specialists, Truffles",
    "smtp_url": "",
    "notify_to": "",
    "notify_from": "",
    "notify_every": "600",
    "header_timeout": "10",
    "body_timeout": "20",
    "max_connections": "1000",
}
PUBLISH_MODES = ("files", "git")
# A remote or branch name handed to git as one argument: never an option.
_GIT_NAME = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*")


def _fail(name: str, problem: str) -> SettingsError:
    return SettingsError(f"{_ENV.get(name, name)}: {problem}")


def normalize_origin(value: str, name: str = "allowed_origins") -> str:
    """``https://Example.org:443/`` -> ``https://example.org``; SettingsError if not an origin."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(name, f"{value!r} is not an origin; write it as scheme://host[:port], e.g. https://example.org")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise _fail(name, f"{value!r} must be only scheme://host[:port], without a path, query or user")
    try:
        port = parts.port
    except ValueError:
        raise _fail(name, f"{value!r} has an invalid port") from None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def _path(name: str, value) -> Path:
    text = str(value).strip()
    if not text:
        raise _fail(name, "must not be empty")
    return Path(text).expanduser().resolve()


def _index_source(value) -> Path | str:
    text = str(value).strip()
    if text.startswith(("http://", "https://")):
        parts = urlsplit(text)
        if not parts.hostname:
            raise _fail("site_index", f"{text!r} is not a usable address")
        return text
    return _path("site_index", text)


def _int(name: str, value, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise _fail(name, f"expected a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise _fail(name, f"expected a number from {low} to {high}, got {number}")
    return number


def load_settings(environ: Mapping[str, str] | None = None, **overrides) -> Settings:  # noqa: C901 - one line per setting
    """Read every setting from ``environ`` (default: ``os.environ``).

    ``overrides`` use the field names of :class:`Settings` (``queue_dir=...``)
    and win over the environment; ``None`` values are ignored, so command-line
    flags can be passed straight through.
    """
    if environ is None:
        environ = os.environ
    unknown = set(overrides) - set(_ENV)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    raw: dict[str, object] = {}
    for name, variable in _ENV.items():
        if overrides.get(name) is not None:
            raw[name] = overrides[name]
        elif environ.get(variable, "").strip():
            raw[name] = environ[variable]
        else:
            raw[name] = _DEFAULTS[name]

    origins_value = raw["allowed_origins"]
    if isinstance(origins_value, str):
        origins_value = [o for o in re.split(r"[\s,]+", origins_value) if o]
    origins = tuple(dict.fromkeys(normalize_origin(o) for o in origins_value))
    if not origins:
        raise _fail("allowed_origins", "give at least one origin, e.g. https://example.org")

    site_url = str(raw["site_url"] or "").strip().rstrip("/")
    if site_url:
        parts = urlsplit(site_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _fail("site_url", f"{site_url!r} must be an absolute http(s) address, e.g. https://example.org")
    else:
        site_url = origins[0]

    rate_limit = _rate("rate_limit", raw["rate_limit"])

    storage = str(raw["rate_limit_storage"]).strip()
    if "://" not in storage:
        raise _fail("rate_limit_storage", f"{storage!r} is not a storage URI; e.g. memory:// or redis://localhost:6379")

    log_level = str(raw["log_level"]).strip().lower()
    if log_level not in LOG_LEVELS:
        raise _fail("log_level", f"expected one of {', '.join(LOG_LEVELS)}, got {log_level!r}")

    host = str(raw["host"]).strip()
    if not host:
        raise _fail("host", "must not be empty")

    publish = str(raw["publish"]).strip().lower()
    if publish not in PUBLISH_MODES:
        raise _fail("publish", f"expected one of {', '.join(PUBLISH_MODES)}, got {publish!r}")
    git_remote = str(raw["git_remote"]).strip()
    git_branch = str(raw["git_branch"] or "").strip()
    for name, value in (("git_remote", git_remote), ("git_branch", git_branch)):
        if (value or name == "git_remote") and not _GIT_NAME.fullmatch(value):
            raise _fail(name, f"{value!r} is not a git remote or branch name")
    queue_dir = _path("queue_dir", raw["queue_dir"])
    state = str(raw["publish_state_dir"] or "").strip()
    state_dir = _path("publish_state_dir", state) if state else queue_dir.parent / f"{queue_dir.name}-publish"
    retry = _int("publish_retry", raw["publish_retry"], 1, 86400)

    return Settings(
        queue_dir=queue_dir,
        content_dir=_path("content_dir", raw["content_dir"]),
        site_index=_index_source(raw["site_index"]),
        site_index_ttl=_int("site_index_ttl", raw["site_index_ttl"], 1, 86400),
        allowed_origins=origins,
        site_url=site_url,
        rate_limit=rate_limit,
        rate_limit_storage=storage,
        max_body_bytes=_int("max_body_bytes", raw["max_body_bytes"], MIN_BODY_LIMIT, 10 * 1024 * 1024),
        host=host,
        port=_int("port", raw["port"], 0, 65535),
        forwarded_allow_ips=str(raw["forwarded_allow_ips"] or "").strip(),
        log_level=log_level,
        stale_temp_age=_int("stale_temp_age", raw["stale_temp_age"], 0, 7 * 86400),
        publish=publish,
        git_remote=git_remote,
        git_branch=git_branch,
        publish_state_dir=state_dir,
        publish_retry=retry,
        publish_retry_max=_int("publish_retry_max", raw["publish_retry_max"], retry, 7 * 86400),
        **_inbox_settings(raw, host, _int("port", raw["port"], 0, 65535)),
        header_timeout=_int("header_timeout", raw["header_timeout"], 1, 3600),
        body_timeout=_int("body_timeout", raw["body_timeout"], 1, 3600),
        max_connections=_int("max_connections", raw["max_connections"], 1, 1_000_000),
    )


def _rate(name: str, value) -> str:
    from limits import parse_many

    rate = str(value).strip()
    try:
        parse_many(rate)
    except ValueError:
        raise _fail(name, f"{rate!r} is not a rate; write e.g. '5/minute', '20 per hour' or '5/minute;50/day'") from None
    return rate


def _words(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _public_url(value, host: str, port: int) -> str:
    text = str(value or "").strip().rstrip("/")
    if not text:
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise _fail("public_url", f"{text!r} must be the receiver's absolute http(s) address, e.g. https://comments.example.org")
    return text


def _smtp(raw: Mapping) -> dict:
    url = str(raw["smtp_url"] or "").strip()
    notify_to = _words(raw["notify_to"])
    if url:
        parts = urlsplit(url)
        if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
            raise _fail("smtp_url", f"{parts.scheme + '://…' if parts.scheme else repr(url)} is not a mail server address; "
                                    "write smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise _fail("smtp_url", "the mail server's port is not a number") from None
        if not notify_to:
            raise _fail("notify_to", "RECEIVER_SMTP_URL is set, so give the moderators' address(es) to notify")
    for address in notify_to:
        if "@" not in address or any(ch.isspace() for ch in address):
            raise _fail("notify_to", f"{address!r} is not an e-mail address")
    return {"smtp_url": url, "notify_to": notify_to,
            "notify_every": _int("notify_every", raw["notify_every"], 1, 7 * 86400)}


def _inbox_settings(raw: Mapping, host: str, port: int) -> dict:
    """The moderation inbox's and the notices' settings."""
    public_url = _public_url(raw["public_url"], host, port)
    notify_from = str(raw["notify_from"] or "").strip() or f"comments@{urlsplit(public_url).hostname}"
    if "@" not in notify_from:
        raise _fail("notify_from", f"{notify_from!r} is not an e-mail address")
    return {
        "public_url": public_url,
        "moderators_file": _path("moderators_file", raw["moderators_file"]),
        "inbox_dir": _path("inbox_dir", raw["inbox_dir"]),
        "session_max_age": _int("session_max_age", raw["session_max_age"], 60, 30 * 86400),
        "login_rate_limit": _rate("login_rate_limit", raw["login_rate_limit"]),
        "flood_limit": _int("flood_limit", raw["flood_limit"], 1, 10000),
        "clinic_names": _words(raw["clinic_names"]),
        "notify_from": notify_from,
        **_smtp(raw),
    }


def describe(settings: Settings) -> list[str]:
    """One ``NAME=value`` line per setting, for logs and ``--help`` output."""
    lines = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, tuple):
            value = " ".join(value)
        if f.name == "smtp_url" and urlsplit(value).password:
            value = value.replace(":" + urlsplit(value).password + "@", ":***@", 1)  # never log the password
        lines.append(f"{_ENV[f.name]}={value}")
    return lines


__all__ = ["REPO_ROOT", "Settings", "SettingsError", "describe", "load_settings", "normalize_origin"]
