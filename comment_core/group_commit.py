"""Durable comment writes that share their directory fsyncs (group commit).

Every accepted comment must be on disk before the visitor is told so: its text
fsync'ed in a temporary file, linked to its final name, and the folder fsync'ed
so the new name survives a crash. The first two are per comment; the folder
fsync is not: one fsync covers every name linked into the folder before it
started. So a thread that needs the folder synced either starts an fsync
itself (and then covers everyone who registered before it began) or waits for
the one in progress and, if that started too early for it, for the next.
Under load, many comments share one folder fsync; a lone comment waits for
nobody. "Acknowledged means on disk" holds exactly as with write_comment_atomic:
``write`` returns only after an fsync that began after this comment's link.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .comment_file import Comment, link_into_place, stage_comment


@dataclass
class _Folder:
    registered: int = 0  # comments linked into the folder and waiting
    synced: int = 0  # every registration up to this one is durable
    syncing: bool = False


def fsync_directory_strict(directory: Path) -> None:
    """fsync a folder; unlike comment_file.fsync_directory an fsync error is
    raised, because a comment whose name may not be on disk must not be
    acknowledged. Where folders cannot be opened (Windows) there is nothing to do."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class GroupCommitter:
    """Thread-safe durable writes; call ``write`` from worker threads."""

    def __init__(self, fsync_folder=fsync_directory_strict):
        self._fsync_folder = fsync_folder
        self._condition = threading.Condition()
        self._folders: dict[Path, _Folder] = {}
        self.folder_syncs = 0  # how many folder fsyncs ran (benchmarks and tests read it)

    def write(self, directory: os.PathLike | str, comment: Comment) -> Path:
        """Write ``comment`` as ``directory/<id>.md``; return once it is durable.
        Raises FileExistsError if its id is taken, OSError if the disk fails."""
        staged = stage_comment(directory, comment)
        final = link_into_place(staged)
        for folder in staged.folders_to_sync():
            self.sync_folder(folder)
        return final

    def sync_folder(self, folder: Path) -> None:
        """Return once an fsync of ``folder`` that began after this call has ended."""
        with self._condition:
            state = self._folders.setdefault(folder, _Folder())
            state.registered += 1
            ticket = state.registered
            while state.synced < ticket:
                if state.syncing:
                    self._condition.wait()
                else:
                    self._lead_sync(folder, state)

    def _lead_sync(self, folder: Path, state: _Folder) -> None:
        """fsync for everyone registered so far (called with the lock held)."""
        state.syncing = True
        covered = state.registered
        self._condition.release()
        try:
            self._fsync_folder(folder)
        finally:
            self._condition.acquire()
            state.syncing = False
            self._condition.notify_all()
        # Only reached when the fsync succeeded; on an error the waiting
        # threads each try again and report their own failure.
        state.synced = max(state.synced, covered)
        self.folder_syncs += 1
