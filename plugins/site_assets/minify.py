"""HTML minification for the production build."""

from __future__ import annotations

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


def minify_html_tree(output: Path) -> None:
    for page in output.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        page.write_text(minify_html.minify(source, **_OPTIONS), encoding="utf-8")
