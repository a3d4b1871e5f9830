"""One comment form per page: each comment's "Reply" is a link to a generated
reply page (the comment quoted, the form with options[parent] set), noindex and
left out of the sitemap; the per-comment HTML stays small."""

from __future__ import annotations

import shutil
from xml.etree import ElementTree

import pytest

from comment_core import form as spec
from site_tools.comment_weight import BUDGET_PER_COMMENT_RAW, write_comments
from tests.support.comment_sites import FIXTURES, build_fixture, comments_section, soup

ENDPOINT = "https://comments.example.org/comments"
THREAD_IDS = ["c01", "c07", "c02", "c03", "c04", "c05", "c06"]


@pytest.fixture(scope="module")
def site(fixture_sites):
    result = fixture_sites.get("thread", COMMENTS_ENDPOINT=ENDPOINT)
    return result


def reply_links(page):
    return {
        link.find_parent("article")["id"].removeprefix("comment-"): link
        for link in comments_section(page).select("p.tc-reply a")
    }


def test_a_page_with_comments_carries_exactly_one_form(site):
    page = soup(site, "/thread-guide/")
    assert len(page.find_all("article", class_="tc-comment")) == len(THREAD_IDS)
    [form] = page.find_all("form")
    assert form["id"] == "comment-form" and form.find_parent("article") is None
    assert form.find(attrs={"name": spec.PARENT}) is None
    assert page.find("details") is None


def test_each_reply_link_opens_a_reply_page_that_quotes_the_comment_and_answers_it(site):
    page = soup(site, "/thread-guide/")
    links = reply_links(page)
    assert list(links) == THREAD_IDS
    for cid, link in links.items():
        comment = page.find(id=f"comment-{cid}")
        author = comment.select_one(".tc-author").get_text(strip=True)
        assert link.get_text() == f"Reply to {author}"  # " to <author>" is visually hidden
        assert link["href"] == f"reply/{cid}/"
        reply = soup(site, f"/thread-guide/reply/{cid}/")
        [form] = reply.find_all("form")
        assert form["action"] == ENDPOINT and form["method"] == "post"
        assert form.find(attrs={"name": spec.PARENT})["value"] == cid
        assert form.find(attrs={"name": spec.SLUG})["value"] == "thread-guide"
        quote = reply.select_one("figure.tc-quote")
        assert quote.blockquote.get_text(" ", strip=True) == comment.select_one(".tc-body").get_text(" ", strip=True)
        assert quote.figcaption.get_text(" ", strip=True).startswith(f"{author},")
        back = form.select_one(".tc-form__context a")["href"]
        assert back == f"/thread-guide/#comment-{cid}"


def test_reply_pages_are_noindex_and_use_the_sites_layout_and_policy(site):
    page = soup(site, "/thread-guide/")
    reply = soup(site, "/thread-guide/reply/c03/")
    assert reply.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("meta", attrs={"name": "robots"}) is None
    assert reply.title.get_text() == "Reply to Carol Cook | A guide with a long comment thread | Restless Legs Syndrome guide"
    csp = {"http-equiv": "Content-Security-Policy"}
    assert reply.find("meta", attrs=csp)["content"] == page.find("meta", attrs=csp)["content"]
    assert reply.select_one("header.site-header") is not None and reply.select_one("main#main") is not None
    assert reply.find("script", src=False) is None and reply.find(style=True) is None


def test_no_reply_pages_where_no_reply_can_be_sent(site, fixture_sites):
    # closed and hidden pages of this build
    assert not (site.output / "pages" / "closed-page" / "reply").exists()
    assert not (site.output / "pages" / "hidden-page" / "reply").exists()
    assert comments_section(soup(site, "/pages/closed-page/")).select("p.tc-reply") == []
    # no endpoint: nothing to post to
    result = fixture_sites.get("thread")
    assert not (result.output / "thread-guide" / "reply").exists()
    assert comments_section(soup(result, "/thread-guide/")).select("p.tc-reply") == []


def test_reply_pages_are_not_in_the_production_sitemap(fixture_sites):
    result = fixture_sites.published("thread", COMMENTS_ENDPOINT=ENDPOINT, SITEURL="https://rls.example.org")
    assert (result.output / "thread-guide" / "reply" / "c01" / "index.html").is_file()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(result.output / "sitemap.xml").getroot()
    listed = [e.findtext("s:loc", namespaces=namespace) for e in sitemap.findall("s:url", namespace)]
    assert "https://rls.example.org/thread-guide/" in listed
    assert [url for url in listed if "/reply/" in url] == []
    assert listed.count("https://rls.example.org/thread-guide/") == 1


def _page_bytes(tmp_path, count: int) -> tuple[int, int]:
    content = tmp_path / f"content-{count}"
    shutil.copytree(FIXTURES / "thread", content)
    shutil.rmtree(content / "comments" / "thread-guide")
    names_and_texts = write_comments(content / "comments" / "thread-guide", count, slug="thread-guide")
    result = build_fixture(content, tmp_path / f"out-{count}",
                           COMMENTS_ENDPOINT=ENDPOINT, MINIFY_OUTPUT=True)
    assert result.ok, result.problems
    return result.page("/thread-guide/").stat().st_size, names_and_texts


def test_a_comment_costs_at_most_700_bytes_of_html_beyond_its_name_and_text(tmp_path):
    empty, _ = _page_bytes(tmp_path, 0)
    loaded, names_and_texts = _page_bytes(tmp_path, 60)
    per_comment = (loaded - empty - names_and_texts) / 60
    assert 0 < per_comment <= BUDGET_PER_COMMENT_RAW, f"{per_comment:.0f} bytes per comment"
