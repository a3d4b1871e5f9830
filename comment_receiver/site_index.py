"""What the receiver knows about the site: the ``comments-index.json`` that the
site build (the truffles_comments plugin) writes into the output folder. Its
format is defined once, in :mod:`comment_core.site_index`; this module finds
and refreshes it.

The source is either a file, re-read whenever its modification time, size or
inode changes (a rebuild, which swaps the whole output folder, is picked up
without a restart), or the ``https://`` address of the published file, fetched
again at most every ``ttl`` seconds (with ``If-None-Match``/``If-Modified-Since``);
when a fetch fails, the last good copy is used for up to a day, so a short
outage of the web host does not stop comments.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from comment_core import site_index as schema
from comment_core.atomic import replace_atomically
from comment_core.site_index import MODES, Page, SiteIndexError

#: How long the last good copy of a remote index is used while fetching fails.
MAX_STALE_SECONDS = 24 * 3600
FETCH_TIMEOUT = 10
MAX_INDEX_BYTES = 20 * 1024 * 1024

logger = logging.getLogger("comment_receiver")


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
    return schema.load(raw, path).pages


def write_index(path: Path, pages: dict[str, dict]) -> Path:
    """Write an index file (tests and local tools; the site build writes the real one)."""
    return replace_atomically(path, schema.dump(pages))


__all__ = ["MODES", "Page", "SiteIndex", "SiteIndexError", "load_index", "parse_index", "write_index"]
