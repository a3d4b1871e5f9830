"""Numbered citations: the shared reference list is checked when read, and each
page numbers its own sources 1..n in order of first use, with back links."""

from __future__ import annotations

from pathlib import Path

import pytest
from medical_pages.citations import Reference, ReferenceListError, apply_citations, load_references

from tests.support.sitebuild import ROOT

GOOD = """\
# A comment line, as in content/data/references.yaml
5:
  text: "  Allen RP, et al. Iron guidelines. Sleep Med. 2018.  "
  link: " https://pubmed.ncbi.nlm.nih.gov/29425576/ "
  verify: true  # the fact sheet flags this entry
16:
  text: "Trenkwalder C, et al. RLS and major diseases."
  link: "https://doi.org/10.1212/WNL.0000000000002542"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_list_is_read_with_text_and_link_stripped(tmp_path):
    references = load_references(write(tmp_path, GOOD))
    assert references == {
        5: Reference(5, "Allen RP, et al. Iron guidelines. Sleep Med. 2018.", "https://pubmed.ncbi.nlm.nih.gov/29425576/", verify=True),
        16: Reference(16, "Trenkwalder C, et al. RLS and major diseases.", "https://doi.org/10.1212/WNL.0000000000002542"),
    }


def test_the_projects_own_reference_list_is_valid():
    references = load_references(ROOT / "content" / "data" / "references.yaml")
    assert references and all(ref.link.startswith("https://") for ref in references.values())


def test_a_missing_file_means_no_references(tmp_path):
    assert load_references(tmp_path / "absent.yaml") == {}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1: [unclosed\n", "is not valid YAML"),
        ("- text: a list, not a mapping\n", "must map reference numbers to {text: …, link: …}"),
        ("", "must map reference numbers"),
        ("one:\n  text: t\n  link: https://example.org/\n", "key 'one' must be a number"),
        ("3:\n  text: only a text\n", "reference 3 needs both 'text' and 'link'"),
        ("3:\n  link: https://example.org/\n", "reference 3 needs both 'text' and 'link'"),
        ("3: just a string\n", "reference 3 needs both 'text' and 'link'"),
        ("3:\n  text: t\n  link: http://example.org/\n", "reference 3: link 'http://example.org/' must be an https:// address"),
    ],
    ids=["yaml", "list", "empty", "key", "no-link", "no-text", "not-a-mapping", "http"],
)
def test_a_bad_list_raises_a_message_saying_what_to_fix(tmp_path, text, expected):
    with pytest.raises(ReferenceListError) as error:
        load_references(write(tmp_path, text))
    assert expected in str(error.value)


REFS = {
    number: Reference(number, f"Reference {number}.", f"https://example.org/{number}")
    for number in (1, 5, 16)
}


def test_sources_are_numbered_in_order_of_first_use():
    html, sources, problems = apply_citations("<p>A [@16]. B [@5]. C [@16].</p>", REFS)
    assert problems == []
    assert [(s.index, s.reference.number) for s in sources] == [(1, 16), (2, 5)]
    assert html == (
        '<p>A <sup class="cite">[<a href="#source-1" id="cite-1-1" aria-label="Source 1">1</a>]</sup>. '
        'B <sup class="cite">[<a href="#source-2" id="cite-2-1" aria-label="Source 2">2</a>]</sup>. '
        'C <sup class="cite">[<a href="#source-1" id="cite-1-2" aria-label="Source 1">1</a>]</sup>.</p>'
    )


def test_each_source_knows_every_marker_citing_it_for_back_links():
    _, sources, _ = apply_citations("<p>[@1, 5] and [@ 5 ] and [@1]</p>", REFS)
    assert {s.reference.number: s.citation_ids for s in sources} == {
        1: ("cite-1-1", "cite-1-2"),
        5: ("cite-2-1", "cite-2-2"),
    }


def test_one_marker_may_cite_several_sources():
    html, _, _ = apply_citations("[@1,16]", REFS)
    assert html == (
        '<sup class="cite">[<a href="#source-1" id="cite-1-1" aria-label="Source 1">1</a>, '
        '<a href="#source-2" id="cite-2-1" aria-label="Source 2">2</a>]</sup>'
    )


def test_a_page_without_markers_is_unchanged_and_has_no_sources():
    assert apply_citations("<p>No citations [here].</p>", REFS) == ("<p>No citations [here].</p>", [], [])


def test_an_unknown_number_is_a_problem_and_is_left_out():
    html, sources, problems = apply_citations("<p>A [@99]. B [@5,99].</p>", REFS)
    assert problems == [
        "citation [@99] names no entry in the reference list "
        "(content/data/references.yaml); add the reference there or fix the number"
    ] * 2
    assert "99" not in html and "[@" not in html
    assert [s.reference.number for s in sources] == [5]
    assert 'href="#source-1"' in html


def test_a_marker_that_does_not_parse_is_a_problem():
    html, sources, problems = apply_citations("<p>A [@12a] and [@] and [@1;5].</p>", REFS)
    assert problems == [
        "'[@12a]' is not a valid citation; write [@12] or [@1,16]",
        "'[@]' is not a valid citation; write [@12] or [@1,16]",
        "'[@1;5]' is not a valid citation; write [@12] or [@1,16]",
    ]
    assert sources == []
