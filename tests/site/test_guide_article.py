"""The clinic's article is published intact and structured as a reader expects."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import SEED_ARTICLE
from tests.support.textnorm import normalise, seed_sentences

CAUSE_IDS = [
    "genetic-predisposition", "iron-deficiency", "dopamine", "kidney-disease",
    "pregnancy", "vascular", "medications", "neurological",
]


@pytest.fixture(scope="module")
def guide(site):
    return BeautifulSoup(site.page("/").read_text(encoding="utf-8"), "html.parser")


def _reading_text(soup) -> str:
    main = soup.find("main")
    for marker in main.select("sup.cite"):
        marker.decompose()
    return normalise(main.get_text(""))


def test_every_sentence_of_the_clinics_article_is_on_the_home_page(guide):
    text = _reading_text(guide)
    sentences = seed_sentences(SEED_ARTICLE.read_text(encoding="utf-8"))
    assert len(sentences) > 80
    missing = [s for s in sentences if s not in text]
    assert not missing, "sentences of the clinic's article missing from the page:\n" + "\n".join(missing)


def test_the_title_is_the_only_h1(guide):
    h1s = guide.find_all("h1")
    assert len(h1s) == 1
    first_line = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    assert normalise(h1s[0].get_text()) == normalise(first_line)


def test_each_of_the_eight_causes_is_a_section_with_its_own_heading_and_id(guide):
    for cause_id in CAUSE_IDS:
        heading = guide.find(id=cause_id)
        assert heading is not None, cause_id
        assert heading.name in {"h2", "h3"}, cause_id


def test_on_this_page_links_to_every_section(guide):
    toc = guide.find("nav", attrs={"aria-labelledby": "toc-title"})
    assert toc is not None
    assert toc.find(id="toc-title").get_text(strip=True) == "On this page"
    targets = [a["href"][1:] for a in toc.find_all("a")]
    for cause_id in CAUSE_IDS:
        assert cause_id in targets
    for target in targets:
        assert guide.find(id=target) is not None, f"#{target} has no target"
    top_level = [h["id"] for h in guide.find("main").select(".prose h2[id]")]
    assert [t for t in targets if t in top_level] == top_level


def test_lists_in_the_text_are_real_lists(guide):
    prose = guide.select_one("main .prose")
    items = [normalise(li.get_text("")) for li in prose.find_all("li")]
    assert any(i.startswith("Blood tests to evaluate iron levels") for i in items)
    assert any(i.startswith("Regular moderate exercise") for i in items)
    assert any(i.startswith("Expertise in Vascular Medicine:") for i in items)


def test_the_seeds_empty_comments_heading_is_not_rendered_as_an_empty_heading(guide):
    for heading in guide.find_all(["h2", "h3"]):
        if heading.get_text(strip=True).startswith("Comments"):
            section = heading.find_parent("section")
            assert section is not None, "a Comments heading must belong to the comments section"


def test_last_reviewed_date_and_disclaimer_are_visible(guide):
    meta = guide.select_one(".page-meta")
    assert "Last reviewed:" in meta.get_text(" ")
    time = meta.find("time")
    assert time["datetime"] == "2026-11-24"
    disclaimer = guide.find("section", class_="disclaimer")
    assert disclaimer is not None
    assert "not replace advice from a doctor" in disclaimer.get_text(" ")
