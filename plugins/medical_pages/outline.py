"""The "On this page" outline, derived from the page's own h2/h3 headings."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_HEADING = re.compile(r'<h(?P<level>[23]) id="(?P<id>[^"]+)"[^>]*>(?P<text>.*?)</h(?P=level)>', re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class OutlineEntry:
    id: str
    text: str
    children: list[OutlineEntry] = field(default_factory=list)


def outline(content_html: str) -> list[OutlineEntry]:
    """Second-level headings, each with its third-level headings as children."""
    entries: list[OutlineEntry] = []
    for match in _HEADING.finditer(content_html):
        # Typogrify glues the last two words with a no-break space; in a narrow
        # outline that would force sideways scrolling on a phone.
        text = html.unescape(_TAGS.sub("", match.group("text"))).replace("\xa0", " ").strip()
        entry = OutlineEntry(match.group("id"), text)
        if match.group("level") == "2" or not entries:
            entries.append(entry)
        else:
            entries[-1].children.append(entry)
    return entries
