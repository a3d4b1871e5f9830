"""Atom feeds of comments: one per page that has comments, one for the site.

Written with feedgenerator (Pelican's own feed library). Everything in a feed
comes from the comment files, never from the clock: a feed's ``updated`` is
its newest comment's date, entries are in a fixed order (newest first, then
id), and entry ids are derived from slug and comment id. An unchanged site
therefore rebuilds byte-identical feeds, and can take them from FeedCache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from feedgenerator import Atom1Feed
from markupsafe import Markup

from comment_core.atomic import replace_atomically
from comment_core.comment_file import Comment
from comment_core.render import safe_web_url
from comment_core.text import FORBIDDEN

_NAMESPACE = uuid.UUID("5b0c6a51-8a4e-4a59-9f61-0f3b8d8b1e2c")


@dataclass(frozen=True)
class FeedEntry:
    comment: Comment
    html: str
    page_title: str
    page_url: str  # absolute or site-root-relative URL of the page


def entry_id(comment: Comment) -> str:
    """Stable, globally unique Atom id of a comment (independent of SITEURL)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{comment.slug}/{comment.id}')}"


def xml_text(value: str | None) -> str | None:
    """``value`` without the code points XML cannot carry. Comment files are
    checked for them already (comment_core.text); this keeps every feed
    well-formed whatever else reaches it (page titles, settings)."""
    return None if value is None else FORBIDDEN.sub("", value)


def plain(text) -> str:
    """Page titles may hold markup and no-break spaces (typogrify); feeds want text."""
    return " ".join(Markup(str(text)).striptags().split())


#: Bump when the feed layout changes, so cached feeds are rebuilt.
FEED_VERSION = "1"


def _ordered(entries: list[FeedEntry], max_items: int | None) -> list[FeedEntry]:
    ordered = sorted(entries, key=lambda e: (e.comment.date, e.comment.id), reverse=True)
    return ordered[:max_items] if max_items else ordered


def feed_key(*, title, link, feed_url, language, entries, per_page, max_items) -> str:
    """Digest of everything a feed is made from (see FeedCache)."""
    digest = hashlib.sha256()
    head = [FEED_VERSION, feedgenerator_version(), title, link, feed_url, language, per_page]
    digest.update(json.dumps(head).encode())
    for e in _ordered(entries, max_items):
        c = e.comment
        row = [c.slug, c.id, c.author, c.website, c.date.isoformat(), e.page_title, e.page_url, e.html]
        digest.update(b"\0" + json.dumps(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def feedgenerator_version() -> str:
    try:
        from importlib.metadata import version

        return version("feedgenerator")
    except Exception:  # pragma: no cover
        return ""


def build_feed(*, title: str, link: str, feed_url: str, language: str, entries: list[FeedEntry], per_page: bool, max_items: int | None = None) -> bytes:
    feed = Atom1Feed(
        title=title,
        link=link,
        description=None,
        language=language,
        feed_url=feed_url,
        feed_guid=f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + feed_url)}",
    )
    for entry in _ordered(entries, max_items):
        c = entry.comment
        author = xml_text(c.author)
        feed.add_item(
            title=f"Comment by {author}" if per_page else f"Comment by {author} on {xml_text(entry.page_title)}",
            link=xml_text(f"{entry.page_url}#comment-{c.id}"),
            description=None,
            author_name=author,
            author_link=xml_text(safe_web_url(c.website)),
            pubdate=c.date,
            updateddate=c.date,
            unique_id=entry_id(c),
            content=xml_text(entry.html),
        )
    return feed.writeString("utf-8").encode("utf-8")


class FeedCache:
    """Finished feeds kept in ``<CACHE_PATH>/truffles_comments/feeds/<digest>.xml``.

    The digest covers every input of the feed, so a warm build with no
    comment changed copies its feeds instead of generating them again. Files
    not used by the current build are removed when it is saved.
    """

    def __init__(self, directory: Path | None):
        self.folder = Path(directory) / "truffles_comments" / "feeds" if directory else None
        self.used: set[str] = set()
        self.hits = 0

    def get(self, key: str, build) -> bytes:
        self.used.add(key)
        if self.folder is not None:
            try:
                data = (self.folder / f"{key}.xml").read_bytes()
                self.hits += 1
                return data
            except OSError:
                pass
        data = build()
        if self.folder is not None:
            try:
                replace_atomically(self.folder / f"{key}.xml", data)
            except OSError:
                pass  # a cache that cannot be written only costs time
        return data

    def prune(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.xml"):
            if path.stem not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass


def write_if_changed(output_path: Path, relative: str, data: bytes) -> Path:
    """Write an output file (a feed, the index, a reply page) atomically; leave it untouched if identical."""
    target = Path(output_path) / relative
    try:
        if target.read_bytes() == data:
            return target
    except OSError:
        pass
    return replace_atomically(target, data, mode=0o644)
