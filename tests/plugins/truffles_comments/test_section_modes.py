"""Per-page comments modes (open, closed, hidden), the empty state, and the
hook for the comment form."""

from __future__ import annotations

import pytest
from truffles_comments.section import CommentsSection

from tests.support.comment_sites import FIXTURES, build_fixture, comments_section, soup

FORM_STUB = FIXTURES / "form_stub"


@pytest.fixture(scope="module")
def site(fixture_sites):
    return fixture_sites.get("thread")


def test_a_closed_page_keeps_its_comments_and_says_it_is_closed(site):
    section = comments_section(soup(site, "/pages/closed-page/"))
    assert section.find("h2").get_text(" ", strip=True) == "Comments (2 comments)"
    assert "Comments are closed on this page. Earlier comments are kept below." in section.get_text(" ", strip=True)
    assert [a["id"] for a in section.select("article.tc-comment")] == ["comment-old-1", "comment-old-2"]


def test_a_hidden_page_shows_no_section_and_none_of_its_comments(site):
    page = soup(site, "/pages/hidden-page/")
    assert comments_section(page) is None
    html = site.page("/pages/hidden-page/").read_text(encoding="utf-8")
    assert "Secret Sam" not in html and "must never be shown" not in html
    for path in site.output.rglob("*"):
        if path.is_file():
            assert b"must never be shown" not in path.read_bytes(), path


def test_a_page_without_comments_says_no_comments_yet(site):
    section = comments_section(soup(site, "/pages/quiet-page/"))
    assert section.find("h2").get_text(" ", strip=True) == "Comments (No comments yet)"
    assert section.select("article") == []


def test_without_an_endpoint_an_open_page_says_new_comments_cannot_be_posted(site):
    for url in ("/thread-guide/", "/pages/quiet-page/"):
        section = comments_section(soup(site, url))
        assert "Comments are closed for new posts for now" in section.get_text(" ", strip=True)
        assert section.find("form") is None


def test_with_an_endpoint_the_form_hook_is_included_only_on_open_pages(tmp_path):
    overrides = {"COMMENTS_ENDPOINT": "https://comments.example.org/post"}
    result = build_fixture("thread", tmp_path / "out", THEME_TEMPLATES_OVERRIDES=[str(FORM_STUB)], **overrides)
    assert result.ok, result.problems
    open_section = comments_section(soup(result, "/thread-guide/"))
    forms = open_section.select("form.test-form-stub")
    # The page has the form once, for a new comment, after the thread; each
    # comment's reply page has it with that comment as the parent.
    assert [(f["data-parent"], f.find_parent("article")) for f in forms] == [("", None)]
    for cid in ("c01", "c07", "c02", "c03", "c04", "c05", "c06"):
        assert [f["data-parent"] for f in soup(result, f"/thread-guide/reply/{cid}/").select("form.test-form-stub")] == [cid]
    form = forms[-1]
    assert (form["action"], form["data-slug"], form["data-open"]) == ("https://comments.example.org/post", "thread-guide", "True")
    assert "closed for new posts" not in open_section.get_text()
    closed_section = comments_section(soup(result, "/pages/closed-page/"))
    assert closed_section.find("form") is None
    import json

    index = json.loads((result.output / "comments-index.json").read_text(encoding="utf-8"))
    assert index["endpoint"] == "https://comments.example.org/post"  # what `make serve` compares
    assert comments_section(soup(result, "/pages/hidden-page/")) is None


def test_an_invalid_endpoint_setting_fails_naming_the_setting(tmp_path):
    from truffles_comments.settings import SettingsError

    with pytest.raises(SettingsError, match=r"^setting COMMENTS_ENDPOINT: 'javascript:alert\(1\)' must be an http\(s\) address"):
        build_fixture("thread", tmp_path / "out", COMMENTS_ENDPOINT="javascript:alert(1)")


@pytest.mark.parametrize("endpoint", ["//comments.example.org/comments", "//127.0.0.1:8001/comments", "///evil.example/c"])
def test_a_protocol_relative_endpoint_is_refused_naming_the_setting(endpoint):
    from truffles_comments.settings import SettingsError, read_settings

    with pytest.raises(SettingsError, match=r"^setting COMMENTS_ENDPOINT: .* is a protocol-relative address"):
        read_settings({"COMMENTS_ENDPOINT": endpoint})
    assert read_settings({"COMMENTS_ENDPOINT": "/comments"}).endpoint == "/comments"


def test_comments_default_closed_closes_pages_without_metadata(tmp_path):
    result = build_fixture("thread", tmp_path / "out", COMMENTS_DEFAULT="closed")
    assert result.ok, result.problems
    section = comments_section(soup(result, "/thread-guide/"))
    assert "Comments are closed on this page." in section.get_text(" ", strip=True)
    assert len(section.select("article.tc-comment")) == 7


@pytest.mark.parametrize(
    "mode, count, label",
    [("open", 0, "No comments yet"), ("closed", 0, "No comments"), ("open", 1, "1 comment"), ("open", 3, "3 comments"), ("closed", 1200, "1,200 comments")],
)
def test_count_labels(mode, count, label):
    assert CommentsSection(slug="s", mode=mode, count=count).count_label == label


def test_the_site_index_for_the_receiver_lists_modes_and_published_ids(site):
    import json

    index = json.loads((site.output / "comments-index.json").read_text(encoding="utf-8"))
    assert index["version"] == 1
    assert index["endpoint"] is None  # built without COMMENTS_ENDPOINT: no form posts anywhere
    pages = index["pages"]
    assert pages["thread-guide"] == {
        "url": "/thread-guide/",
        "title": "A guide with a long comment thread",
        "comments": "open",
        "comment_ids": ["c01", "c02", "c03", "c04", "c05", "c06", "c07"],
    }
    assert pages["closed-page"]["comments"] == "closed"
    assert pages["hidden-page"] == {"url": "/pages/hidden-page/", "title": "A page with comments hidden", "comments": "hidden", "comment_ids": []}
