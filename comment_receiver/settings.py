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
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

#: The repository root: comment_receiver/settings.py -> ../
REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")
LOG_LEVELS = ("debug", "info", "warning", "error")

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
    "header_timeout": "10",
    "body_timeout": "20",
    "max_connections": "1000",
}


def env_name(field_name: str) -> str:
    """The environment variable behind a Settings field."""
    return _ENV[field_name]


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


def load_settings(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
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

    rate_limit = str(raw["rate_limit"]).strip()
    from limits import parse_many

    try:
        parse_many(rate_limit)
    except ValueError:
        raise _fail(
            "rate_limit", f"{rate_limit!r} is not a rate; write e.g. '5/minute', '20 per hour' or '5/minute;50/day'"
        ) from None

    storage = str(raw["rate_limit_storage"]).strip()
    if "://" not in storage:
        raise _fail("rate_limit_storage", f"{storage!r} is not a storage URI; e.g. memory:// or redis://localhost:6379")

    log_level = str(raw["log_level"]).strip().lower()
    if log_level not in LOG_LEVELS:
        raise _fail("log_level", f"expected one of {', '.join(LOG_LEVELS)}, got {log_level!r}")

    host = str(raw["host"]).strip()
    if not host:
        raise _fail("host", "must not be empty")

    return Settings(
        queue_dir=_path("queue_dir", raw["queue_dir"]),
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
        header_timeout=_int("header_timeout", raw["header_timeout"], 1, 3600),
        body_timeout=_int("body_timeout", raw["body_timeout"], 1, 3600),
        max_connections=_int("max_connections", raw["max_connections"], 1, 1_000_000),
    )


def describe(settings: Settings) -> list[str]:
    """One ``NAME=value`` line per setting, for logs and ``--help`` output."""
    lines = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, tuple):
            value = " ".join(value)
        lines.append(f"{_ENV[f.name]}={value}")
    return lines


__all__ = ["REPO_ROOT", "Settings", "SettingsError", "describe", "env_name", "load_settings", "normalize_origin"]
