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
offer. The file is re-read whenever its modification time, size or inode
changes, so a rebuild (``make html`` swaps the whole output folder) is picked up
without restarting the receiver.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from truffles_comments.comment_file import ID_PATTERN

from .validation import SLUG_PATTERN

MODES = ("open", "closed", "hidden")


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
    """Thread-safe, lazily re-read view of ``comments-index.json``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._pages: dict[str, Page] = {}

    def pages(self) -> dict[str, Page]:
        """The current pages; raises SiteIndexError if the file is unusable."""
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

    def get(self, slug: str) -> Page | None:
        return self.pages().get(slug)


def load_index(path: Path) -> dict[str, Page]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteIndexError(f"{path} cannot be read: {exc.strerror or exc}") from None
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
