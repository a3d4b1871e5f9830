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

from . import text as _text
from . import urls

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
RENDER_VERSION = "2"
#: Lists and quotes nested deeper than this are flattened into their parent:
#: deeper indentation would push the text off a 320 px wide screen.
MAX_NESTING = 3
#: Most scanning work (see markdown_cost) one body may ask of the Markdown
#: renderer; about 50 ms on a 2-core build machine (site_tools/render_bench.py).
MAX_MARKDOWN_COST = 120_000
# Python-Markdown stashes each backslash escape as a placeholder of this
# length before it looks for links, so escapes lengthen the text it scans.
_STASHED_ESCAPE = 2 * len("\x02klzzwxh:0000\x03")

_CONTAINERS = frozenset({"ul", "ol", "blockquote"})


def safe_url(url: str | None) -> str | None:
    """The link's address as Markdown wrote it, if comment_core.urls allows the
    address it stands for (entities and Markdown's ``&`` placeholder decoded); else None."""
    if not url:
        return None
    return url.strip() if urls.link_url(html.unescape(url.replace(AMP_SUBSTITUTE, "&")).strip()) else None


def safe_web_url(url: str | None) -> str | None:
    """The address, if it is a web address comment_core.urls allows (author links)."""
    return urls.web_url(url.strip()) if url else None


class BodyRefused(ValueError):
    """A body that cannot be published; the message says why, for its writer."""


def markdown_cost(body: str) -> int:
    """An upper bound on the characters Python-Markdown scans looking for
    links in ``body``. Each ``[`` (and each ``](``) makes it scan forward to
    the matching bracket, or to the end of the text when there is none, so
    many unclosed brackets cost time quadratic in the length. Quotes nested
    on one line are parsed once per level, each time over the rest of the
    line: depth times line length, at about a fiftieth of the cost of a
    bracket scan per character (measured by site_tools/render_bench.py)."""
    text = re.sub(r"\\.", "\x00" * _STASHED_ESCAPE, body, flags=re.DOTALL)
    size = len(text)
    cost = 0
    for opener, closer in ("[]", "()"):
        stack: list[int] = []
        for index, ch in enumerate(text):
            if ch == opener:
                stack.append(index)
            elif ch == closer and stack:
                start = stack.pop()
                if opener == "[" or text[start - 1 : start] == "]":
                    quoted = opener == "(" and ('"' in text[start:index] or "'" in text[start:index])
                    cost += size - start if quoted else index - start
        cost += sum(size - start for start in stack if opener == "[" or text[start - 1 : start] == "]")
    for line in body.split("\n"):
        depth = len(line) - len(line.lstrip("> \t"))
        cost += line[:depth].count(">") * len(line) // 50
    return cost


def cost_problem(body: str) -> str | None:
    """Why ``body`` would take too long to render, or None."""
    if markdown_cost(body) <= MAX_MARKDOWN_COST:
        return None
    return (
        "The comment has too many unmatched square brackets or parentheses to be shown "
        "safely; please remove the ones you do not need."
    )


def visible_text(html_fragment: str) -> str:
    """The text a reader sees in a rendered body (no tags, no invisible characters)."""
    text = html.unescape(re.sub(r"<[^>]*>", "", html_fragment))
    return "".join(ch for ch in text if not ch.isspace() and not _text.DEFAULT_IGNORABLE.match(ch))


def empty_problem(html_fragment: str) -> str | None:
    """Why a rendered body would show nothing, or None."""
    if visible_text(html_fragment):
        return None
    return "The comment shows no visible text once formatted; please write your comment in words."


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
        _flatten_nesting(root)
        _drop_empty_links(root)


def _flatten_nesting(root: etree.Element) -> None:
    """Unwrap lists and quotes nested deeper than MAX_NESTING (iteratively:
    a body can nest thousands of levels)."""
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        index = 0
        while index < len(element):
            child = element[index]
            if child.tag in _CONTAINERS and depth >= MAX_NESTING:
                _unwrap(element, index, child)
                continue
            stack.append((child, depth + (child.tag in _CONTAINERS)))
            index += 1


def _unwrap(parent: etree.Element, index: int, child: etree.Element) -> None:
    kids = list(child)
    for kid in kids:
        if kid.tag == "li":
            kid.tag = "p"
    lead, tail = (child.text or "").strip(), child.tail
    parent.remove(child)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)
    _replace_text_at(parent, index, lead)
    last = parent[index + len(kids) - 1] if kids else None
    if last is not None:
        last.tail = (last.tail or "") + (tail or "")
    else:
        _replace_text_at(parent, index, tail or "")


def _replace_text_at(parent, index, text):
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text


def _drop_empty_links(root: etree.Element) -> None:
    """A link with no visible text has no accessible name: remove it."""
    for parent in list(root.iter()):
        for index in reversed(range(len(parent))):
            child = parent[index]
            if child.tag == "a" and not visible_text("".join(child.itertext())):
                _replace_with_text(parent, index, child, "")


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
        """Markdown text of a comment -> safe HTML fragment. Raises
        :class:`BodyRefused` for a body that is too costly to render or that
        shows nothing once rendered."""
        problem = cost_problem(body)
        if problem:
            raise BodyRefused(problem)
        self._md.reset()
        fragment = self.sanitize(self._md.convert(body)).strip()
        problem = empty_problem(fragment)
        if problem:
            raise BodyRefused(problem)
        return fragment


def render_body(body: str) -> str:
    """Render one body (for the receiver's check: it refuses what the build would)."""
    return CommentRenderer().render(body)
