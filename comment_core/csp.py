"""The response headers, defined once: the Content-Security-Policy and the other
security headers of the site (its meta tag, `_headers`, the nginx include the
build writes), the devserver and the comment receiver's own pages.

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


#: Sent with every response beside its CSP, by every host that can send headers.
#: HSTS for a year without includeSubDomains: other hosts of the clinic's domain
#: may not serve HTTPS, and each of ours sends its own. Browsers ignore it over HTTP.
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def response_headers(directives: dict, **replaced: str) -> dict:
    """Every security header of a response whose policy is ``directives``.
    ``replaced`` maps a header of :data:`SECURITY_HEADERS`, as a keyword
    (``Referrer_Policy="no-referrer"``), to the value this response needs."""
    replaced = {name.replace("_", "-"): value for name, value in replaced.items()}
    unknown = set(replaced) - set(SECURITY_HEADERS)
    if unknown:
        raise ValueError(f"not a security header: {', '.join(sorted(unknown))}")
    return {"Content-Security-Policy": policy(directives, header=True), **SECURITY_HEADERS, **replaced}


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
