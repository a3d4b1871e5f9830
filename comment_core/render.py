"""Comment bodies: Markdown in, allow-listed HTML out.

Two layers, so that a mistake in one is caught by the other:

1. Markdown is rendered with raw HTML switched off: ``<script>`` typed in a
   comment is shown as the text "<script>", never parsed as a tag. Headings
   become paragraphs (a comment must not break the page's heading order),
   images become their alt text, and links whose address is not
   http/https/mailto lose the link and keep the text.
2. The result goes through nh3 (ammonia) with the allow-list below. Anything
   else is removed; the content of script/style is dropped entirely.

Author names and other metadata are not HTML: templates escape them.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

#: Elements a comment body may contain.
ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
)
#: Attributes per element; `rel` on links is set by the sanitizer itself.
#: No attribute is allowed on every element (nh3 would otherwise keep
#: `title` and `lang` everywhere).
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"}), "*": frozenset()}
#: Link address schemes. Relative and scheme-less addresses are removed too.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
#: Elements removed together with their content.
CLEAN_CONTENT_TAGS = frozenset({"script", "style"})

#: Bump when rendering changes, so cached bodies are rendered again.
RENDER_VERSION = "1"

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")


def safe_url(url: str | None) -> str | None:
    """The address, if it is an absolute http/https/mailto URL; else None."""
    if not url:
        return None
    candidate = _INVISIBLE.sub("", html.unescape(url.replace(AMP_SUBSTITUTE, "&"))).strip()
    match = _SCHEME.match(candidate)
    if not match or match.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return None
    if match.group(1).lower() in ("http", "https") and not re.match(r"^https?://[^/\s]", candidate, re.I):
        return None
    return url.strip()


def safe_web_url(url: str | None) -> str | None:
    """The address, if it is an absolute http or https URL (for author links)."""
    ok = safe_url(url)
    if ok and ok.lower().startswith(("http://", "https://")):
        return ok
    return None


class _CommentTree(Treeprocessor):
    """Presentation fixes before sanitizing (safety does not depend on them)."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    child.tag = "p"
                    child.attrib.clear()
                elif child.tag == "img":
                    _replace_with_text(parent, index, child, child.get("alt") or "")
                elif child.tag == "hr":
                    _replace_with_text(parent, index, child, "")
                elif child.tag == "a" and safe_url(child.get("href")) is None:
                    # Keep the visible text, drop the link.
                    child.tag = "span"
                    child.attrib.clear()


def _replace_with_text(parent, index, child, text):
    tail = (text or "") + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + tail
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + tail
    parent.remove(child)


class CommentRenderer:
    """Renders comment bodies; create one per build and reuse it."""

    def __init__(self):
        self._md = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
        # No raw HTML of any kind: it is escaped and shown as text.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_CommentTree(self._md), "truffles_comment_tree", 5)
        self._cleaner = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(CLEAN_CONTENT_TAGS),
            attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(ALLOWED_URL_SCHEMES),
            link_rel=LINK_REL,
            url_relative="deny",
            strip_comments=True,
        )

    def sanitize(self, fragment: str) -> str:
        """Allow-list an HTML fragment (the last step for any comment HTML)."""
        return self._cleaner.clean(fragment)

    def render(self, body: str) -> str:
        """Markdown text of a comment -> safe HTML fragment."""
        self._md.reset()
        return self.sanitize(self._md.convert(body)).strip()
