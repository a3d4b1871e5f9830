"""Signs that help a moderator decide: links, look-alike names, hidden
characters, empty rendering, repeated text, bursts from one address.

Each check returns human-readable :class:`Flag` notes; none of them decides
anything on its own.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from confusable_homoglyphs import confusables

from comment_core.comment_file import COMMENT_SUFFIX, Comment, CommentFileError, read_comment

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Flag:
    kind: str  # links, impersonation, no-letters, hidden-characters, empty, repeated, burst
    text: str


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)

    def handle_data(self, data):
        self.text.append(data)


def _parse(rendered: str) -> _Links:
    parser = _Links()
    parser.feed(rendered)
    parser.close()
    return parser


def link_flags(body: str, rendered: str) -> list[Flag]:
    parsed = _parse(rendered)
    addresses = list(dict.fromkeys(parsed.hrefs + _URL.findall(body)))
    if not addresses:
        return []
    hosts = []
    for address in addresses:
        target = address if "://" in address or address.startswith("mailto:") else "http://" + address
        # Browsers read a backslash as "/" in web addresses: http://evil.example\@rls.example.org/ opens evil.example.
        target = target.replace("\\", "/")
        host = urlsplit(target).hostname or (target.split(":", 1)[1].rpartition("@")[2] if target.startswith("mailto:") else "")
        hosts.append(host or "?")
    hosts = sorted(set(hosts))
    count = len(addresses)
    return [Flag("links", f"{count} link{'s' if count != 1 else ''} to {', '.join(hosts)}")]


def skeleton(text: str) -> str:
    """Lower-case ASCII letters only, after NFKC and folding look-alike letters
    (Cyrillic 'а', Greek 'ο', fullwidth...) to the Latin letters they imitate."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        if not (ch.isascii() and ch.isalpha()):
            ch = _latin_lookalike(ch)
        if ch.isascii() and ch.isalpha():
            out.append(ch.lower())
    return "".join(out)


def _latin_lookalike(ch: str) -> str:
    """The ASCII letter ``ch`` imitates ('0' -> 'O', Cyrillic 'а' -> 'a', 'é' -> 'e'), else ``ch``."""
    if ch.isspace():
        return ch
    found = confusables.is_confusable(ch, preferred_aliases=["latin"])
    for glyph in found[0]["homoglyphs"] if found else []:
        if glyph["c"].isascii() and glyph["c"].isalpha():
            return glyph["c"]
    return unicodedata.normalize("NFKD", ch)[0]


def name_flags(author: str, clinic_names: tuple[str, ...]) -> list[Flag]:
    flags = []
    folded = skeleton(author)
    for name in clinic_names:
        target = skeleton(name)
        if target and target in folded:
            flags.append(Flag("impersonation", f"the name looks like “{name}”"))
            break
    if not any(unicodedata.category(ch).startswith("L") for ch in author):
        flags.append(Flag("no-letters", "the name has no visible letters"))
    return flags


def hidden_characters(text: str) -> list[str]:
    """Names of invisible formatting and bidi characters in ``text``."""
    found = []
    for ch in text:
        if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Zl", "Zp") and ch not in "\n\t\u200d":
            found.append(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}")
    return list(dict.fromkeys(found))


def hidden_flags(comment: Comment) -> list[Flag]:
    found = hidden_characters(comment.author) + hidden_characters(comment.body)
    if not found:
        return []
    return [Flag("hidden-characters", "invisible or bidi characters: " + ", ".join(dict.fromkeys(found)))]


def empty_flags(rendered: str) -> list[Flag]:
    visible = "".join(_parse(rendered).text)
    if not "".join(ch for ch in visible if not ch.isspace() and unicodedata.category(ch) != "Cf"):
        return [Flag("empty", "the text renders to nothing visible")]
    return []


def fingerprint(body: str) -> str:
    """Same text modulo case, width and spacing -> same fingerprint."""
    text = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def published_fingerprints(content_dir: Path) -> dict[str, str]:
    """fingerprint -> "slug/id" of one published comment with that text."""
    found: dict[str, str] = {}
    if not content_dir.is_dir():
        return found
    for path in sorted(content_dir.glob(f"*/*{COMMENT_SUFFIX}")):
        try:
            comment = read_comment(path)
        except CommentFileError:
            continue
        found.setdefault(fingerprint(comment.body), f"{comment.slug}/{comment.id}")
    return found


def repeated_flags(comment: Comment, published: dict[str, str], queued: dict[str, list[str]]) -> list[Flag]:
    """The same text already published, or queued under another id."""
    key = fingerprint(comment.body)
    flags = []
    if key in published:
        flags.append(Flag("repeated", f"the same text was published before ({published[key]})"))
    others = [ref for ref in queued.get(key, []) if ref != f"{comment.slug}/{comment.id}"]
    if others:
        flags.append(Flag("repeated", f"the same text is waiting under {', '.join(others)}"))
    return flags


def burst_flags(comment_id: str, bursts: dict[str, int]) -> list[Flag]:
    if comment_id in bursts:
        return [Flag("burst", f"{bursts[comment_id]} comments came from one address within an hour")]
    return []
