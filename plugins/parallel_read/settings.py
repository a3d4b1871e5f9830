"""Every setting of parallel_read, read and validated in one place.

PARALLEL_READ_WORKERS   worker processes. Default: os.cpu_count().
PARALLEL_READ_MIN_FILES fewer files to parse than this are parsed by Pelican
                        itself (starting workers costs more). Default: 8.

The plugin only acts when Pelican's reader cache is written
(CACHE_CONTENT = True, CONTENT_CACHING_LAYER = "reader", the default layer):
the cache is how results reach Pelican.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class ParallelReadSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class ParallelReadSettings:
    workers: int
    min_files: int
    enabled: bool


def _whole(settings: dict, name: str, default: int, low: int) -> int:
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ParallelReadSettingsError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return value


def read_settings(settings: dict) -> ParallelReadSettings:
    enabled = bool(settings.get("CACHE_CONTENT")) and settings.get("CONTENT_CACHING_LAYER", "reader") == "reader"
    return ParallelReadSettings(
        workers=_whole(settings, "PARALLEL_READ_WORKERS", os.cpu_count() or 1, 1),
        min_files=_whole(settings, "PARALLEL_READ_MIN_FILES", 8, 1),
        enabled=enabled,
    )
