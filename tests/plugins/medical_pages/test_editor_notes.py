"""Editor's notes: the Markdown admonition becomes <aside role="note"> with a
heading one level below the section it sits in."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup
from medical_pages.editor_notes import render_editor_notes

NOTE = '!!! editor-note "Editor\'s note, 24 November 2026"\n    Current guidelines *differ*.\n\n    Second paragraph.\n'


def rendered(source: str, **kwargs) -> BeautifulSoup:
    html = markdown.markdown(source, extensions=["admonition", "toc"], output_format="html5")
    return BeautifulSoup(render_editor_notes(html, **kwargs), "html.parser")


def test_a_note_becomes_an_aside_labelled_by_its_heading():
    page = rendered("## Iron\n\nText.\n\n" + NOTE)
    [aside] = page.find_all("aside")
    assert aside["role"] == "note"
    assert aside["class"] == ["callout", "callout--editor"]
    heading = aside.find("h3")
    assert aside["aria-labelledby"] == heading["id"] == "editor-note-1"
    assert heading.get_text() == "Editor's note, 24 November 2026"
    assert [p.get_text() for p in aside.find_all("p")] == ["Current guidelines differ.", "Second paragraph."]
    assert page.find("div") is None and page.find(class_="admonition-title") is None


def test_the_heading_is_one_level_below_the_section_it_is_in():
    page = rendered("## Causes\n\n### Iron\n\n" + NOTE + "\n## Treatment\n\n" + NOTE)
    assert [aside.find(["h2", "h3", "h4", "h5", "h6"]).name for aside in page.find_all("aside")] == ["h4", "h3"]


def test_without_a_heading_before_it_the_level_follows_base_level():
    assert rendered(NOTE).find("aside").find("h2") is not None
    assert rendered(NOTE, base_level=2).find("aside").find("h3") is not None


def test_the_level_never_goes_beyond_h6():
    assert rendered("###### Deep\n\n" + NOTE).find("aside").find("h6") is not None


def test_each_note_gets_its_own_id():
    page = rendered("## A\n\n" + NOTE + "\n## B\n\n" + NOTE)
    ids = [aside.find(["h3"])["id"] for aside in page.find_all("aside")]
    assert ids == ["editor-note-1", "editor-note-2"]
    assert [aside["aria-labelledby"] for aside in page.find_all("aside")] == ids


def test_other_admonitions_and_text_are_left_alone():
    source = "## A\n\nBefore.\n\n!!! note \"Plain\"\n    Not ours.\n\n" + NOTE + "\nAfter.\n"
    html = markdown.markdown(source, extensions=["admonition", "toc"], output_format="html5")
    page = BeautifulSoup(render_editor_notes(html), "html.parser")
    assert page.select_one("div.admonition.note p.admonition-title").get_text() == "Plain"
    assert [p.get_text() for p in page.find_all("p", recursive=False)][:1] == ["Before."]
    assert page.find_all("p")[-1].get_text() == "After."


def test_content_without_notes_is_returned_unchanged():
    html = '<h2 id="a">A</h2><div class="admonition note"><p class="admonition-title">T</p><p>x</p></div>'
    assert render_editor_notes(html) == html
