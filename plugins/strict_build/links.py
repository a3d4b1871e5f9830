"""Links between pages of this site must lead somewhere.

Pelican leaves an unresolved ``{filename}`` link in the page as written and
only logs a warning; a link to a missing ``#anchor`` is not checked at all.
Here every link in each page's text is checked against the site as written:
the file it names must exist in the content, the page must be in the output,
and the ``#fragment`` must be an id on that page.
"""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

# What Pelican leaves in an href it could not resolve: {filename}x, |static|x, …
_UNRESOLVED = re.compile(r"^(?:\{(?P<a>filename|static|attach|index|tag|category|author)\}|\|(?P<b>filename|static|attach)\|)(?P<target>.*)$")


class Parsed(NamedTuple):
    links: tuple[str, ...]
    ids: frozenset[str]


# `make devserver` builds many times in one process and most pages are the
# same each time; parsing every page again was most of a warm build's time.
# Keyed by a digest, so the pages' text is not kept.
_PARSED_KEPT = 4096
_parsed: dict[bytes, Parsed] = {}


def parse(html: str) -> Parsed:
    """href/src values and element ids of one HTML document or fragment.

    lexbor (selectolax) parses the written pages about 7x faster than
    html.parser (0.66 ms against 4.9 ms for a 66 KB guide page with 10
    comments), which took the link check from 2.8 s to 0.63 s (4.4x) of a 150-page
    cold production build (cProfile, 2026-12-04).
    """
    key = hashlib.blake2b(html.encode("utf-8"), digest_size=16).digest()
    found = _parsed.get(key)
    if found is None:
        tree = LexborHTMLParser(html)
        links = tuple(
            value for node in tree.css("[href], [src]")
            for name in ("href", "src") if (value := node.attributes.get(name)) is not None
        )
        ids = {node.attributes["id"] for node in tree.css("[id]")}
        ids |= {node.attributes["name"] for node in tree.css("a[name]")}
        if len(_parsed) >= _PARSED_KEPT:
            _parsed.clear()
        found = _parsed[key] = Parsed(links, frozenset(value for value in ids if value is not None))
    return found


def _unresolved_problem(match: re.Match, source_rel: str, known: list[str]) -> str:
    kind = match.group("a") or match.group("b")
    target = match.group("target").split("#")[0].split("?")[0]
    if kind in ("filename", "static", "attach"):
        base = "" if target.startswith("/") else posixpath.dirname(source_rel)
        wanted = posixpath.normpath(posixpath.join(base, unquote(target).lstrip("/")))
        if wanted in known:
            return None  # it exists but could not be read: that is reported already
        close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else "; check the path (relative to content/)"
        return f"link to '{wanted}' — no such file{hint}"
    return f"link '{match.group(0)}' — this site has no {kind} pages; link to a page with {{filename}}"


class SiteLinks:
    """The written site, to check the links of each page's text against."""

    def __init__(self, output: Path, siteurl: str, known_sources: list[str], unreadable_pages: bool = False):
        self.unreadable_pages = unreadable_pages
        self.output = output
        self.siteurl = siteurl.rstrip("/")
        self.known = sorted(known_sources)
        self._ids: dict[Path, frozenset[str] | None] = {}

    def ids_of(self, path: Path) -> frozenset[str] | None:
        if path not in self._ids:
            self._ids[path] = parse(path.read_text(encoding="utf-8")).ids if path.is_file() else None
        return self._ids[path]

    def problems(self, body_html: str, page_url: str, source_rel: str) -> list[str]:
        found = []
        for href in parse(body_html).links:
            message = self._check(href, page_url, source_rel)
            if message and message not in found:
                found.append(message)
        return found

    def _check(self, href: str, page_url: str, source_rel: str) -> str | None:
        match = _UNRESOLVED.match(href)
        if match:
            return _unresolved_problem(match, source_rel, self.known)
        site_path = self._site_path(href, page_url)
        if site_path is None:
            return None
        path, fragment = site_path
        target = self.output / (path + "index.html" if path.endswith("/") or not path else path)
        if not target.is_file():
            if self.unreadable_pages:
                return None  # probably a page that could not be read, reported already
            if path.startswith("drafts/"):
                return f"link to '/{path}' — that page is a draft (Status: draft), which is not published; publish it or remove the link"
            return f"link to '/{path}' — no page or file at that address on this site"
        if fragment and target.suffix == ".html":
            ids = self.ids_of(target) or set()
            if fragment not in ids:
                close = difflib.get_close_matches(fragment, sorted(ids), n=1, cutoff=0.6)
                hint = f"; did you mean '#{close[0]}'?" if close else ""
                shown = href if href.startswith("#") else f"/{path}#{fragment}"
                return f"link to '{shown}' — no heading or element with id '{fragment}' on '/{path}'{hint}"
        return None

    def _site_path(self, href: str, page_url: str) -> tuple[str, str] | None:
        """(path inside the output folder, fragment) for a link into this site, else None."""
        if self.siteurl and href.startswith(self.siteurl + "/"):
            href = href[len(self.siteurl):]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            return None
        if not parts.path:
            path = page_url
        elif parts.path.startswith("/"):
            path = parts.path.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), parts.path)).lstrip("/")
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
        return unquote(path), unquote(parts.fragment)
