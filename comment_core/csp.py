"""The Content-Security-Policy, defined once for the site, the devserver and
the comment receiver's own pages.

No 'unsafe-inline' and no 'unsafe-eval' anywhere: an inline script or style is
allowed only by the hash of its exact text (:func:`hash_source`).
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

#: Every page of the site: its own files only, nothing from another host.
SITE_DIRECTIVES = {
    "default-src": "'self'",
    # data: only for images, for the inline page icon (FAVICON_DATA_URI), which
    # saves a request on a first visit; an image cannot run code, and comment
    # bodies allow no <img> at all.
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def allow_comment_endpoint(directives: dict, endpoint: str | None) -> dict:
    """Allow the comment receiver's origin as a form target (and for the optional
    script's fetch), nothing more. A same-origin path needs no change."""
    if not endpoint or not urlsplit(endpoint).scheme:
        return directives
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    return {**directives, "form-action": f"'self' {origin}", "connect-src": f"'self' {origin}"}


def hash_source(text: str) -> str:
    """The CSP source that allows exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def with_source(directives: dict, name: str, source: str) -> dict:
    """The directives with one more source added to ``name``."""
    current = directives.get(name)
    return {**directives, name: f"{current} {source}" if current else source}


def policy(directives: dict, *, header: bool = False) -> str:
    """The policy as one string. frame-ancestors only works as a header
    (browsers ignore it in <meta> and log an error), so only the header has it."""
    if header:
        directives = {**directives, "frame-ancestors": "'none'"}
    return "; ".join(f"{name} {value}" for name, value in directives.items())
