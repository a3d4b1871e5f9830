"""Atom feeds of comments: one per page with comments, one for the whole site;
deterministic, so an unchanged site rebuilds byte-identical feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.support.comment_sites import build_fixture, copy_fixture, soup, write_comment

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_FEED = "feeds/comments/thread-guide.atom.xml"
ALL_FEED = "feeds/comments.atom.xml"


@pytest.fixture(scope="module")
def site(fixture_sites):
    return fixture_sites.get("thread")


def read_feed(path):
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return root.findall(f"{ATOM}entry")


def test_a_page_feed_lists_its_comments_newest_first(site):
    root = read_feed(site.output / PAGE_FEED)
    assert root.findtext(f"{ATOM}title") == "Comments on A guide with a long comment thread"
    links = [e.find(f"{ATOM}link").get("href") for e in entries(root)]
    assert links == [f"/thread-guide/#comment-{i}" for i in ("c06", "c05", "c04", "c03", "c02", "c07", "c01")]
    first = entries(root)[0]
    assert first.findtext(f"{ATOM}title") == "Comment by Frank Fox"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Frank Fox"
    assert first.findtext(f"{ATOM}published") == "2026-05-03T08:15:00+00:00"
    assert first.find(f"{ATOM}content").get("type") == "html"
    assert "<li>one</li>" in first.findtext(f"{ATOM}content")


def test_a_feed_is_updated_when_its_newest_comment_was_written(site):
    assert read_feed(site.output / PAGE_FEED).findtext(f"{ATOM}updated") == "2026-05-03T08:15:00+00:00"
    closed = read_feed(site.output / "feeds/comments/closed-page.atom.xml")
    assert closed.findtext(f"{ATOM}updated") == "2026-04-02T09:00:00+00:00"


def test_author_uri_only_for_http_websites(site):
    by_link = {e.find(f"{ATOM}link").get("href"): e for e in entries(read_feed(site.output / PAGE_FEED))}
    assert by_link["/thread-guide/#comment-c02"].findtext(f"{ATOM}author/{ATOM}uri") == "https://bob.example.org/"
    assert by_link["/thread-guide/#comment-c07"].find(f"{ATOM}author/{ATOM}uri") is None  # ftp:


def test_the_site_feed_has_every_visible_comment_and_nothing_from_hidden_pages(site):
    root = read_feed(site.output / ALL_FEED)
    found = entries(root)
    assert len(found) == 9  # 7 on the guide + 2 on the closed page; the hidden page's 1 is left out
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert "Comment by Ian Ives on A page with comments closed" in titles
    assert not any("Secret Sam" in t for t in titles)
    ids = [e.findtext(f"{ATOM}id") for e in found]
    assert len(set(ids)) == 9 and all(i.startswith("urn:uuid:") for i in ids)
    assert root.findtext(f"{ATOM}updated") == "2026-05-03T08:15:00+00:00"


def test_no_feed_for_hidden_pages_or_pages_without_comments(site):
    written = sorted(p.relative_to(site.output).as_posix() for p in (site.output / "feeds").rglob("*.xml"))
    assert written == [ALL_FEED, "feeds/comments/closed-page.atom.xml", PAGE_FEED]


def test_pages_link_their_feeds_from_the_head(site):
    head = soup(site, "/thread-guide/").head
    links = {(link["href"], link["title"]) for link in head.select('link[rel="alternate"][type="application/atom+xml"]')}
    assert ("/" + PAGE_FEED, "Comments on A guide with a long comment thread") in links
    assert ("/" + ALL_FEED, "All comments on Restless Legs Syndrome guide") in links
    quiet = soup(site, "/pages/quiet-page/").head
    assert [link["href"] for link in quiet.select('link[type="application/atom+xml"]')] == ["/" + ALL_FEED]


def test_building_twice_gives_byte_identical_feeds(tmp_path):
    first = build_fixture("thread", tmp_path / "one")
    second = build_fixture("thread", tmp_path / "two")
    assert first.ok and second.ok
    for name in (PAGE_FEED, ALL_FEED, "feeds/comments/closed-page.atom.xml", "comments-index.json"):
        assert (first.output / name).read_bytes() == (second.output / name).read_bytes(), name
    # Rebuilding into the same folder leaves the files identical too.
    before = (first.output / ALL_FEED).read_bytes()
    again = build_fixture("thread", tmp_path / "one")
    assert again.ok and (again.output / ALL_FEED).read_bytes() == before


def test_a_new_comment_moves_updated_to_its_date(tmp_path):
    content = copy_fixture("thread", tmp_path / "content")
    write_comment(content / "comments" / "thread-guide", "c08.md", "Author: New Nia\nDate: 2026-06-01 07:30\n\nLatest.\n")
    result = build_fixture(content, tmp_path / "out")
    assert result.ok, result.problems
    root = read_feed(result.output / PAGE_FEED)
    assert root.findtext(f"{ATOM}updated") == "2026-06-01T07:30:00+00:00"
    assert entries(root)[0].findtext(f"{ATOM}title") == "Comment by New Nia"


def test_feeds_use_absolute_addresses_when_siteurl_is_set(tmp_path):
    result = build_fixture("thread", tmp_path / "out", SITEURL="https://rls.example.org")
    assert result.ok, result.problems
    root = read_feed(result.output / PAGE_FEED)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://rls.example.org/" + PAGE_FEED
    assert entries(root)[0].find(f"{ATOM}link").get("href") == "https://rls.example.org/thread-guide/#comment-c06"


def test_comments_feeds_off_writes_no_feeds_and_links_none(tmp_path):
    result = build_fixture("thread", tmp_path / "out", COMMENTS_FEEDS=False)
    assert result.ok, result.problems
    assert not (result.output / "feeds").exists()
    page = soup(result, "/thread-guide/")
    assert page.select('link[type="application/atom+xml"]') == []
    assert page.select_one("p.tc-feed") is None



def test_a_feed_taken_from_the_cache_is_identical_to_a_fresh_one(tmp_path):
    from truffles_comments import plugin

    cold = build_fixture("thread", tmp_path / "out")
    fresh = {name: (cold.output / name).read_bytes() for name in (PAGE_FEED, ALL_FEED)}
    warm = build_fixture("thread", tmp_path / "out")
    assert plugin._state.stats["feeds_from_cache"] == 3
    assert {name: (warm.output / name).read_bytes() for name in fresh} == fresh


def test_feeds_keep_the_newest_entries_up_to_the_limit(tmp_path):
    result = build_fixture("thread", tmp_path / "out", COMMENTS_FEED_MAX_ITEMS=3)
    assert result.ok, result.problems
    root = read_feed(result.output / ALL_FEED)
    assert [e.find(f"{ATOM}link").get("href") for e in entries(root)] == [
        "/thread-guide/#comment-c06", "/thread-guide/#comment-c05", "/thread-guide/#comment-c04",
    ]
    assert root.findtext(f"{ATOM}updated") == "2026-05-03T08:15:00+00:00"
