"""What the inbox shows, gathered from the queue, the site index and the audit log."""

from __future__ import annotations

import collections
import datetime as _dt
from pathlib import Path

from comment_core.render import BodyRefused, CommentRenderer
from comment_core.site_index import Page

from .. import moderation
from ..settings import Settings
from . import flags as _flags
from .audit import Record
from .notify import Waiting
from .views import Done, Item, PageGroup

#: How far back "published recently" and "waiting to be published" look.
RECENT_DAYS = 14
RECENT_MAX = 50


def when(date: _dt.datetime) -> str:
    date = date.astimezone(_dt.UTC)
    return f"{date.day} {date:%B %Y, %H:%M} UTC"


def _item(entry: moderation.Entry, renderer: CommentRenderer, context: dict) -> Item:
    ref = f"{entry.slug}/{entry.id}"
    failure = context["failures"].get(ref)
    comment = entry.comment
    if comment is None:
        return Item(ref, entry.id, None, None, "", "", None, None,
                    problems=list(entry.error.problems) if entry.error else [], last_failure=failure)
    refused: list[_flags.Flag] = []
    try:
        rendered = renderer.render(comment.body)
    except BodyRefused as refusal:
        # The build would refuse it too: show why, and nothing as the preview.
        rendered, refused = "", [_flags.Flag("refused", f"the site would not publish it: {refusal}")]
    found = (refused + _flags.link_flags(comment.body, rendered) + _flags.name_flags(comment.author, context["clinic_names"])
             + _flags.hidden_flags(comment) + _flags.empty_flags(rendered)
             + _flags.repeated_flags(comment, context["published"], context["queued"])
             + _flags.burst_flags(comment.id, context["bursts"]))
    return Item(ref, comment.id, comment.author, comment.website, comment.date.isoformat(), when(comment.date),
                comment.replyto, rendered, found, last_failure=failure)


def _age(entry: moderation.Entry) -> tuple:
    """Sort key: the comment's date, then when its file was written (same second)."""
    date = entry.comment.date if entry.comment else _dt.datetime.min.replace(tzinfo=_dt.UTC)
    try:
        written = entry.path.stat().st_mtime_ns
    except OSError:
        written = 0
    return date, written


def pending_groups(settings: Settings, pages: dict[str, Page], bursts: dict[str, int],
                   failures: dict[str, str]) -> list[PageGroup]:
    """Queued comments, newest first, grouped by page (the page with the newest comment first)."""
    entries = moderation.entries(settings.queue_dir)
    queued: dict[str, list[str]] = collections.defaultdict(list)
    for entry in entries:
        if entry.comment is not None:
            queued[_flags.fingerprint(entry.comment.body)].append(f"{entry.slug}/{entry.id}")
    context = {"failures": failures, "clinic_names": settings.clinic_names, "bursts": bursts, "queued": queued,
               "published": _flags.published_fingerprints(settings.content_dir)}
    renderer = CommentRenderer()
    by_page: dict[str, list[Item]] = collections.defaultdict(list)
    for entry in sorted(entries, key=_age, reverse=True):
        by_page[entry.slug].append(_item(entry, renderer, context))
    groups = []
    for slug, items in by_page.items():
        page = pages.get(slug)
        url = page.absolute_url(settings.site_url) if page else None
        groups.append(PageGroup(slug, page.title if page and page.title else slug, url, items))
    return groups


def last_failures(records: list[Record]) -> dict[str, str]:
    """slug/id -> reason of the latest failed approval (cleared by a later success)."""
    found: dict[str, str] = {}
    for record in records:
        ref = f"{record.page}/{record.comment}"
        if record.action == "approve-failed":
            found[ref] = f"{when(record.time)}: {record.reason or 'no reason recorded'}"
        elif record.action in ("approve", "reject"):
            found.pop(ref, None)
    return found


def recent_approvals(records: list[Record], pages: dict[str, Page], site_url: str,
                     unpushed: dict[str, str] | None = None,
                     now: _dt.datetime | None = None) -> tuple[list[Done], list[Done]]:
    """(approved but not on the site yet, published) - newest first, from the audit
    log; ``unpushed`` says why an approval has not reached the git remote yet."""
    unpushed = unpushed or {}
    now = now or _dt.datetime.now(_dt.UTC)
    since = now - _dt.timedelta(days=RECENT_DAYS)
    waiting, published = [], []
    seen = set()
    for record in reversed(records):
        if record.action != "approve" or record.time < since or record.comment in seen:
            continue
        seen.add(record.comment)
        page = pages.get(record.page or "")
        title = page.title if page and page.title else (record.page or "unknown page")
        if page and record.comment in page.comment_ids:
            link = f"{page.absolute_url(site_url)}#comment-{record.comment}"
            published.append(Done(record.comment, title, when(record.time), record.moderator, link))
        else:
            reason = (f"not pushed to the site's repository yet: {unpushed[record.comment]}"
                      if record.comment in unpushed else "not on the site yet: it appears after the next site build")
            waiting.append(Done(record.comment, title, when(record.time), record.moderator, None, reason))
    return waiting[:RECENT_MAX], published[:RECENT_MAX]


def waiting_summary(queue_dir: Path, pages: dict[str, Page], site_url: str) -> Waiting:
    """How many comments wait on which page (for notices: no text, no names)."""
    counts = collections.Counter(path.parent.name for path in moderation.queued_paths(queue_dir))
    rows = []
    for slug, count in sorted(counts.items()):
        page = pages.get(slug)
        rows.append((page.title if page and page.title else slug, page.absolute_url(site_url) if page else None, count))
    return Waiting(rows)
