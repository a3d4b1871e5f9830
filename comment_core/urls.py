"""The one rule for addresses in comments, used by the receiver (the website
field) and by the build (the website field and every link in a comment's text):
what the receiver refuses, the build never links.

An address is accepted only as an absolute http or https URL with a host name,
no user name or password (``https://our-guide@evil.example`` reads as our
site, opens another), a valid port, and only characters a URL may carry
unencoded (RFC 3986, plus printable non-ASCII for international names): no
space, quote, angle bracket, backslash (browsers read ``\\`` as ``/``, so
``http://evil.example\\@rls.example.org`` opens evil.example), invisible or
control character. Links in a comment's text may also be ``mailto:`` addresses.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Characters RFC 3986 allows in a URL, percent-escapes included, and non-ASCII.
#: The rest of ASCII (space, ", <, >, \, ^, `, {, |, }, controls) is refused
#: rather than guessed at: an address bar encodes them when a link is copied.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%\u00a1-\U0010ffff]+")
_MAILTO = re.compile(r"mailto:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", re.IGNORECASE)


def web_url(value: str | None) -> str | None:
    """``value`` if it is an http or https address we link, else None."""
    if not value or not _URL_CHARACTERS.fullmatch(value) or not value.isprintable():
        return None  # isprintable: no invisible format character (U+200B, U+202E…) either
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    return value


def link_url(value: str | None) -> str | None:
    """``value`` if a comment's text may link it: a web address or a mailto: address."""
    if value and _MAILTO.fullmatch(value):
        return value
    return web_url(value)
