"""Every setting of the comment receiver and the moderation CLI, declared once.

:data:`TABLE` gives each setting its environment variable, its default, the
parser that checks it and one line of documentation; the :class:`Settings`
object, :func:`load_settings`, :func:`describe` and the settings table in
``comment_receiver/README.md`` (``python -m comment_receiver.settings`` prints
it; a test keeps the two equal) all come from it. Command-line flags and the
callers of :func:`load_settings` (``site_tools.serve``, the tests) may override
a setting. A bad value raises :class:`SettingsError` naming the variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, make_dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: The repository root: comment_receiver/settings.py -> ../. Defaults write it ``<repo>``.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: Smallest body that can hold a maximal valid comment (5,000 four-byte
#: characters percent-encoded take 60,000 bytes).
MIN_BODY_LIMIT = 1024
SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")
# A remote or branch name handed to git as one argument: never an option.
_GIT_NAME = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*")


class SettingsError(ValueError):
    """A setting has a bad value; the message names the variable."""


#: A parser gets the setting's name, its raw value (text from the environment,
#: or any value an override passed) and the settings parsed before it.
Parser = Callable[[str, object, dict], object]


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    parse: Parser
    doc: str
    #: What an empty default means, for the documentation.
    empty: str = "empty"


def _fail(name: str, problem: str) -> SettingsError:
    return SettingsError(f"{TABLE[name].env if name in TABLE else name}: {problem}")


def _text(name, value, done) -> str:
    return str(value or "").strip()


def _required(name, value, done) -> str:
    text = _text(name, value, done)
    if not text:
        raise _fail(name, "must not be empty")
    return text


def _path(name, value, done) -> Path:
    return Path(_required(name, value, done).replace("<repo>", str(REPO_ROOT))).expanduser().resolve()


def _int(low: int | str, high: int) -> Parser:
    """A whole number from ``low`` (or the value of the setting named ``low``) to ``high``."""
    def parse(name, value, done) -> int:
        bottom = done[low] if isinstance(low, str) else low
        try:
            number = int(str(value).strip())
        except ValueError:
            raise _fail(name, f"expected a whole number, got {value!r}") from None
        if not bottom <= number <= high:
            raise _fail(name, f"expected a number from {bottom} to {high}, got {number}")
        return number
    return parse


def _choice(*options: str) -> Parser:
    def parse(name, value, done) -> str:
        text = _text(name, value, done).lower()
        if text not in options:
            raise _fail(name, f"expected one of {', '.join(options)}, got {text!r}")
        return text
    return parse


def _words(name, value, done) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _rate(name, value, done) -> str:
    from limits import parse_many

    rate = _text(name, value, done)
    try:
        parse_many(rate)
    except ValueError:
        raise _fail(name, f"{rate!r} is not a rate; write e.g. '5/minute', '20 per hour' or '5/minute;50/day'") from None
    return rate


def _storage(name, value, done) -> str:
    storage = _text(name, value, done)
    if "://" not in storage:
        raise _fail(name, f"{storage!r} is not a storage URI; e.g. memory:// or redis://localhost:6379")
    return storage


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
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # IPv6 literal
    default_port = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def _origins(name, value, done) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [o for o in re.split(r"[\s,]+", value) if o]
    origins = tuple(dict.fromkeys(normalize_origin(o) for o in value))
    if not origins:
        raise _fail(name, "give at least one origin, e.g. https://example.org")
    return origins


def _absolute_url(example: str, default: Callable[[dict], str] | None = None) -> Parser:
    """An absolute http(s) address without query or fragment; empty: ``default(done)``."""
    def parse(name, value, done) -> str:
        text = _text(name, value, done).rstrip("/")
        if not text and default:
            return default(done)
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise _fail(name, f"{text!r} must be an absolute http(s) address, e.g. {example}")
        return text
    return parse


def _index_source(name, value, done) -> Path | str:
    text = _text(name, value, done)
    if text.startswith(("http://", "https://")):
        if not urlsplit(text).hostname:
            raise _fail(name, f"{text!r} is not a usable address")
        return text
    return _path(name, text, done)


def _git_name(optional: bool) -> Parser:
    def parse(name, value, done) -> str:
        text = _text(name, value, done)
        if (text or not optional) and not _GIT_NAME.fullmatch(text):
            raise _fail(name, f"{text!r} is not a git remote or branch name")
        return text
    return parse


def _state_dir(name, value, done) -> Path:
    queue = done["queue_dir"]
    return _path(name, value, done) if _text(name, value, done) else queue.parent / f"{queue.name}-publish"


def _local_url(done: dict) -> str:
    host = f"[{done['host']}]" if ":" in done["host"] else done["host"]
    return f"http://{host}:{done['port']}"


def _smtp_url(name, value, done) -> str:
    url = _text(name, value, done)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
            raise _fail(name, f"{parts.scheme + '://…' if parts.scheme else repr(url)} is not a mail server address; "
                              "write smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise _fail(name, "the mail server's port is not a number") from None
    return url


def _addresses(name, value, done) -> tuple[str, ...]:
    addresses = _words(name, value, done)
    if done["smtp_url"] and not addresses:
        raise _fail(name, "RECEIVER_SMTP_URL is set, so give the moderators' address(es) to notify")
    for address in addresses:
        if "@" not in address or any(ch.isspace() for ch in address):
            raise _fail(name, f"{address!r} is not an e-mail address")
    return addresses


def _sender(name, value, done) -> str:
    sender = _text(name, value, done) or f"comments@{urlsplit(done['public_url']).hostname}"
    if "@" not in sender:
        raise _fail(name, f"{sender!r} is not an e-mail address")
    return sender


#: Every setting, in the order they are parsed (a parser may use earlier ones).
TABLE: dict[str, Setting] = {
    "queue_dir": Setting("COMMENTS_QUEUE", "<repo>/comments-queue", _path,
                         "the moderation queue: accepted comments wait in `<queue>/<slug>/<id>.md` (git-ignored)"),
    "content_dir": Setting("COMMENTS_CONTENT", "<repo>/content/comments", _path,
                           "published comments: an approval puts the file in `<content>/<slug>/`"),
    "site_index": Setting("RECEIVER_SITE_INDEX", "<repo>/output/comments-index.json", _index_source,
                          "the built site's index of pages and comments: a file (re-read when it changes) "
                          "or the published file's `https://` address"),
    "site_index_ttl": Setting("RECEIVER_SITE_INDEX_TTL", "60", _int(1, 86400),
                              "seconds between fetches of a remote index (the last good copy serves up to a day)"),
    "allowed_origins": Setting("RECEIVER_ALLOWED_ORIGINS", "http://127.0.0.1:8000 http://localhost:8000", _origins,
                               "origins (`scheme://host[:port]`, spaces or commas) whose forms may post: "
                               "the `Origin` header, or without one the `Referer`, must be one of them"),
    "site_url": Setting("RECEIVER_SITE_URL", "", _absolute_url("https://example.org", lambda d: d["allowed_origins"][0]),
                        "base for links back to the site when the index has site-relative URLs",
                        "the first allowed origin"),
    "rate_limit": Setting("RECEIVER_RATE_LIMIT", "5/minute", _rate,
                          "posts per client IP, `limits` notation, moving window (`5/minute;30/day`)"),
    "rate_limit_storage": Setting("RECEIVER_RATE_LIMIT_STORAGE", "memory://", _storage,
                                  "`limits` storage: `memory://` is per process; several receivers share "
                                  "`redis://host:6379/0`"),
    "max_body_bytes": Setting("RECEIVER_MAX_BODY", "65536", _int(MIN_BODY_LIMIT, 10 * 1024 * 1024),
                              "largest request body in bytes (a maximal comment needs about 62,000)"),
    "host": Setting("RECEIVER_HOST", "127.0.0.1", _required, "address `serve` listens on"),
    "port": Setting("RECEIVER_PORT", "8001", _int(0, 65535), "port `serve` listens on"),
    "forwarded_allow_ips": Setting("RECEIVER_FORWARDED_ALLOW_IPS", "", _text,
                                   "proxies trusted to set `X-Forwarded-For` (`127.0.0.1` behind a local nginx)",
                                   "empty (the TCP peer is the client)"),
    "log_level": Setting("RECEIVER_LOG_LEVEL", "info", _choice("debug", "info", "warning", "error"),
                         "`debug`, `info`, `warning` or `error`"),
    "stale_temp_age": Setting("RECEIVER_STALE_TEMP_AGE", "60", _int(0, 7 * 86400),
                              "at startup, temporary files of writes cut short older than this many seconds are "
                              "deleted from the queue (younger ones may be another receiver's write in flight)"),
    "publish": Setting("RECEIVER_PUBLISH", "files", _choice("files", "git"),
                       "how an approval is published: `files` moves it into `COMMENTS_CONTENT`; "
                       "`git` commits and pushes it from a clone of the site"),
    "git_remote": Setting("RECEIVER_GIT_REMOTE", "origin", _git_name(optional=False),
                          "git mode: the remote approvals are pushed to"),
    "git_branch": Setting("RECEIVER_GIT_BRANCH", "", _git_name(optional=True),
                          "git mode: the branch approvals are pushed to", "the clone's current branch"),
    "publish_state_dir": Setting("RECEIVER_PUBLISH_STATE", "", _state_dir,
                                 "git mode: approvals not pushed yet, the log of recent publications, the approval lock",
                                 "`<queue>-publish`, beside the queue"),
    "publish_retry": Setting("RECEIVER_PUBLISH_RETRY", "5", _int(1, 86400),
                             "git mode: seconds before the first background retry of an unpushed approval; "
                             "doubles after each failure"),
    "publish_retry_max": Setting("RECEIVER_PUBLISH_RETRY_MAX", "600", _int("publish_retry", 7 * 86400),
                                 "git mode: the longest wait between retries"),
    "public_url": Setting("RECEIVER_PUBLIC_URL", "", _absolute_url("https://comments.example.org", _local_url),
                          "the receiver's public address: the inbox link in notices; https makes the session "
                          "cookie `Secure`", "`http://<RECEIVER_HOST>:<RECEIVER_PORT>`"),
    "moderators_file": Setting("RECEIVER_MODERATORS", "<repo>/moderation/moderators", _path,
                               "the inbox's accounts, `name:argon2-hash` lines written by `make moderator`; "
                               "keep it out of content/ and out of git"),
    "inbox_dir": Setting("RECEIVER_INBOX_DIR", "<repo>/moderation", _path,
                         "`audit.jsonl` (every moderator action, append-only) and `arrivals.jsonl` (flags on arrival)"),
    "session_max_age": Setting("RECEIVER_SESSION_MAX_AGE", "28800", _int(60, 30 * 86400),
                               "seconds a moderator stays logged in"),
    "login_rate_limit": Setting("RECEIVER_LOGIN_RATE_LIMIT", "5/minute", _rate,
                                "login attempts per client IP, `limits` notation (never per name: wrong guesses from "
                                "elsewhere cannot lock a moderator out)"),
    "flood_limit": Setting("RECEIVER_FLOOD_LIMIT", "3", _int(1, 10000),
                           "flag comments when more than this many came from one address within an hour "
                           "(counted by a salted hash kept only in memory)"),
    "clinic_names": Setting("RECEIVER_CLINIC_NAMES", "Truffles Vein Specialists, Truffles", _words,
                            "names (comma-separated) an author name must not imitate, after NFKC and look-alike folding"),
    "smtp_url": Setting("RECEIVER_SMTP_URL", "", _smtp_url,
                        "mail server for notices to moderators: `smtp://host:25`, "
                        "`smtp+starttls://user:pass@host:587` or `smtps://user:pass@host:465`", "empty (no notices)"),
    "notify_to": Setting("RECEIVER_NOTIFY_TO", "", _addresses,
                         "who gets the notices, comma-separated (required with `RECEIVER_SMTP_URL`)"),
    "notify_from": Setting("RECEIVER_NOTIFY_FROM", "", _sender, "sender address of the notices",
                           "`comments@<host of RECEIVER_PUBLIC_URL>`"),
    "notify_every": Setting("RECEIVER_NOTIFY_EVERY", "600", _int(1, 7 * 86400),
                            "at most one notice per this many seconds"),
    "header_timeout": Setting("RECEIVER_HEADER_TIMEOUT", "10", _int(1, 3600),
                              "seconds a connection may take to send a request's headers before it is closed"),
    "body_timeout": Setting("RECEIVER_BODY_TIMEOUT", "20", _int(1, 3600),
                            "seconds a post's body may take to arrive once its headers did (else 408)"),
    "max_connections": Setting("RECEIVER_MAX_CONNECTIONS", "1000", _int(1, 1_000_000),
                               "connections served at once; beyond it new ones get 503 at once "
                               "(uvicorn's `limit_concurrency`, well below the file descriptor limit)"),
}

#: The receiver's settings, one attribute per :data:`TABLE` entry.
Settings = make_dataclass("Settings", list(TABLE), frozen=True)


def load_settings(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Read every setting from ``environ`` (default: ``os.environ``).

    ``overrides`` use the field names of :class:`Settings` (``queue_dir=...``)
    and win over the environment; ``None`` values are ignored, so command-line
    flags can be passed straight through.
    """
    environ = os.environ if environ is None else environ
    unknown = set(overrides) - set(TABLE)
    if unknown:
        raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    done: dict[str, object] = {}
    for name, setting in TABLE.items():
        if overrides.get(name) is not None:
            value = overrides[name]
        elif environ.get(setting.env, "").strip():
            value = environ[setting.env]
        else:
            value = setting.default
        done[name] = setting.parse(name, value, done)
    return Settings(**done)


def describe(settings: Settings) -> list[str]:
    """One ``NAME=value`` line per setting, for logs and ``--help`` output."""
    lines = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, tuple):
            value = " ".join(value)
        if f.name == "smtp_url" and urlsplit(value).password:
            value = value.replace(":" + urlsplit(value).password + "@", ":***@", 1)  # never log the password
        lines.append(f"{TABLE[f.name].env}={value}")
    return lines


def markdown_table() -> str:
    """The settings table of ``comment_receiver/README.md``."""
    rows = ["| Variable | Default | What it sets |", "|---|---|---|"]
    for setting in TABLE.values():
        default = f"`{setting.default}`" if setting.default else setting.empty
        rows.append(f"| `{setting.env}` | {default} | {setting.doc} |")
    return "\n".join(rows)


__all__ = ["REPO_ROOT", "TABLE", "Settings", "SettingsError", "describe", "load_settings", "normalize_origin"]

if __name__ == "__main__":
    print(markdown_table())
