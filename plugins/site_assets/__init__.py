"""Bundle, fingerprint and (in production) minify the site's CSS, JS and HTML.

The theme and plugins each keep their own readable CSS; visitors get exactly one
stylesheet with a content hash in its name, so a host can cache it for a year
and a change can never be served stale. See README.md for the settings.
"""

from .plugin import register

__all__ = ["register"]
