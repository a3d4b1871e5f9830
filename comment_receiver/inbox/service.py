"""The inbox as one object: accounts, sessions, audit log, arrivals, notices,
and the moderation actions (through comment_receiver.moderation)."""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool

from comment_core.comment_file import ID_PATTERN, SLUG_PATTERN
from comment_core.site_index import Page, SiteIndexError

from .. import moderation
from ..settings import Settings
from ..site_index import SiteIndex
from . import listing
from .accounts import Accounts
from .arrivals import Arrivals
from .audit import AuditLog
from .auth import LoginLimiter, Sessions
from .notify import Notifier, Waiting

logger = logging.getLogger("comment_receiver.inbox")


class Inbox:
    def __init__(self, settings: Settings, index: SiteIndex):
        self.settings = settings
        self.index = index
        self.accounts = Accounts(settings.moderators_file)
        self.sessions = Sessions(self.accounts, settings.session_max_age)
        self.limiter = LoginLimiter(settings.login_rate_limit)
        self.audit = AuditLog(settings.inbox_dir / "audit.jsonl")
        self.arrivals = Arrivals(settings.inbox_dir / "arrivals.jsonl", settings.flood_limit)
        self.inbox_url = settings.public_url + "/moderate/"
        self.notifier = None
        if settings.smtp_url:
            self.notifier = Notifier(settings.smtp_url, settings.notify_every, self.waiting, self.inbox_url,
                                     settings.notify_from, settings.notify_to)
        self._acting = asyncio.Lock()

    # --- arrivals (called by the receiver after a comment is stored) -------------
    def comment_arrived(self, comment_id: str, client: str) -> None:
        try:
            self.arrivals.note(comment_id, client)
        except OSError as exc:  # a flag is lost, never the comment
            logger.error("could not note an arrival in %s: %s", self.arrivals.path, exc)
        if self.notifier is not None:
            self.notifier.poke()

    def waiting(self) -> Waiting:
        try:
            pages = self.index.pages()
        except SiteIndexError:
            pages = {}
        return listing.waiting_summary(self.settings.queue_dir, pages, self.settings.site_url)

    # --- what the inbox shows --------------------------------------------------------
    def view(self, pages: dict[str, Page]):
        """(pending groups, approved waiting, published recently)."""
        records = self.audit.records()
        groups = listing.pending_groups(self.settings, pages, self.arrivals.bursts(), listing.last_failures(records))
        waiting, published = listing.recent_approvals(records, pages, self.settings.site_url, self._unpushed())
        return groups, waiting, published

    def _unpushed(self) -> dict[str, str]:
        """git mode: comment id -> why its approval has not reached the remote yet."""
        if self.settings.publish != "git":
            return {}
        waiting, _published = moderation.publication_status(self.settings)
        return {w.comment.id: w.last_error or "waiting for its turn to be pushed" for w in waiting}

    # --- actions ---------------------------------------------------------------------
    async def act(self, moderator: str, action: str, refs: list[str]) -> list[tuple[bool, str]]:
        """Approve or reject each comment; one (succeeded, what happened) per comment."""
        results = []
        async with self._acting:  # one action at a time: two moderators never race on a file
            for ref in dict.fromkeys(refs):
                results.append(await run_in_threadpool(self._act_one, moderator, action, ref))
        return results

    def _act_one(self, moderator: str, action: str, ref: str) -> tuple[bool, str]:
        slug, _, comment_id = ref.rpartition("/")
        if not (SLUG_PATTERN.fullmatch(slug) and ID_PATTERN.fullmatch(comment_id)):
            return False, f"Nothing was done with {ref[:100]!r}: it is not a comment of the queue."
        try:
            if action == "approve":
                done = moderation.approve(self.settings.queue_dir, self.settings.content_dir, ref,
                                          moderator=moderator, settings=self.settings)
                who = done.comment.author
            else:
                _path, comment = moderation.reject(self.settings.queue_dir, ref)
                who = comment.author if comment else "an unreadable file"
        except moderation.ModerationError as exc:
            reason = str(exc).split(" Run `python -m comment_receiver list`")[0]
            self.audit.write(moderator, f"{action}-failed", comment_id, slug, reason)
            return False, f"Could not {action} {ref}: {reason}"
        self.audit.write(moderator, action, comment_id, slug)
        verb = "Approved" if action == "approve" else "Rejected"
        said = f"{verb} the comment by {who} on page {slug} ({comment_id})."
        if action == "approve" and done.waiting_reason:
            said += f" It is not published yet ({done.waiting_reason}); the receiver keeps trying."
        return True, said
