"""Threads as a visitor sees them: nesting, order, the depth cap, permalinks,
author links and dates, built from the `thread` fixture."""

from __future__ import annotations

import datetime as dt

import pytest
from truffles_comments.threads import build_threads

from comment_core.comment_file import Comment
from tests.support.comment_sites import comments_section, soup

UTC = dt.UTC


@pytest.fixture(scope="module")
def thread_site(fixture_sites):
    return fixture_sites.get("thread")


@pytest.fixture(scope="module")
def section(thread_site):
    found = comments_section(soup(thread_site, "/thread-guide/"))
    assert found is not None
    return found


def shape(ol):
    """The displayed tree as nested (id, [children]) tuples."""
    out = []
    for li in ol.find_all("li", recursive=False):
        article = li.find("article", recursive=False)
        replies = li.find("ol", recursive=False)
        out.append((article["id"].removeprefix("comment-"), shape(replies) if replies else []))
    return out


def test_replies_nest_under_their_parent_oldest_first_and_stop_at_depth_three(section):
    assert shape(section.select_one("ol.tc-thread")) == [
        ("c01", [
            ("c07", []),  # 10:30, before Bob's 11:00 although its id sorts after
            ("c02", [
                ("c03", []),
                ("c04", []),  # depth 4: shown at depth 3
                ("c05", []),  # depth 5: shown at depth 3
            ]),
        ]),
        ("c06", []),
    ]


def test_replies_below_the_cap_say_whom_they_answer_with_a_working_link(section):
    answers = {
        article["id"]: (p.get_text(" ", strip=True), p.a["href"])
        for article in section.select("article.tc-comment")
        for p in article.select("p.tc-in-reply-to")
    }
    assert answers == {
        "comment-c04": ("In reply to Carol Cook", "#comment-c03"),
        "comment-c05": ("In reply to Dan Dyer", "#comment-c04"),
    }


def test_the_heading_is_an_h2_with_the_count(section):
    heading = section.find("h2")
    assert heading.get_text(" ", strip=True) == "Comments (7 comments)"
    assert section["aria-labelledby"] == heading["id"]
    assert section.select("h3, h4, h5, h6") == []  # author names are not headings


def test_every_comment_has_a_permalink_whose_target_exists(thread_site, section):
    page = soup(thread_site, "/thread-guide/")
    articles = section.select("article.tc-comment")
    assert len(articles) == 7
    for article in articles:
        link = article.select_one("a.tc-permalink")
        assert link["href"] == "#" + article["id"]
        assert len(page.select(f'[id="{article["id"]}"]')) == 1
        label = page.select_one(f'[id="{article["aria-labelledby"]}"]')
        assert label is not None and label.get_text(strip=True)


def test_every_link_inside_the_section_points_at_an_existing_target(thread_site, section):
    page = soup(thread_site, "/thread-guide/")
    for link in section.select('a[href^="#"]'):
        assert page.select_one(f'[id="{link["href"][1:]}"]') is not None, link


def test_dates_are_time_elements_with_an_iso_datetime_and_a_human_date(section):
    time = section.select_one("#comment-c06 time")
    assert time["datetime"] == "2026-05-03T08:15:00+00:00"
    assert dt.datetime.fromisoformat(time["datetime"]) == dt.datetime(2026, 5, 3, 8, 15, tzinfo=UTC)
    assert time.get_text(strip=True) == "3 May 2026 at 08:15 UTC"


def test_author_links_only_for_http_websites_with_nofollow_ugc_noopener(section):
    bob = section.select_one("#comment-c02-author a")
    assert bob["href"] == "https://bob.example.org/"
    assert bob["rel"] == ["nofollow", "ugc", "noopener"]
    grace = section.select_one("#comment-c07-author")  # Website: ftp://...
    assert grace.find("a") is None and grace.get_text(strip=True) == "Grace Green"
    alice = section.select_one("#comment-c01-author")  # no Website
    assert alice.find("a") is None


def test_bodies_are_rendered_markdown(section):
    body = section.select_one("#comment-c06 .tc-body")
    assert [li.get_text() for li in body.select("ul > li")] == ["one", "two"]
    assert body.select_one("blockquote p").get_text() == "quoted"
    link = section.select_one("#comment-c01 .tc-body a")
    assert (link["href"], link["rel"]) == ("https://example.org/rls", ["nofollow", "ugc", "noopener"])


# --- the model, without a build --------------------------------------------------


def c(cid, minute, replyto=None):
    return Comment(cid, "p", f"Author {cid}", dt.datetime(2026, 1, 1, 0, minute, tzinfo=UTC), "x", replyto)


def flatten(entries):
    return [(e.id, e.depth, e.capped, [r.id for r in e.replies]) for e in entries]


def test_a_chain_of_six_replies_keeps_depth_three_with_the_rest_in_date_order():
    chain = [c("a", 0), c("b", 1, "a"), c("c", 2, "b"), c("d", 3, "c"), c("e", 4, "d"), c("f", 5, "e")]
    threads = build_threads(list(reversed(chain)), max_depth=3)
    third = threads[0].replies[0].replies
    assert [(e.id, e.depth, e.capped, e.parent.id) for e in third] == [
        ("c", 3, False, "b"), ("d", 3, True, "c"), ("e", 3, True, "d"), ("f", 3, True, "e"),
    ]


def test_max_depth_one_shows_every_reply_at_the_top_after_its_thread_root():
    threads = build_threads([c("a", 0), c("b", 1, "a"), c("z", 2), c("c", 3, "b")], max_depth=1)
    assert flatten(threads) == [("a", 1, False, []), ("b", 1, True, []), ("c", 1, True, []), ("z", 1, False, [])]


def test_siblings_with_the_same_time_are_ordered_by_id():
    threads = build_threads([c("b", 0), c("a", 0)], max_depth=3)
    assert [e.id for e in threads] == ["a", "b"]
