"""The theme on built sites: which layout a page gets, the guide's notice, and
links to the About and comment policy pages only when those pages are built."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import ROOT, build_site

ABOUT = "Title: About this guide\nSummary: Who writes this guide.\n\nWho writes this guide and why.\n"
POLICY = "Title: Comment policy\nSummary: How comments are moderated.\n\nHow comments are moderated.\n"
PLAIN = "Title: A plain page\nSummary: Not a medical page.\n\nJust text.\n"
SITE_PAGES = ("about.md", "comment-policy.md")
NOTICE = ("This guide keeps the clinic's original text as written. Where current "
          "evidence differs, a dated editor's note follows the passage.")


def text(element) -> str:
    return " ".join(element.get_text().split())  # typogrify glues the last words with a no-break space


def soup_of(result, url) -> BeautifulSoup:
    return BeautifulSoup(result.page(url).read_text(encoding="utf-8"), "html.parser")


def content_copy(folder, *, with_site_pages: bool):
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    for name in SITE_PAGES:
        (content / "pages" / name).unlink(missing_ok=True)
    # Links to the removed pages become plain text, or the build's link check fails.
    for source in content.rglob("*.md"):
        text = source.read_text(encoding="utf-8")
        unlinked = re.sub(r"\[([^\]]+)\]\(\{filename\}/pages/(?:about|comment-policy)\.md\)", r"\1", text)
        if unlinked != text:
            source.write_text(unlinked, encoding="utf-8")
    if with_site_pages:
        (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
        (content / "pages" / "comment-policy.md").write_text(POLICY, encoding="utf-8")
    (content / "pages" / "plain.md").write_text(PLAIN, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def with_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("with-pages")
    # The real site keeps its notice in the guide's Markdown (GUIDE_NOTICE is
    # None there); here the setting's notice is shown, to test the layout.
    result = build_site(folder / "output", content=content_copy(folder, with_site_pages=True), GUIDE_NOTICE=NOTICE)
    assert result.ok, result.problems
    return result


@pytest.fixture(scope="module")
def without_pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("without-pages")
    result = build_site(folder / "output", content=content_copy(folder, with_site_pages=False), GUIDE_NOTICE=None)
    assert result.ok, result.problems
    return result


@pytest.mark.parametrize("url", ["/", "/causes/", "/causes/dopamine/", "/404.html", "/pages/plain/", "/pages/about/"])
def test_every_page_links_the_about_and_comment_policy_pages_in_its_footer(with_pages, url):
    nav = soup_of(with_pages, url).select_one("footer nav.footer-nav")
    assert nav["aria-label"]
    links = [(text(a), a["href"]) for a in nav.find_all("a")]
    assert links == [("About this guide", "/pages/about/"), ("Comment policy", "/pages/comment-policy/")]
    current = [a["href"] for a in nav.find_all("a", attrs={"aria-current": "page"})]
    assert current == (["/pages/about/"] if url == "/pages/about/" else [])


@pytest.mark.parametrize("url", ["/", "/causes/dopamine/"])
def test_the_comment_policy_is_linked_right_above_the_comments(with_pages, url):
    section = soup_of(with_pages, url).select_one("section.tc-comments")
    link = section.find_previous_sibling()
    assert "comment-policy-link" in link["class"]
    assert link.a["href"] == "/pages/comment-policy/"


def test_no_comment_policy_link_where_comments_are_hidden(with_pages):
    hub = soup_of(with_pages, "/causes/")
    assert hub.select_one("section.tc-comments") is None
    assert hub.select_one(".comment-policy-link") is None


def test_without_those_pages_there_are_no_links_to_them(without_pages):
    for url in ("/", "/causes/dopamine/", "/404.html"):
        page = soup_of(without_pages, url)
        assert page.select_one("footer nav") is None, url
        assert page.select_one(".comment-policy-link") is None, url
        assert page.select_one("section.tc-comments") is not None or url == "/404.html"


def test_a_page_outside_the_causes_folder_is_a_plain_page(with_pages):
    page = soup_of(with_pages, "/pages/plain/")
    assert text(page.select_one("article.doc h1")) == "A plain page"
    assert page.select_one("section.disclaimer") is None
    assert page.select_one("nav.page-nav") is None
    assert text(page.select_one("title")).startswith("A plain page | ")


def test_a_file_in_the_causes_folder_is_a_cause_page_without_a_template_line(with_pages):
    assert not any("Template:" in path.read_text(encoding="utf-8") for path in (ROOT / "content" / "causes").glob("*.md"))
    page = soup_of(with_pages, "/causes/dopamine/")
    assert page.select_one("nav.page-nav[aria-label='More causes']") is not None
    assert page.select_one("section.disclaimer") is not None


def test_the_guide_notice_sits_under_the_title_of_the_guide_only(with_pages):
    guide = soup_of(with_pages, "/")
    note = guide.select_one("article.doc > aside[role=note]")
    assert "keeps the clinic's original text as written" in note.get_text()
    assert "a dated editor's note follows the passage" in note.get_text()
    assert note.find_previous_sibling()["class"] == ["page-header"]
    for url in ("/causes/", "/causes/dopamine/", "/pages/plain/"):
        assert soup_of(with_pages, url).select_one("article.doc > aside[role=note]") is None, url


def test_no_guide_notice_when_the_setting_is_none(without_pages):
    assert soup_of(without_pages, "/").select_one("article.doc > aside[role=note]") is None
