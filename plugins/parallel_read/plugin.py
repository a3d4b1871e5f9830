"""Signal wiring for parallel_read."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from pelican import signals
from pelican.readers import Readers, _filter_discardable_metadata
from pelican.utils import file_suffix

from .settings import read_settings

log = logging.getLogger(__name__)

# Set in the parent just before the workers are forked; each worker builds its
# own Readers from it once.
_settings_for_workers: dict = {}
_worker_readers: Readers | None = None


def _parse(path: str):
    """In a worker: what Pelican's read_file caches for ``path``."""
    global _worker_readers
    if _worker_readers is None:
        _worker_readers = Readers(_settings_for_workers)  # no cache name: caches nothing itself
    content, metadata = _worker_readers.readers[file_suffix(path)].read(path)
    # Pelican filters before caching; its discard marker is one object per process.
    return content, _filter_discardable_metadata(metadata)


def _uncached(generator, paths_setting: str, excludes_setting: str) -> list[str]:
    readers = generator.readers
    files = generator.get_files(generator.settings[paths_setting], exclude=generator.settings[excludes_setting])
    uncached = []
    for relative in sorted(files):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if file_suffix(path) in readers.readers and readers.get_cached_data(path, None) is None:
            uncached.append(path)
    return uncached


def _prefill(generator, paths_setting: str, excludes_setting: str) -> None:
    if "parallel_read" not in generator.settings.get("PLUGINS", []):
        return
    config = read_settings(generator.settings)
    # Workers are forked so they inherit the settings and every plugin's reader
    # hooks as they are now; where fork does not exist, Pelican reads alone.
    if not config.enabled or "fork" not in multiprocessing.get_all_start_methods():
        return
    paths = _uncached(generator, paths_setting, excludes_setting)
    if len(paths) < config.min_files:
        return
    start = time.perf_counter()
    _settings_for_workers.clear()
    _settings_for_workers.update(generator.settings)
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(paths) // (config.workers * 4))
    with ProcessPoolExecutor(max_workers=config.workers, mp_context=context) as pool:
        for path, result in zip(paths, pool.map(_parse, paths, chunksize=chunk), strict=True):
            generator.readers.cache_data(path, result)
    log.info("parallel_read: parsed %d files on %d workers in %.2f s",
             len(paths), config.workers, time.perf_counter() - start)


def prefill_articles(generator) -> None:
    """``article_generator_init``."""
    _prefill(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def prefill_pages(generator) -> None:
    """``page_generator_init``."""
    _prefill(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def register() -> None:
    signals.article_generator_init.connect(prefill_articles)
    signals.page_generator_init.connect(prefill_pages)
