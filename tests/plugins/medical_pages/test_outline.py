"""The "On this page" outline: h2 headings with their h3 headings as children."""

from __future__ import annotations

from medical_pages.outline import OutlineEntry, outline


def test_h3_headings_nest_under_the_h2_before_them():
    html = (
        '<h2 id="causes">Causes</h2><p>x</p>'
        '<h3 id="iron">Iron</h3><h3 id="kidneys">Kidneys</h3>'
        '<h2 id="treatment">Treatment</h2>'
    )
    assert outline(html) == [
        OutlineEntry("causes", "Causes", [OutlineEntry("iron", "Iron"), OutlineEntry("kidneys", "Kidneys")]),
        OutlineEntry("treatment", "Treatment"),
    ]


def test_heading_text_is_plain_text_with_ordinary_spaces():
    html = '<h2 id="tips">Tips &amp; <em>sleep</em>\xa0habits</h2><h2 id="b">When to&nbsp;get help</h2>'
    assert [entry.text for entry in outline(html)] == ["Tips & sleep habits", "When to get help"]


def test_an_h3_before_any_h2_is_a_top_level_entry():
    assert outline('<h3 id="first">First</h3><h2 id="second">Second</h2>') == [
        OutlineEntry("first", "First"),
        OutlineEntry("second", "Second"),
    ]


def test_other_levels_and_headings_without_id_are_left_out():
    html = '<h1 id="title">Title</h1><h2>No id</h2><h4 id="deep">Deep</h4><h2 id="kept">Kept</h2>'
    assert outline(html) == [OutlineEntry("kept", "Kept")]


def test_a_page_without_headings_has_no_outline():
    assert outline("<p>Just text.</p>") == []
