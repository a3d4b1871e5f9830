"""What the templates get: one CommentsSection per article/page.

Attached to each article and page as ``item.truffles_comments`` (and the call
to action as ``item.truffles_cta``). The comments.html partial renders it; the
comment form finds there everything it needs (``slug``,
``open``, ``endpoint``, ``can_post``).

A page carries one comment form. Each comment's "Reply" links to a small
reply page of its own (``reply_url``), generated only when the page takes
posts; comment_form.js turns the link into "move the page's form here".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .threads import ThreadEntry


@dataclass
class CommentsSection:
    slug: str
    mode: str  # "open" | "closed" | "hidden"
    endpoint: str | None = None
    threads: list[ThreadEntry] = field(default_factory=list)
    count: int = 0
    #: Site-relative URL of this page's comments feed (None: no feed written).
    feed_url: str | None = None
    #: Site-relative URL of the feed of all comments (None: no feed written).
    all_feed_url: str | None = None
    #: Title of this page's feed (plain text).
    feed_title: str = ""
    heading_id: str = "comments-heading"
    anchor: str = "comments"
    #: The page's URL relative to SITEURL (Pelican's ``item.url``).
    page_url: str = ""
    #: The page's title as plain text (for the reply pages).
    page_title: str = ""

    @property
    def visible(self) -> bool:
        return self.mode != "hidden"

    @property
    def open(self) -> bool:
        return self.mode == "open"

    @property
    def closed(self) -> bool:
        return self.mode == "closed"

    @property
    def can_post(self) -> bool:
        """Open for comments and an endpoint to post them to is configured."""
        return self.open and bool(self.endpoint)

    def reply_url(self, comment_id: str) -> str:
        """Where the reply page of a comment is published, relative to SITEURL:
        ``<page folder>/reply/<id>/``. A page at ``name.html`` gets the folder
        ``name/`` so the reply pages never land next to other pages' files."""
        url = self.page_url
        folder = url if url == "" or url.endswith("/") else url.rsplit(".", 1)[0] + "/"
        return f"{folder}reply/{comment_id}/"

    def reply_href(self, comment_id: str) -> str:
        """The reply page's address relative to the page itself: short, and
        right whatever SITEURL the site is served under."""
        return self.reply_url(comment_id)[self.page_url.rfind("/") + 1:]

    @property
    def count_label(self) -> str:
        if self.count == 0:
            return "No comments yet" if self.open else "No comments"
        return "1 comment" if self.count == 1 else f"{self.count:,} comments"


_NO_PAD = re.compile(r"%-([dmHIMSj])")


def format_date(value: dt.datetime, fmt: str, timezone: str) -> str:
    """strftime in the site's time zone; ``%-d`` style (no padding) is portable."""
    local = value.astimezone(ZoneInfo(timezone))
    fmt = _NO_PAD.sub(lambda m: str(int(local.strftime("%" + m.group(1)))), fmt)
    return local.strftime(fmt)
