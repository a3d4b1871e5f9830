"""Signal wiring for site_compression: early hand-over while pages are written,
the authoritative pass on the granular ``compress`` signal."""

from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import blinker
import pelican.plugins.granular_signals
from pelican import signals

from .compressors import ResultCache, compress
from .settings import CompressionSettings, read_settings

log = logging.getLogger(__name__)

_state: dict = {}


class Compression:
    """One build's compression: results by input hash, a lazily started pool."""

    def __init__(self, config: CompressionSettings):
        self.config = config
        self.formats = tuple(
            (suffix, level)
            for suffix, level in ((".br", config.brotli_quality), (".gz", config.gzip_level))
            if level is not None
        )
        self.cache = ResultCache(config.cache, self.formats)
        self.results: dict[str, Future | dict[str, bytes]] = {}
        self.pending: list[Path] = []
        self.pool: ProcessPoolExecutor | None = None
        self.counts = {"computed": 0, "cached": 0}

    def eligible(self, path: Path) -> bool:
        return path.suffix in self.config.extensions and path.is_file()

    def written(self, path: Path) -> None:
        """A file was written. Hand over the one written before it: every
        handler of that file's signal (a minifier, say) has finished with it."""
        for earlier in self.pending:
            self._read_and_schedule(earlier)
        self.pending = [path]

    def _read_and_schedule(self, path: Path) -> tuple[str, int] | None:
        if not self.formats or not self.eligible(path):
            return None
        data = path.read_bytes()
        if len(data) < self.config.min_size:
            return None
        key = hashlib.sha256(data).hexdigest()
        if key not in self.results:
            cached = self.cache.get(key)
            if cached is not None:
                self.results[key] = cached
                self.counts["cached"] += 1
            else:
                if self.pool is None:
                    self.pool = ProcessPoolExecutor(max_workers=self.config.workers)
                self.results[key] = self.pool.submit(compress, data, self.formats)
        return key, len(data)

    def _result(self, key: str) -> dict[str, bytes]:
        value = self.results[key]
        if isinstance(value, Future):
            value = value.result()
            self.cache.put(key, value)
            self.results[key] = value
            self.counts["computed"] += 1
        return value

    def finish(self, output: Path) -> None:
        """Compress every eligible file as it is now; write what changed,
        delete .br/.gz files that no longer belong to a file."""
        self.pending = []
        files = [p for p in output.rglob("*") if p.suffix in self.config.extensions]
        inputs = {path: self._read_and_schedule(path) for path in files}
        written: set[Path] = set()
        for path, scheduled in inputs.items():
            if scheduled is not None:
                key, size = scheduled
                written |= _write_smaller(path, size, self._result(key))
        _remove_stale(output, self.config.extensions, written)
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _write_smaller(path: Path, size: int, results: dict[str, bytes]) -> set[Path]:
    """Write each result that is smaller than the input; unchanged files are
    left untouched (their modification time too)."""
    written = set()
    for suffix, blob in results.items():
        if len(blob) >= size:
            continue
        destination = path.with_name(path.name + suffix)
        try:
            if destination.read_bytes() == blob:
                written.add(destination)
                continue
        except FileNotFoundError:
            pass
        destination.write_bytes(blob)
        written.add(destination)
    return written


def _remove_stale(output: Path, extensions: frozenset[str], written: set[Path]) -> None:
    """A .br/.gz next to a text file (or where one was) that this build did not
    write is stale: its original changed, shrank, or is gone. Archives such as
    data.tar.gz are not ours and stay."""
    for candidate in [*output.rglob("*.br"), *output.rglob("*.gz")]:
        original = candidate.with_suffix("")
        if original.suffix in extensions and candidate not in written:
            candidate.unlink()


def start_build(pelican_object) -> None:
    """``initialized``: a fresh state per build; prune the cache."""
    previous = _state.pop("compression", None)
    if previous is not None:
        previous.close()
    # Handlers stay connected for the rest of the process once loaded: a later
    # build that does not list this plugin must be left alone.
    if __package__ not in pelican_object.settings.get("PLUGINS", []):
        return
    config = read_settings(pelican_object.settings)
    compression = Compression(config)
    removed = compression.cache.prune(config.cache_max_age_days)
    if removed:
        log.info("site_compression: pruned %d unused cache entries", removed)
    _state["compression"] = compression


def file_written(path, **_context) -> None:
    """``content_written`` / ``feed_written``."""
    compression = _state.get("compression")
    if compression is not None:
        compression.written(Path(path))


def compress_output(pelican_object) -> None:
    """Granular ``compress`` signal: after ``finalized``, ``minify`` and ``optimize``."""
    compression = _state.pop("compression", None)
    if compression is None:
        return
    start = time.perf_counter()
    compression.finish(Path(pelican_object.output_path))
    log.info(
        "site_compression: %d inputs compressed, %d from the cache, final pass %.2f s",
        compression.counts["computed"], compression.counts["cached"], time.perf_counter() - start,
    )


def register() -> None:
    pelican.plugins.granular_signals.register()
    signals.initialized.connect(start_build)
    signals.content_written.connect(file_written)
    signals.feed_written.connect(file_written)
    blinker.signal("compress").connect(compress_output)
