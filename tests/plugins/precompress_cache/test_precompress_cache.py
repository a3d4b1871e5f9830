"""precompress_cache: same bytes as pelican-precompress, compressed once, pruned."""

from __future__ import annotations

import os
import time

import brotli

from pelican.plugins import precompress

import precompress_cache


def test_a_cached_result_is_the_compressors_own_output_and_is_reused(tmp_path):
    original = precompress.compress_with_brotli
    calls = []

    def counting(data):
        calls.append(data)
        return original(data)

    cached = precompress_cache._cached(counting, "compress_with_brotli", tmp_path)
    data = b"restless legs " * 200
    first = cached(data)
    second = cached(data)
    assert first == second == original(data)
    assert brotli.decompress(first) == data
    assert len(calls) == 1, "the second call must come from the cache"


def test_entries_unused_for_the_maximum_age_are_pruned(tmp_path):
    old = tmp_path / "compress_with_gzip" / "ab" / "ab01"
    fresh = tmp_path / "compress_with_gzip" / "cd" / "cd01"
    for entry in (old, fresh):
        entry.parent.mkdir(parents=True)
        entry.write_bytes(b"x")
    long_ago = time.time() - 40 * 86400
    os.utime(old, (long_ago, long_ago))
    assert precompress_cache.prune(tmp_path, 30) == 1
    assert not old.exists() and fresh.exists()
