"""Publishing approved comments through git (RECEIVER_PUBLISH=git).

The receiver runs inside a clone of the site's repository. An approval is
first recorded durably in the outbox (:mod:`.outbox`), then the comment file
is written into the content folder of the clone, committed (author: the
moderator; message ``Approve comment <id> on <slug>``) and pushed; the site's
workflow builds and deploys it. A remote that cannot be reached leaves the
approval waiting: :class:`PublishWorker` retries with backoff, also after a
restart. Each step checks what is already done (file on disk, file in HEAD,
commit on the remote), so a retry after a crash never commits twice.
"""

from __future__ import annotations

import getpass
import logging
import threading
from dataclasses import dataclass

from comment_core.comment_file import COMMENT_SUFFIX, Comment, CommentFileError, write_comment_atomic

from .gitrepo import GitError, Repository
from .outbox import Outbox, Published, Waiting
from .settings import Settings

logger = logging.getLogger("comment_receiver.publish")


def default_moderator() -> str:
    """The commit author when the moderator gives no name: the OS user."""
    try:
        return getpass.getuser() or "moderator"
    except (KeyError, OSError):
        return "moderator"


def commit_message(comment: Comment) -> str:
    return f"Approve comment {comment.id} on {comment.slug}"


@dataclass(frozen=True)
class Outcome:
    """What became of one approval: published (with its commit) or still waiting (with the reason)."""

    published: Published | None
    reason: str | None = None


class GitPublisher:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.content_dir = settings.content_dir
        self.outbox = Outbox(settings.publish_state_dir)

    def approve(self, comment: Comment, remove_from_queue, moderator: str | None) -> Outcome:
        """Record the approval, take the file out of the queue, try to publish now."""
        with self.outbox.lock():
            if not self.outbox.holds(comment):
                self.outbox.add(comment, moderator or default_moderator())
            remove_from_queue()
            item = next(w for w in self.outbox.waiting() if w.id == comment.id and w.slug == comment.slug)
            return self._attempt(item)

    def publish_waiting(self) -> list[Outcome]:
        """Try every approval still waiting, oldest first; stop at the first
        unreachable remote (the others would fail the same way)."""
        outcomes = []
        with self.outbox.lock():
            for item in self.outbox.waiting():
                outcome = self._attempt(item)
                outcomes.append(outcome)
                if outcome.published is None:
                    break
        return outcomes

    def waiting(self) -> list[Waiting]:
        return self.outbox.waiting()

    def refresh(self) -> None:
        """Bring the clone up to date with the remote (comments another receiver
        published, e.g. the parent of a reply); unreachable is not an error here."""
        with self.outbox.lock():
            try:
                repo = Repository.containing(self.content_dir)
                repo.repair()
                branch = self.settings.git_branch or repo.current_branch()
                repo.fetch(self.settings.git_remote, branch)
                repo.run("rebase", "--quiet", "FETCH_HEAD")
            except GitError as exc:
                logger.warning("could not update %s from %s: %s", self.content_dir, self.settings.git_remote, exc)

    def recent(self, limit: int = 20) -> list[Published]:
        return self.outbox.recent(limit)

    def _attempt(self, item: Waiting) -> Outcome:
        try:
            commit = self._publish(item)
        except (GitError, OSError, CommentFileError) as exc:
            reason = str(exc)
            logger.warning("comment %s on %s approved but not published yet: %s", item.id, item.slug, reason)
            self.outbox.note_failure(item, reason)
            return Outcome(None, reason)
        done = self.outbox.mark_published(item, commit)
        logger.info("published comment %s on %s in commit %s", item.id, item.slug, commit[:12])
        return Outcome(done)

    def _publish(self, item: Waiting) -> str:
        repo = Repository.containing(self.content_dir)
        repo.repair()
        branch = self.settings.git_branch or repo.current_branch()
        target = self.content_dir / item.slug / f"{item.id}{COMMENT_SUFFIX}"
        relative = target.resolve().relative_to(repo.work_tree.resolve()).as_posix()
        if not target.exists():
            write_comment_atomic(target.parent, item.comment)
        blob = repo.blob_of(target)
        committed = repo.tracked_blob(relative)
        if committed is None:
            repo.commit_file(relative, commit_message(item.comment), item.moderator)
        elif committed != blob:
            raise GitError(f"{relative} is already in the repository with different content; compare and fix by hand")
        repo.push(self.settings.git_remote, branch)
        return repo.run("log", "-1", "--format=%H", "--", relative)


class PublishWorker:
    """Background thread retrying waiting approvals with exponential backoff."""

    def __init__(self, publisher: GitPublisher, first_delay: float, max_delay: float):
        self.publisher = publisher
        self.first_delay = first_delay
        self.max_delay = max_delay
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="comment-publisher", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Retry now (e.g. a moderator asked for it)."""
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        delay = self.first_delay
        while not self._stop.is_set():
            try:
                outcomes = self.publisher.publish_waiting()
            except Exception:  # a bug must not kill the retries; it is logged with its traceback
                logger.exception("publishing approved comments failed")
                outcomes = [Outcome(None, "error")]
            if any(o.published is None for o in outcomes):
                wait, delay = delay, min(delay * 2, self.max_delay)
            else:
                # Also when nothing waits: the command line (another process)
                # may leave an approval waiting that this thread should retry.
                wait = delay = self.first_delay
            self._wake.wait(wait)
            self._wake.clear()


def publisher_for(settings: Settings) -> GitPublisher | None:
    """The git publisher when RECEIVER_PUBLISH=git, else None (files mode)."""
    return GitPublisher(settings) if settings.publish == "git" else None


def start_publish_worker(settings: Settings) -> PublishWorker | None:
    """In git mode, start retrying approvals that are waiting (left by a
    restart, an unreachable remote or the command line); None otherwise."""
    publisher = publisher_for(settings)
    if publisher is None:
        return None
    worker = PublishWorker(publisher, settings.publish_retry, settings.publish_retry_max)
    worker.start()
    return worker


def publication_status(settings: Settings, limit: int = 20) -> tuple[list[Waiting], list[Published]]:
    """(approved but waiting to be published, with the last failure; published recently)."""
    publisher = GitPublisher(settings)
    return publisher.waiting(), publisher.recent(limit)
