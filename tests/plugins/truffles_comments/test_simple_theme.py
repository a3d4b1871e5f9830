"""A site on Pelican's built-in `simple` theme gets both blocks through the
documented include lines (README.md, "With Pelican's built-in simple theme")."""

from __future__ import annotations

import re

import pytest

from tests.support.comment_sites import PLUGIN_DIR, SIMPLE_THEME_HOOKS, build_fixture, soup

README = PLUGIN_DIR / "README.md"


def documented_article_template() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- simple-theme-article\.html:.*?-->\n```jinja\n(.*?)```", text, re.S)
    assert match, "README.md must document the simple-theme article.html"
    return match.group(1)


def simple(**overrides):
    return {"THEME": "simple", "THEME_STATIC_PATHS": ["static"], "PLUGINS": ["strict_build", "truffles_comments"], **overrides}


def both_blocks(result, url):
    page = soup(result, url)
    return (
        page.select_one("aside.tc-cta") is not None,
        page.select_one("section.tc-comments") is not None,
        bool(page.head.select('link[rel="alternate"][type="application/atom+xml"]')),
    )


def test_the_readme_snippet_gives_an_article_both_blocks(tmp_path):
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "article.html").write_text(documented_article_template(), encoding="utf-8")
    result = build_fixture("thread", tmp_path / "out", "simple", **simple(THEME_TEMPLATES_OVERRIDES=[str(overrides)]))
    assert result.ok, result.problems
    assert both_blocks(result, "/thread-guide/") == (True, True, True)
    assert len(soup(result, "/thread-guide/").select("article.tc-comment")) == 7


def test_the_shipped_override_folder_covers_articles_and_pages(tmp_path):
    result = build_fixture("thread", tmp_path / "out", "simple", **simple(THEME_TEMPLATES_OVERRIDES=[str(SIMPLE_THEME_HOOKS)]))
    assert result.ok, result.problems
    assert both_blocks(result, "/thread-guide/") == (True, True, True)
    assert both_blocks(result, "/pages/closed-page/") == (True, True, True)
    # The simple theme's own content is still there, before our blocks.
    page = soup(result, "/thread-guide/")
    assert " ".join(page.find("a", rel="bookmark").get_text().split()) == "A guide with a long comment thread"


def test_without_the_include_lines_the_simple_theme_shows_neither_block(tmp_path):
    result = build_fixture("thread", tmp_path / "out", "simple", **simple(THEME_TEMPLATES_OVERRIDES=[]))
    assert result.ok, result.problems
    assert both_blocks(result, "/thread-guide/") == (False, False, False)


@pytest.mark.parametrize("name", ["article.html", "page.html"])
def test_the_shipped_templates_match_the_documented_text(name):
    shipped = (SIMPLE_THEME_HOOKS / name).read_text(encoding="utf-8")
    body = shipped.split("#}\n", 1)[1]  # drop the leading comment
    expected = documented_article_template()
    if name == "page.html":
        expected = expected.replace("!simple/article.html", "!simple/page.html")
    assert body == expected
