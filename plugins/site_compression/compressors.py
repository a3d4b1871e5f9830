"""The compressors and the result cache. No Pelican here: worker processes
import only this module's functions.

A format is (suffix, level): (".br", 11) or (".gz", 9). Output is
deterministic: brotli has no header, and zlib's gzip wrapper writes no file
name and a zero timestamp, so two builds of one input give the same bytes.
"""

from __future__ import annotations

import os
import tempfile
import time
import zlib
from pathlib import Path

import brotli

Format = tuple[str, int]


def compress(data: bytes, formats: tuple[Format, ...]) -> dict[str, bytes]:
    """Every format's result for ``data``, keyed by suffix."""
    results = {}
    for suffix, level in formats:
        if suffix == ".br":
            results[suffix] = brotli.compress(data, mode=brotli.MODE_TEXT, quality=level)
        else:
            compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            results[suffix] = compressor.compress(data) + compressor.flush()
    return results


def cache_tag(fmt: Format) -> str:
    """A cache folder name that changes whenever the bytes could change:
    algorithm, level and the library version that computes them."""
    suffix, level = fmt
    if suffix == ".br":
        return f"brotli-q{level}-{brotli.__version__}"
    return f"gzip-{level}-zlib{zlib.ZLIB_RUNTIME_VERSION}"


class ResultCache:
    """Compressed results on disk, one file per (format, input hash)."""

    def __init__(self, directory: Path | None, formats: tuple[Format, ...]):
        self.directory = directory
        self.formats = formats

    def _entry(self, fmt: Format, key: str) -> Path:
        return self.directory / cache_tag(fmt) / key[:2] / key

    def get(self, key: str) -> dict[str, bytes] | None:
        """All formats' results for the input with SHA-256 ``key``, or None."""
        if self.directory is None:
            return None
        results = {}
        for fmt in self.formats:
            entry = self._entry(fmt, key)
            try:
                results[fmt[0]] = entry.read_bytes()
            except FileNotFoundError:
                return None
            os.utime(entry)  # marks it used, for pruning
        return results

    def put(self, key: str, results: dict[str, bytes]) -> None:
        if self.directory is None:
            return
        for fmt in self.formats:
            entry = self._entry(fmt, key)
            entry.parent.mkdir(parents=True, exist_ok=True)
            # Two builds may share a cache: write aside, then rename.
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(results[fmt[0]])
            os.replace(temporary, entry)

    def prune(self, max_age_days: float) -> int:
        """Delete entries unused for ``max_age_days``; return how many."""
        if self.directory is None or not self.directory.exists():
            return 0
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for entry in self.directory.glob("*/*/*"):
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
            except FileNotFoundError:  # another build pruned it first
                pass
        return removed
