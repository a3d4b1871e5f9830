"""Every setting of site_compression, read and validated in one place.

COMPRESS_BROTLI               write .br files. Default: True.
COMPRESS_GZIP                 write .gz files. Default: True.
COMPRESS_BROTLI_QUALITY       0-11. Default: 11 (smallest files; hosts send them
                              for years, the build pays once per content change).
COMPRESS_GZIP_LEVEL           1-9. Default: 9.
COMPRESS_MIN_SIZE             files smaller than this many bytes are left alone.
                              Default: 20.
COMPRESS_EXTENSIONS           file name suffixes to compress. Default: the text
                              formats a static site serves (see DEFAULT_EXTENSIONS).
COMPRESS_WORKERS              worker processes. Default: os.cpu_count().
COMPRESS_CACHE                keep results in CACHE_PATH/compression. Default: True.
COMPRESS_CACHE_MAX_AGE_DAYS   cache entries no build used for this long are
                              deleted when a build starts. Default: 30.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_EXTENSIONS = (
    ".atom", ".css", ".htm", ".html", ".js", ".json", ".rss", ".svg", ".txt", ".xml", ".xsl",
)


class CompressionSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class CompressionSettings:
    brotli_quality: int | None  # None: no .br files
    gzip_level: int | None  # None: no .gz files
    min_size: int
    extensions: frozenset[str]
    workers: int
    cache: Path | None  # None: no cache
    cache_max_age_days: float


def _flag(settings: dict, name: str, default: bool) -> bool:
    value = settings.get(name, default)
    if not isinstance(value, bool):
        raise CompressionSettingsError(f"{name} must be True or False, got {value!r}")
    return value


def _integer(settings: dict, name: str, default: int, low: int, high: int) -> int:
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CompressionSettingsError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _extensions(settings: dict) -> frozenset[str]:
    value = settings.get("COMPRESS_EXTENSIONS", DEFAULT_EXTENSIONS)
    if isinstance(value, str) or not all(isinstance(e, str) and e.startswith(".") for e in value):
        raise CompressionSettingsError(
            f"COMPRESS_EXTENSIONS must be a list of suffixes starting with a dot, got {value!r}"
        )
    compressed = {".br", ".gz"} & set(value)
    if compressed:
        raise CompressionSettingsError(f"COMPRESS_EXTENSIONS must not list {sorted(compressed)}: those are the results")
    return frozenset(value)


def read_settings(settings: dict) -> CompressionSettings:
    cache = None
    if _flag(settings, "COMPRESS_CACHE", True):
        cache = Path(settings["CACHE_PATH"]) / "compression"
    max_age = settings.get("COMPRESS_CACHE_MAX_AGE_DAYS", 30)
    if isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or max_age <= 0:
        raise CompressionSettingsError(f"COMPRESS_CACHE_MAX_AGE_DAYS must be a positive number, got {max_age!r}")
    return CompressionSettings(
        brotli_quality=_integer(settings, "COMPRESS_BROTLI_QUALITY", 11, 0, 11)
        if _flag(settings, "COMPRESS_BROTLI", True) else None,
        gzip_level=_integer(settings, "COMPRESS_GZIP_LEVEL", 9, 1, 9)
        if _flag(settings, "COMPRESS_GZIP", True) else None,
        min_size=_integer(settings, "COMPRESS_MIN_SIZE", 20, 0, 2**31),
        extensions=_extensions(settings),
        workers=_integer(settings, "COMPRESS_WORKERS", os.cpu_count() or 1, 1, 256),
        cache=cache,
        cache_max_age_days=float(max_age),
    )
