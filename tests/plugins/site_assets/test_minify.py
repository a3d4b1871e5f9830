"""Production HTML minification over the output folder: pages get smaller and
stay valid; everything else is left byte for byte."""

from __future__ import annotations

from pathlib import Path

from site_assets.minify import minify_html_tree

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Iron deficiency</title>
  <!-- a build note -->
  <style>
    body {  color : red ; }
  </style>
  <script type="application/ld+json">{"name": "a  b",  "x": "</p>"}</script>
</head>
<body>
  <p>Low   iron <em>can</em> cause RLS</p>
  <pre>  indented
     comment  </pre>
</body>
</html>
"""


def output(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    (root / "causes" / "iron").mkdir(parents=True)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "causes" / "iron" / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text("body {  color : red ; }\n", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\n\nAllow: /\n", encoding="utf-8")
    (root / "comments-index.json").write_text('{\n  "pages": []\n}\n', encoding="utf-8")
    (root / "feed.xml").write_text("<feed>\n  <title> x </title>\n</feed>\n", encoding="utf-8")
    return root


def test_every_html_page_is_minified(tmp_path):
    root = output(tmp_path)
    minify_html_tree(root)
    for page in (root / "index.html", root / "causes" / "iron" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert len(html) < len(PAGE)
        assert "a build note" not in html
        assert "\n  <p>" not in html and "<p>Low iron <em>can</em> cause RLS</p>" in html
        assert "body{color:red}" in html


def test_closing_tags_json_ld_and_preformatted_text_are_kept(tmp_path):
    root = output(tmp_path)
    minify_html_tree(root)
    html = (root / "index.html").read_text(encoding="utf-8")
    assert "<html" in html and "<head>" in html and "</body></html>" in html
    assert '{"name": "a  b",  "x": "</p>"}</script>' in html
    assert "<pre>  indented\n     comment  </pre>" in html


def test_other_files_are_untouched(tmp_path):
    root = output(tmp_path)
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file() and path.suffix != ".html"}
    minify_html_tree(root)
    assert {path: path.read_bytes() for path in before} == before


def test_minifying_twice_changes_nothing_more(tmp_path):
    root = output(tmp_path)
    minify_html_tree(root)
    once = (root / "index.html").read_bytes()
    minify_html_tree(root)
    assert (root / "index.html").read_bytes() == once
