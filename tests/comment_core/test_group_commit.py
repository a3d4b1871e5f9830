"""Group commit: every comment ends up complete under its own name, a failure
stays with its comment, and acknowledgements wait for the batch's fsync."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import threading

import pytest

from comment_core.comment_file import Comment, format_comment, read_comment, stage_comment
from comment_core.group_commit import GroupCommitter

WHEN = dt.datetime(2026, 5, 4, 18, 22, tzinfo=dt.timezone.utc)


def comment(n: int, slug: str = "guide", comment_id: str | None = None) -> Comment:
    return Comment(id=comment_id or f"20260504T182200Z-{n:08x}", slug=slug, author=f"Reader {n}", date=WHEN,
                   replyto=None, website=None, body=f"Example comment {n}.")


def test_concurrent_writers_get_their_own_complete_files_in_fewer_batches(tmp_path):
    committer = GroupCommitter()
    staged = [stage_comment(tmp_path / f"page-{n % 3}", comment(n, f"page-{n % 3}")) for n in range(30)]
    futures = [committer.commit(s) for s in staged]
    paths = [future.result(timeout=10) for future in futures]
    committer.close()
    for n, path in enumerate(paths):
        assert path == tmp_path / f"page-{n % 3}" / f"{comment(n).id}.md"
        assert path.read_text(encoding="utf-8") == format_comment(comment(n, f"page-{n % 3}"))
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(p.name for p in paths), "no temp file left"
    assert committer.batches < 30, "waiting comments are committed together"


def test_a_taken_id_fails_alone_and_never_overwrites(tmp_path):
    committer = GroupCommitter()
    first = stage_comment(tmp_path, comment(1, comment_id="20260504T182200Z-00000001"))
    clash = stage_comment(tmp_path, dataclasses.replace(comment(2), id="20260504T182200Z-00000001", author="Second"))
    other = stage_comment(tmp_path, comment(3))
    futures = [committer.commit(s) for s in (first, clash, other)]
    assert futures[0].result(timeout=10).exists() and futures[2].result(timeout=10).exists()
    with pytest.raises(FileExistsError):
        futures[1].result(timeout=10)
    committer.close()
    assert read_comment(first.final).author == "Reader 1"
    assert not clash.temporary.exists()


def test_write_and_write_async_return_only_durable_paths_and_close_drains_the_queue(tmp_path):
    committer = GroupCommitter()
    assert committer.write(tmp_path / "a", comment(1, "a")).exists()

    async def many():
        return await asyncio.gather(*(committer.write_async(tmp_path / "b", comment(n, "b")) for n in range(10)))

    assert all(path.exists() for path in asyncio.run(many()))
    late = committer.commit(stage_comment(tmp_path / "c", comment(99, "c")))
    committer.close()
    assert late.done() and late.result().exists()
    assert not any(t.name == "comment-group-commit" for t in threading.enumerate())


def test_a_new_slug_folder_is_made_durable_in_its_parent_too(tmp_path):
    staged = stage_comment(tmp_path / "queue" / "new-page", comment(1, "new-page"))
    assert staged.folders_to_sync() == [tmp_path / "queue" / "new-page", tmp_path / "queue"]
    again = stage_comment(tmp_path / "queue" / "new-page", comment(2, "new-page"))
    assert again.folders_to_sync() == [tmp_path / "queue" / "new-page"]
