"""replace_atomically: a reader sees the old file or the new one, never half,
and a failed write leaves no temporary file behind."""

from __future__ import annotations

import os
import stat

import pytest

from comment_core.atomic import replace_atomically


def test_it_creates_folders_and_replaces_an_existing_file(tmp_path):
    target = tmp_path / "a" / "b" / "feed.xml"
    replace_atomically(target, b"first")
    replace_atomically(target, b"second", durable=True)
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["feed.xml"]


def test_mode_sets_the_permission_bits(tmp_path):
    target = replace_atomically(tmp_path / "feed.xml", b"x", mode=0o644)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "index.json"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        replace_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["index.json"]
