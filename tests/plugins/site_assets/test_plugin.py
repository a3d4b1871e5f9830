"""site_assets in a tiny real build: templates get asset_path(), the bundle is
written under ASSET_DIR, pages are minified only when asked, an unknown asset
stops the build naming it, and a build that does not list the plugin is left alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import build_site

CSS = "/* theme */\nbody {  color: red; }\n"
PAGE_TEMPLATE = (
    '{% extends "!simple/page.html" %}{% block head %}{{ super() }}'
    '<link rel="stylesheet" href="/{{ asset_path(ASSET_NAME) }}">{% endblock %}'
)


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content" / "pages").mkdir(parents=True)
    (tmp_path / "content" / "pages" / "about.md").write_text("Title: About\n\nSome   text.\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(PAGE_TEMPLATE, encoding="utf-8")
    (tmp_path / "site.css").write_text(CSS, encoding="utf-8")
    return tmp_path


def build(site: Path, name: str = "out", plugins=("strict_build", "site_assets"), **overrides):
    settings = dict(
        PLUGINS=list(plugins), THEME="simple", THEME_TEMPLATES_OVERRIDES=[str(site / "templates")],
        TEMPLATE_PAGES={}, PAGE_PATHS=["pages"], ARTICLE_PATHS=[], ASSET_CSS=[str(site / "site.css")],
        ASSET_NAME="site.css", TYPOGRIFY=False,
    )
    settings.update(overrides)
    return build_site(site / name, content=site / "content", **settings)


def linked_stylesheet(result) -> str:
    page = BeautifulSoup(result.page("/pages/about/").read_text(encoding="utf-8"), "html.parser")
    [link] = page.select('link[rel="stylesheet"][href*="/site."]')
    return link["href"].lstrip("/")


def test_the_page_links_the_fingerprinted_bundle_that_was_written(site):
    result = build(site, ASSET_DIR="assets")
    assert result.ok, result.problems
    href = linked_stylesheet(result)
    assert re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", href)
    assert (result.output / href).read_text(encoding="utf-8") == CSS


def test_minify_output_minifies_the_bundle_and_the_pages(site):
    result = build(site, MINIFY_OUTPUT=True)
    assert result.ok, result.problems
    assert (result.output / linked_stylesheet(result)).read_text(encoding="utf-8") == "body{color:red}"
    html = result.page("/pages/about/").read_text(encoding="utf-8")
    assert "\n    " not in html and "<p>Some text.</p>" in html


def test_without_minify_output_pages_stay_as_rendered(site):
    result = build(site)
    assert "\n    " in result.page("/pages/about/").read_text(encoding="utf-8")


def test_an_unknown_asset_stops_the_build_naming_it_and_the_known_ones(site):
    with pytest.raises(KeyError) as error:
        build(site, ASSET_NAME="nope.css")
    assert "asset_path('nope.css'): no such asset (known: site.css); add the file to ASSET_CSS or ASSET_JS" in str(error.value)


def test_a_later_build_that_does_not_list_it_writes_no_assets(site):
    assert build(site, "first").ok  # loads the plugin: its handlers stay connected
    (site / "templates" / "page.html").unlink()
    result = build(site, "second", plugins=["strict_build"], MINIFY_OUTPUT=True)
    assert result.ok, result.problems
    assert not (result.output / "static").exists()
    assert "\n    " in result.page("/pages/about/").read_text(encoding="utf-8")
