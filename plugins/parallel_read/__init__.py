"""Parse the Markdown of every changed source file across the machine's cores.

Pelican reads files one after another in one process; Markdown is most of that
time. Before the article and page generators read anything, this plugin has
worker processes run Pelican's own reader on every file its content cache does
not hold, and stores the results in that cache (Pelican's public
``cache_data``), so Pelican then finds each file already parsed. Everything
after parsing (typogrify, metadata from the path, every plugin signal) still
runs in Pelican, in order, so the output is the same as without the plugin.
See README.md.
"""

from .plugin import register

__all__ = ["register"]
