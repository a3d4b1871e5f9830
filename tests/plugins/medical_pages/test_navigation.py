"""Cause pages in reading order (Cause_order), previous/next links and breadcrumbs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from medical_pages.navigation import Crumb, breadcrumb_trail, link_neighbours, order_causes


def cause(title: str, order=None, **extra) -> SimpleNamespace:
    metadata = {} if order is None else {"cause_order": order}
    return SimpleNamespace(title=title, metadata=metadata, source_path=f"/site/content/causes/{title.lower()}.md", **extra)


def test_causes_are_ordered_by_cause_order():
    iron, dopamine, kidney = cause("Iron", "2"), cause("Dopamine", 10), cause("Kidney", " 3 ")
    ordered, problems = order_causes([dopamine, iron, kidney])
    assert ordered == [iron, kidney, dopamine]
    assert problems == []


def test_a_missing_cause_order_is_a_problem_and_the_page_is_left_out():
    iron, lost = cause("Iron", 1), cause("Lost")
    ordered, problems = order_causes([iron, lost])
    assert ordered == [iron]
    assert problems == [(lost, "missing 'Cause_order:'; cause pages need their place in the list, e.g. 'Cause_order: 9'")]


@pytest.mark.parametrize(
    "value, expected",
    [("nine", "'Cause_order: nine' is not a whole number"), ("2.5", "is not a whole number"), ("0", "'Cause_order: 0' must be 1 or more")],
)
def test_a_bad_cause_order_is_a_problem(value, expected):
    bad = cause("Bad", value)
    ordered, problems = order_causes([bad])
    assert ordered == []
    [(page, message)] = problems
    assert page is bad and expected in message


def test_a_duplicate_cause_order_names_the_other_file_and_keeps_both_pages():
    first, second = cause("Alpha", 4), cause("Beta", 4)
    ordered, problems = order_causes([second, first])
    assert ordered == [first, second]  # same number: by title
    assert problems == [
        (second, "'Cause_order: 4' is also used by /site/content/causes/alpha.md; give each cause its own number")
    ]


def test_every_problem_is_reported_in_one_pass():
    missing, bad, one, again = cause("Missing"), cause("Bad", "x"), cause("One", 1), cause("Again", 1)
    _, problems = order_causes([missing, bad, one, again])
    assert [page for page, _ in problems] == [missing, bad, one]


def test_neighbours_link_previous_and_next_and_number_the_causes():
    pages = [cause("A", 1), cause("B", 2), cause("C", 3)]
    link_neighbours(pages)
    a, b, c = pages
    assert (a.previous_cause, a.next_cause, a.cause_number) == (None, b, 1)
    assert (b.previous_cause, b.next_cause, b.cause_number) == (a, c, 2)
    assert (c.previous_cause, c.next_cause, c.cause_number) == (b, None, 3)


def test_a_single_cause_has_no_neighbours():
    [only] = pages = [cause("Only", 1)]
    link_neighbours(pages)
    assert (only.previous_cause, only.next_cause, only.cause_number) == (None, None, 1)


def page(title: str, url: str, nav_title=None) -> SimpleNamespace:
    return SimpleNamespace(title=title, url=url, nav_title=nav_title)


HOME = page("Restless legs syndrome: a guide", "", nav_title="Guide")


def test_a_cause_page_trail_goes_home_hub_page():
    hub = page("Causes of restless legs", "causes/", nav_title="Causes")
    iron = page("Iron deficiency", "causes/iron-deficiency/")
    trail = breadcrumb_trail(iron, HOME, {"causes/": hub, iron.url: iron})
    assert trail == [Crumb("Home", ""), Crumb("Causes", "causes/"), Crumb("Iron deficiency", "causes/iron-deficiency/")]


def test_the_hub_itself_appears_once():
    hub = page("Causes of restless legs", "causes/", nav_title="Causes")
    assert breadcrumb_trail(hub, HOME, {"causes/": hub}) == [Crumb("Home", ""), Crumb("Causes", "causes/")]


def test_folders_without_a_page_are_skipped():
    deep = page("Deep", "a/b/deep/")
    b = page("B", "a/b/")
    assert breadcrumb_trail(deep, HOME, {"a/b/": b}) == [Crumb("Home", ""), Crumb("B", "a/b/"), Crumb("Deep", "a/b/deep/")]


def test_home_links_to_the_home_page_url_or_the_root_without_one():
    about = page("About", "about/")
    assert breadcrumb_trail(about, page("Guide", "guide/"), {})[0] == Crumb("Home", "guide/")
    assert breadcrumb_trail(about, None, {}) == [Crumb("Home", ""), Crumb("About", "about/")]
