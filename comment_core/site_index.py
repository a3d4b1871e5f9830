"""``comments-index.json``: what the site build tells the comment receiver.

The build (the truffles_comments plugin) writes it with :func:`dump`; the
receiver reads it with :func:`load`. Format (UTF-8 JSON)::

    {
      "version": 1,
      "endpoint": "https://comments.example.org/comments",   # or null: no form
      "pages": {
        "<slug>": {
          "url": "https://example.org/causes/iron-deficiency/",  # or site-relative
          "title": "Iron deficiency",
          "comments": "open",            # one of MODES
          "comment_ids": ["20261124T181502Z-3f9a1c2b", "..."]
        }
      }
    }

A bare ``{"<slug>": {...}}`` mapping (without ``version``/``pages``) is read too.
Only published comments are listed, so a reply can only answer a comment that
is already on the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from .comment_file import ID_PATTERN, SLUG_PATTERN

VERSION = 1
#: A page's comments: shown with a form, shown without one, or not shown.
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


@dataclass(frozen=True)
class SiteIndexData:
    pages: dict[str, Page]
    endpoint: str | None = None


def dump(pages: Mapping[str, Mapping], endpoint: str | None = None) -> bytes:
    """The index as bytes, stable for the same input (sorted keys)."""
    data = {"version": VERSION, "endpoint": endpoint, "pages": dict(sorted(pages.items()))}
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def load(raw: bytes, source) -> SiteIndexData:
    """Parse and check an index; ``source`` names it in error messages."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteIndexError(f"{source} is not valid UTF-8 JSON ({exc}); rebuild the site") from None
    if isinstance(data, dict) and "version" in data and isinstance(data.get("pages"), dict):
        if data["version"] != VERSION:
            raise SiteIndexError(f"{source}: index version {data['version']!r} is not supported (expected {VERSION})")
        entries, endpoint = data["pages"], data.get("endpoint")
    elif isinstance(data, dict):
        entries, endpoint = data, None
    else:
        raise SiteIndexError(f"{source}: expected a JSON object of pages")
    pages: dict[str, Page] = {}
    problems: list[str] = []
    for slug, entry in entries.items():
        page = _page(slug, entry, problems)
        if page is not None:
            pages[slug] = page
    if problems:
        raise SiteIndexError(f"{source}: " + "; ".join(problems[:10]))
    return SiteIndexData(pages, endpoint if isinstance(endpoint, str) else None)


def _page(slug, entry, problems: list[str]) -> Page | None:
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        problems.append(f"slug {slug!r} is not a safe folder name")
    elif not isinstance(entry, dict):
        problems.append(f"{slug}: expected an object")
    elif entry.get("comments") not in MODES:
        problems.append(f"{slug}: 'comments' must be one of {', '.join(MODES)}, got {entry.get('comments')!r}")
    elif not isinstance(entry.get("url"), str) or not entry["url"].strip():
        problems.append(f"{slug}: 'url' must be the page's address")
    elif not _ids_ok(entry.get("comment_ids", [])):
        problems.append(f"{slug}: 'comment_ids' must be a list of comment ids")
    else:
        title = entry.get("title") if isinstance(entry.get("title"), str) else ""
        return Page(slug, entry["url"].strip(), title.strip(), entry["comments"], frozenset(entry.get("comment_ids", [])))
    return None


def _ids_ok(ids) -> bool:
    return isinstance(ids, list) and all(isinstance(i, str) and ID_PATTERN.fullmatch(i) for i in ids)
