"""Durable comment writes in batches (group commit).

Every accepted comment must be on disk before the visitor is told so. Written
one by one, each costs a file fsync and a directory fsync. Here each request
stages its comment itself (text in a fsync'ed temporary file: those fsyncs run
concurrently, in the caller's threads), then hands it to one committer thread,
which takes every staged comment waiting at that moment, links them all into
place, fsyncs each folder involved once, and only then resolves each comment's
future. A visitor is answered after the fsync that covers their comment, so
"acknowledged means on disk" holds exactly as with write_comment_atomic; a
batch is as large as the load makes it, so a lone comment waits for nobody.

A comment that cannot be written (its id is taken, the disk is full) fails
alone: its future raises, the rest of the batch goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from concurrent.futures import Future
from pathlib import Path

from .comment_file import Comment, StagedComment, link_into_place, stage_comment

logger = logging.getLogger(__name__)

_STOP = object()


class GroupCommitter:
    """One writer thread; ``write`` from any thread, ``write_async`` from asyncio."""

    def __init__(self, max_batch: int = 128):
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # how many group commits ran (for tests and benchmarks)

    def commit(self, staged: StagedComment) -> Future:
        """Queue a staged comment; the future gives its final path once it is
        durable under that name, or raises what linking or syncing raised."""
        future: Future = Future()
        self._ensure_thread()
        self._queue.put((staged, future))
        return future

    def write(self, directory: os.PathLike | str, comment: Comment) -> Path:
        """Stage ``comment`` in ``directory`` and wait until it is committed.
        Raises FileExistsError if its id is taken, OSError if the disk fails."""
        return self.commit(stage_comment(directory, comment)).result()

    async def write_async(self, directory: os.PathLike | str, comment: Comment) -> Path:
        staged = await asyncio.to_thread(stage_comment, directory, comment)
        return await asyncio.wrap_future(self.commit(staged))

    def close(self) -> None:
        """Write everything queued so far, then stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(_STOP)
            thread.join()

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="comment-group-commit", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[tuple[StagedComment, Future]]) -> None:
        linked: list[tuple[StagedComment, Future]] = []
        for staged, future in batch:
            if not future.set_running_or_notify_cancel():
                staged.temporary.unlink(missing_ok=True)
                continue
            try:
                link_into_place(staged)
            except Exception as exc:  # reported to that comment's writer only
                future.set_exception(exc)
                continue
            linked.append((staged, future))
        failed_folders = self._sync_folders(staged for staged, _ in linked)
        for staged, future in linked:
            error = failed_folders.get(staged.final.parent)
            if error is None:
                future.set_result(staged.final)
            else:
                future.set_exception(error)
        self.batches += 1

    @staticmethod
    def _sync_folders(staged_comments) -> dict[Path, OSError]:
        """fsync each folder once (and the parent of a new folder); return the
        folders whose fsync failed, so their comments are not acknowledged."""
        folders: dict[Path, list[Path]] = {}
        for staged in staged_comments:
            folders.setdefault(staged.final.parent, staged.folders_to_sync())
        failed = {}
        for folder, to_sync in folders.items():
            try:
                for path in to_sync:
                    _fsync_directory_strict(path)
            except OSError as exc:
                logger.error("could not make %s durable: %s", folder, exc)
                failed[folder] = exc
        return failed


def _fsync_directory_strict(directory: Path) -> None:
    """fsync_directory, but an fsync error is raised: a comment whose folder
    entry may not be on disk must not be acknowledged."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # e.g. Windows cannot open directories: nothing to sync
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
