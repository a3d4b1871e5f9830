"""Reply pages: one small page per comment, for replying without JavaScript.

A page carries one comment form. Each comment's "Reply" is a link to
``<page folder>/reply/<comment id>/``: the comment quoted and the form with
``options[parent]`` set to it, in the theme's layout
(truffles_comments/reply_page.html extends the theme's base.html). They exist
only where a reply can be sent (the page is published, open for comments and
an endpoint is set), are marked noindex and are written straight to the output
folder, not through Pelican's writer, so sitemap plugins never list them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .section import CommentsSection
from .threads import ThreadEntry

TEMPLATE = "truffles_comments/reply_page.html"


@dataclass
class ReplyPage:
    section: CommentsSection
    entry: ThreadEntry

    @property
    def url(self) -> str:
        return self.section.reply_url(self.entry.id)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


def entries(threads: list[ThreadEntry]) -> Iterator[ThreadEntry]:
    """Every entry of a thread tree, in display order."""
    for entry in threads:
        yield entry
        yield from entries(entry.replies)


def reply_pages(section: CommentsSection, published: bool) -> list[ReplyPage]:
    """The reply pages a page needs: none unless a reply can be sent from it."""
    if not (published and section.can_post):
        return []
    return [ReplyPage(section, entry) for entry in entries(section.threads)]


def render(template, context: dict, page: ReplyPage) -> bytes:
    """The reply page's HTML. ``output_file`` lets the theme's navigation tell
    which page it is on; no ``article``/``page`` is set, so the theme's
    per-page hooks (comments, call to action) stay out of it."""
    return template.render({
        **context,
        "output_file": page.save_as,
        "tc": page.section,
        "tc_parent": page.entry,
    }).encode("utf-8")
