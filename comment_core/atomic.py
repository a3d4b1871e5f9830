"""Replacing a file so that a reader sees the old content or the new, never half.

Used for everything the build and the receiver rewrite in place: caches, feeds,
the site index, the publishing outbox. (A new comment is written differently,
by :func:`comment_core.comment_file.write_comment_atomic`, which must never
replace an existing file.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def replace_atomically(path: os.PathLike | str, data: bytes, *, durable: bool = False, mode: int | None = None) -> Path:
    """Write ``data`` beside ``path``, then rename it over ``path``.

    ``durable`` also fsyncs the file and its folder, for state that must survive
    a power cut (an acknowledged approval); caches do without. ``mode`` sets the
    permission bits (mkstemp creates files readable by the owner only).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable:
        fsync_directory(target.parent)
    return target


def fsync_directory(directory: os.PathLike | str, *, strict: bool = False) -> None:
    """fsync a directory so a new, renamed or removed entry in it is durable;
    a no-op where directories cannot be opened (Windows). ``strict`` raises an
    fsync error: a comment whose name may not be on disk must not be
    acknowledged. Elsewhere (clean-ups after the fact) the error is ignored."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        if strict:
            raise
    finally:
        os.close(fd)
