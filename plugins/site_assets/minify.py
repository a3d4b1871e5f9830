"""HTML minification for the production build."""

from __future__ import annotations

import re
from pathlib import Path

import minify_html

# Conservative options: the output must stay valid HTML for the Nu checker and
# must not touch inline JSON-LD or preformatted comment bodies.
_OPTIONS = dict(
    keep_closing_tags=True,
    keep_html_and_head_opening_tags=True,
    keep_comments=False,
    minify_css=True,
    minify_js=False,
)


#: <title> and <textarea> hold text only (RCDATA), so minify-html writes their
#: `&lt;` as `<`. Browsers agree, but Python's html.parser, link checkers and
#: link previews read `<title>Reply to "><img onerror=…>` as an element.
_RCDATA = re.compile(r"(<(title|textarea)\b[^>]*>)(.*?)(</\2>)", re.IGNORECASE | re.DOTALL)


def _escape_rcdata(html: str) -> str:
    return _RCDATA.sub(lambda m: m[1] + m[3].replace("<", "&lt;").replace(">", "&gt;") + m[4], html)


def minify_html_file(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    page.write_text(_escape_rcdata(minify_html.minify(source, **_OPTIONS)), encoding="utf-8")


def minify_html_tree(output: Path, skip: set[Path] = frozenset()) -> None:
    """Minify every page under ``output`` except those in ``skip`` (already
    minified: minifying twice is not guaranteed to give the same bytes)."""
    for page in output.rglob("*.html"):
        if page not in skip:
            minify_html_file(page)
