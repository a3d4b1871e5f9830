"""What the receiver knows about the site: the ``comments-index.json`` that the
site build (the truffles_comments plugin) writes into the output folder.

Format (UTF-8 JSON)::

    {
      "version": 1,
      "pages": {
        "<slug>": {
          "url": "https://example.org/causes/iron-deficiency/",  # or site-relative
          "title": "Iron deficiency",
          "comments": "open",            # "open" | "closed" | "hidden"
          "comment_ids": ["20261124T181502Z-3f9a1c2b", "..."]
        }
      }
    }

A bare ``{"<slug>": {...}}`` mapping (without ``version``/``pages``) is read too.
Only published comments are listed, so a reply (``options[parent]``) must answer
a comment that is already on the page: exactly what the form's "Reply" links
offer.

The source is either a file, re-read whenever its modification time, size or
inode changes (a rebuild, which swaps the whole output folder, is picked up
without a restart), or the ``https://`` address of the published file, fetched
again at most every ``ttl`` seconds (with ``If-None-Match``/``If-Modified-Since``);
when a fetch fails, the last good copy is used for up to a day, so a short
outage of the web host does not stop comments.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from comment_core.comment_file import ID_PATTERN

from .validation import SLUG_PATTERN

MODES = ("open", "closed", "hidden")
#: How long the last good copy of a remote index is used while fetching fails.
MAX_STALE_SECONDS = 24 * 3600
FETCH_TIMEOUT = 10
MAX_INDEX_BYTES = 20 * 1024 * 1024

logger = logging.getLogger("comment_receiver")


class SiteIndexError(Exception):
    """The index is missing or malformed: the receiver cannot accept comments."""


@dataclass(frozen=True)
class Page:
    slug: str
    url: str
    title: str
    comments: str
    comment_ids: frozenset[str]

    def absolute_url(self, site_url: str) -> str:
        return urljoin(site_url.rstrip("/") + "/", self.url)


class SiteIndex:
    """Thread-safe, lazily re-read view of ``comments-index.json`` (a path or an http(s) URL).

    :meth:`pages` may block (file read, or a fetch for a URL): call it from a
    worker thread in async code.
    """

    def __init__(self, source, ttl: float = 60.0):
        self.source = source
        self.remote = isinstance(source, str) and source.startswith(("http://", "https://"))
        self.path = None if self.remote else Path(source)
        self.ttl = ttl
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._pages: dict[str, Page] = {}
        self._fetched_at = 0.0  # monotonic time of the last successful fetch (remote)
        self._checked_at = float("-inf")
        self._validators: dict[str, str] = {}

    def pages(self) -> dict[str, Page]:
        """The current pages; raises SiteIndexError if the index is unusable."""
        if self.remote:
            return self._remote_pages()
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise SiteIndexError(
                f"{self.path} does not exist; build the site (make html / make publish) "
                "or point RECEIVER_SITE_INDEX at the built site's comments-index.json"
            ) from None
        except OSError as exc:
            raise SiteIndexError(f"{self.path} cannot be read: {exc.strerror or exc}") from None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev)
        with self._lock:
            if stamp != self._stamp:
                self._pages = load_index(self.path)
                self._stamp = stamp
            return self._pages

    def _remote_pages(self) -> dict[str, Page]:
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at < self.ttl and self._stamp is not None:
                return self._pages
            self._checked_at = now
            try:
                self._fetch()
                self._fetched_at = now
            except SiteIndexError as exc:
                if self._stamp is not None and now - self._fetched_at < MAX_STALE_SECONDS:
                    logger.warning("site index fetch failed, using the copy from %.0f s ago: %s",
                                   now - self._fetched_at, exc)
                    return self._pages
                raise
            return self._pages

    def _fetch(self) -> None:
        request = urllib.request.Request(self.source, headers={"Accept": "application/json", **self._validators})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                body = response.read(MAX_INDEX_BYTES + 1)
                headers = response.headers
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and self._stamp is not None:
                return
            raise SiteIndexError(f"{self.source} answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SiteIndexError(f"{self.source} cannot be fetched: {getattr(exc, 'reason', exc)}") from None
        if len(body) > MAX_INDEX_BYTES:
            raise SiteIndexError(f"{self.source} is larger than {MAX_INDEX_BYTES} bytes")
        self._pages = parse_index(body, self.source)
        self._stamp = ("remote", headers.get("ETag"), headers.get("Last-Modified"))
        self._validators = {}
        if headers.get("ETag"):
            self._validators["If-None-Match"] = headers["ETag"]
        if headers.get("Last-Modified"):
            self._validators["If-Modified-Since"] = headers["Last-Modified"]

    def get(self, slug: str) -> Page | None:
        return self.pages().get(slug)


def load_index(path: Path) -> dict[str, Page]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SiteIndexError(f"{path} cannot be read: {exc.strerror or exc}") from None
    return parse_index(raw, path)


def parse_index(raw: bytes, path) -> dict[str, Page]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteIndexError(f"{path} is not valid UTF-8 JSON ({exc}); rebuild the site") from None
    if isinstance(data, dict) and "version" in data and isinstance(data.get("pages"), dict):
        if data["version"] != 1:
            raise SiteIndexError(f"{path}: index version {data['version']!r} is not supported (expected 1)")
        entries = data["pages"]
    elif isinstance(data, dict):
        entries = data
    else:
        raise SiteIndexError(f"{path}: expected a JSON object of pages")
    pages: dict[str, Page] = {}
    problems: list[str] = []
    for slug, entry in entries.items():
        if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
            problems.append(f"slug {slug!r} is not a safe folder name")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{slug}: expected an object")
            continue
        mode = entry.get("comments")
        if mode not in MODES:
            problems.append(f"{slug}: 'comments' must be one of {', '.join(MODES)}, got {mode!r}")
            continue
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            problems.append(f"{slug}: 'url' must be the page's address")
            continue
        ids = entry.get("comment_ids", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) and ID_PATTERN.fullmatch(i) for i in ids):
            problems.append(f"{slug}: 'comment_ids' must be a list of comment ids")
            continue
        title = entry.get("title") if isinstance(entry.get("title"), str) else ""
        pages[slug] = Page(slug, url.strip(), title.strip(), mode, frozenset(ids))
    if problems:
        raise SiteIndexError(f"{path}: " + "; ".join(problems[:10]))
    return pages


def write_index(path: Path, pages: dict[str, dict]) -> Path:
    """Write an index file (tests and local tools; the site build writes the real one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"version": 1, "pages": pages}, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
