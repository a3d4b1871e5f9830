"""Group commit: every comment ends up complete under its own name, concurrent
writers share folder fsyncs, and nobody is answered before an fsync that
began after their comment was linked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from comment_core.comment_file import Comment, format_comment, read_comment
from comment_core.group_commit import GroupCommitter, fsync_directory_strict

WHEN = dt.datetime(2026, 5, 4, 18, 22, tzinfo=dt.UTC)


def comment(n: int, slug: str = "guide") -> Comment:
    return Comment(id=f"20260504T182200Z-{n:08x}", slug=slug, author=f"Reader {n}", date=WHEN,
                   replyto=None, website=None, body=f"Example comment {n}.")


def test_concurrent_writers_get_their_own_complete_files(tmp_path):
    committer = GroupCommitter()
    with ThreadPoolExecutor(16) as pool:
        paths = list(pool.map(lambda n: committer.write(tmp_path / f"page-{n % 3}", comment(n, f"page-{n % 3}")),
                              range(60)))
    for n, path in enumerate(paths):
        assert path == tmp_path / f"page-{n % 3}" / f"{comment(n).id}.md"
        assert path.read_text(encoding="utf-8") == format_comment(comment(n, f"page-{n % 3}"))
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(p.name for p in paths), "no temp file left"


def test_writers_that_arrive_during_an_fsync_share_the_next_one(tmp_path):
    calls, order = [], []
    lock = threading.Lock()

    def slow_fsync(folder):
        calls.append(folder)
        if len(calls) == 1:
            time.sleep(0.3)  # the first fsync is slow: everyone else arrives meanwhile
        fsync_directory_strict(folder)

    committer = GroupCommitter(fsync_folder=slow_fsync)
    (tmp_path / "guide").mkdir()
    barrier = threading.Barrier(12)

    def writer(n):
        barrier.wait()
        path = committer.write(tmp_path / "guide", comment(n))
        with lock:
            order.append(path)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(order) == 12
    assert committer.folder_syncs <= 3, "writers that arrived during an fsync share the next one"


def test_a_taken_id_fails_alone_and_never_overwrites(tmp_path):
    committer = GroupCommitter()
    first = committer.write(tmp_path, comment(1))
    with pytest.raises(FileExistsError):
        committer.write(tmp_path, dataclasses.replace(comment(1), author="Second"))
    assert read_comment(first).author == "Reader 1"
    assert committer.write(tmp_path, comment(2)).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_fsync_is_raised_to_every_writer_it_would_have_covered(tmp_path):
    def broken(folder):
        raise OSError(5, "Input/output error")

    committer = GroupCommitter(fsync_folder=broken)
    with pytest.raises(OSError, match="Input/output error"):
        committer.write(tmp_path / "guide", comment(1))


def test_a_new_slug_folder_is_made_durable_in_its_parent_too(tmp_path):
    synced = []
    committer = GroupCommitter(fsync_folder=synced.append)
    committer.write(tmp_path / "queue" / "new-page", comment(1, "new-page"))
    committer.write(tmp_path / "queue" / "new-page", comment(2, "new-page"))
    assert synced == [tmp_path / "queue" / "new-page", tmp_path / "queue", tmp_path / "queue" / "new-page"]
