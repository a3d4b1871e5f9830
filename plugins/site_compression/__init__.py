"""Write .br and .gz copies of every text file, in parallel, each computed once.

Hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``)
send these instead of compressing on every request. Brotli at quality 11 is the
slowest step of a production build, so this plugin:

- compresses in worker processes across the machine's cores, starting while
  Pelican is still writing pages (a page is handed over as soon as the next one
  is written, when every handler of its ``content_written`` signal has run);
- keeps every result in the build cache keyed by the SHA-256 of the input and
  the compression settings, so an unchanged file is compressed once, ever;
- checks every file again after the last plugin changed it (the granular
  ``compress`` signal, after ``finalized``, ``minify`` and ``optimize``), so the
  output never depends on plugin order or on what was compressed early;
- removes stale .br/.gz files and writes only files whose bytes changed.

See README.md for the settings.
"""

from .plugin import register

__all__ = ["register"]
