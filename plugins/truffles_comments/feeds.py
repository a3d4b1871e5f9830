"""Atom feeds of comments: one per page that has comments, one for the site.

Written with feedgenerator (Pelican's own feed library). Everything in a feed
comes from the comment files, never from the clock: a feed's ``updated`` is
its newest comment's date, entries are in a fixed order (newest first, then
id), and entry ids are derived from slug and comment id. An unchanged site
therefore rebuilds byte-identical feeds.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from feedgenerator import Atom1Feed
from markupsafe import Markup

from .comment_file import Comment
from .sanitize import safe_web_url

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


def plain(text) -> str:
    """Page titles may hold markup and no-break spaces (typogrify); feeds want text."""
    return " ".join(Markup(str(text)).striptags().split())


def build_feed(*, title: str, link: str, feed_url: str, language: str, entries: list[FeedEntry], per_page: bool) -> bytes:
    feed = Atom1Feed(
        title=title,
        link=link,
        description=None,
        language=language,
        feed_url=feed_url,
        feed_guid=f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed:' + feed_url)}",
    )
    ordered = sorted(entries, key=lambda e: (e.comment.date, e.comment.id), reverse=True)
    for entry in ordered:
        c = entry.comment
        feed.add_item(
            title=f"Comment by {c.author}" if per_page else f"Comment by {c.author} on {entry.page_title}",
            link=f"{entry.page_url}#comment-{c.id}",
            description=None,
            author_name=c.author,
            author_link=safe_web_url(c.website),
            pubdate=c.date,
            updateddate=c.date,
            unique_id=entry_id(c),
            content=entry.html,
        )
    return feed.writeString("utf-8").encode("utf-8")


def write_if_changed(output_path: Path, relative: str, data: bytes) -> Path:
    """Write a feed file atomically; leave it untouched if identical."""
    target = Path(output_path) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.read_bytes() == data:
            return target
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=".feed.", dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    os.chmod(target, 0o644)
    return target
