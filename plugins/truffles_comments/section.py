"""What the templates get: one CommentsSection per article/page.

Attached to each article and page as ``item.truffles_comments`` (and the call
to action as ``item.truffles_cta``). The comments.html partial renders it; the
comment form finds there everything it needs (``slug``,
``open``, ``endpoint``, ``can_post``).
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
