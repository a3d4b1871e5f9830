"""Remember pelican-precompress's output between builds.

pelican-precompress compresses every text file with brotli at quality 11 on
every build: on a large site that is most of the production build's time,
even when nothing changed. This plugin keeps each compressed result in the
build cache (CACHE_PATH/precompress/), keyed by the SHA-256 of the input and
the algorithm, so an unchanged file is compressed once, ever. The output is
byte-identical to what the plugin writes without the cache.

How: pelican-precompress looks its compressor functions up in its own module
when a build starts and hands them to worker processes by name, so replacing
those module attributes (keeping their names) is enough. Listed in PLUGINS
before "pelican.plugins.precompress".

Settings: PRECOMPRESS_CACHE (default True) turns the cache off when False;
PRECOMPRESS_CACHE_MAX_AGE_DAYS (default 30): entries no build has used for that
long are deleted when a build starts, so the cache does not grow forever.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from pathlib import Path

from pelican import signals

from comment_core.atomic import replace_atomically
from strict_build import plugin_listed

_ALGORITHMS = ("compress_with_brotli", "compress_with_gzip")


def _cached(original, name: str, directory: Path):
    @functools.wraps(original)
    def compress(data: bytes) -> bytes:
        key = hashlib.sha256(data).hexdigest()
        entry = directory / name / key[:2] / key
        try:
            blob = entry.read_bytes()
        except FileNotFoundError:
            pass
        else:
            os.utime(entry)  # mark as used, for pruning
            return blob
        blob = original(data)  # may raise FileSizeIncrease: nothing to cache then
        # Worker processes write concurrently: write aside, then rename.
        replace_atomically(entry, blob)
        return blob

    compress.__wrapped_original__ = original
    return compress


def prune(directory: Path, max_age_days: float) -> int:
    """Delete entries unused for ``max_age_days``; return how many."""
    cutoff = time.time() - max_age_days * 86400
    removed = 0
    for entry in directory.glob("*/*/*"):
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
        except FileNotFoundError:  # another build pruned it first
            pass
    return removed


def install(pelican) -> None:
    """``initialized``: wrap the compressors once per build, with this build's cache path."""
    try:
        from pelican.plugins import precompress
    except ImportError:
        return
    # Handlers stay connected for the whole process once loaded: a build that
    # does not list this plugin gets pelican-precompress's own functions back.
    enabled = plugin_listed(pelican.settings, __name__) and pelican.settings.get("PRECOMPRESS_CACHE", True)
    directory = Path(pelican.settings["CACHE_PATH"]) / "precompress"
    for name in _ALGORITHMS:
        current = getattr(precompress, name)
        original = getattr(current, "__wrapped_original__", current)
        setattr(precompress, name, _cached(original, name, directory) if enabled else original)
    if enabled:
        prune(directory, float(pelican.settings.get("PRECOMPRESS_CACHE_MAX_AGE_DAYS", 30)))


def register() -> None:
    signals.initialized.connect(install)
