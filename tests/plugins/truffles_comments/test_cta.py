"""The call to action: on the guide and every cause page, after the content
and before the comments, switchable and overridable per page."""

from __future__ import annotations

import re

import pytest
from truffles_comments.settings import DEFAULT_CTA

from tests.support.comment_sites import build_fixture, copy_fixture, soup

CLINIC_URL = "https://trufflesveinspecialists.com/"


@pytest.fixture(scope="module")
def thread_site(fixture_sites):
    return fixture_sites.get("thread")


def cta(page):
    return page.select_one("aside.tc-cta")


def test_the_article_shows_the_default_call_to_action(thread_site):
    block = cta(soup(thread_site, "/thread-guide/"))
    heading = block.find("h2")
    assert block["aria-labelledby"] == heading["id"]
    assert heading.get_text() == DEFAULT_CTA["heading"]
    assert block.select_one("p.tc-cta__text").get_text() == DEFAULT_CTA["text"]
    link = block.select_one("a.tc-cta__button")
    assert (link["href"], link.get_text()) == (CLINIC_URL, "Book a consultation")


def test_it_comes_after_the_content_and_before_the_comments(thread_site):
    page = soup(thread_site, "/thread-guide/")
    block, section = cta(page), page.select_one("section.tc-comments")
    assert section in block.find_all_next("section")
    before = " ".join(" ".join(p.get_text().split()) for p in block.find_all_previous("p"))
    assert "This article exists to carry a comment thread." in before


def test_cta_off_in_page_metadata_hides_it(thread_site):
    assert cta(soup(thread_site, "/pages/quiet-page/")) is None


def test_page_metadata_overrides_heading_and_text(thread_site):
    block = cta(soup(thread_site, "/pages/hidden-page/"))
    assert block.find("h2").get_text() == "A different heading for this page"
    assert block.select_one("p.tc-cta__text").get_text() == "A different sentence for this page."
    assert block.select_one("a")["href"] == CLINIC_URL


def test_the_cta_setting_changes_every_page(tmp_path):
    custom = {"heading": "See a specialist", "text": "We can help.", "link_label": "Contact the clinic"}
    result = build_fixture("thread", tmp_path / "out", CTA=custom)
    assert result.ok, result.problems
    block = cta(soup(result, "/pages/closed-page/"))
    assert block.find("h2").get_text() == "See a specialist"
    assert block.select_one("a").get_text() == "Contact the clinic"
    assert block.select_one("a")["href"] == CLINIC_URL  # default kept for keys not given


def test_the_cta_can_be_limited_to_articles_or_switched_off(tmp_path):
    articles_only = build_fixture("thread", tmp_path / "a", CTA={"show_on": ["article"]})
    assert cta(soup(articles_only, "/thread-guide/")) is not None
    assert cta(soup(articles_only, "/pages/closed-page/")) is None
    off = build_fixture("thread", tmp_path / "b", CTA={"enabled": False})
    assert all(cta(soup(off, url)) is None for url in ("/thread-guide/", "/pages/closed-page/"))


def test_hidden_pages_get_no_cta_unless_they_ask_for_it(tmp_path):
    content = copy_fixture("bad_base", tmp_path / "content")
    (content / "pages" / "not-found.md").write_text(
        "Title: Not found\nSlug: not-found\nStatus: hidden\n\nGone.\n", encoding="utf-8"
    )
    (content / "pages" / "hidden-with-cta.md").write_text(
        "Title: Hidden with CTA\nSlug: hidden-with-cta\nStatus: hidden\nCta: on\n\nStill here.\n", encoding="utf-8"
    )
    result = build_fixture(content, tmp_path / "out")
    assert result.ok, result.problems
    assert cta(soup(result, "/pages/not-found/")) is None
    assert soup(result, "/pages/not-found/").select_one("section.tc-comments") is None
    assert cta(soup(result, "/pages/hidden-with-cta/")) is not None


def test_the_default_text_invents_no_phone_number_address_person_or_statistic():
    words = " ".join(str(DEFAULT_CTA[k]) for k in ("heading", "text", "link_label"))
    assert not re.search(r"\d", words)  # no phone number, price, percentage or year
    assert "Truffles Vein Specialists" in words
    assert DEFAULT_CTA["link_url"] == CLINIC_URL
    for invented in ("Dr", "Street", "Road", "call us", "%", "testimonial", "patients say"):
        assert invented.lower() not in words.lower()


def test_the_real_guide_and_every_cause_page_show_the_cta(site_with_plugin):
    result = site_with_plugin
    urls = ["/"] + sorted(
        "/" + p.parent.relative_to(result.output).as_posix() + "/"
        for p in (result.output / "causes").glob("*/index.html")
    )
    assert len(urls) > 1, "the project has cause pages"
    for url in urls:
        block = cta(soup(result, url))
        assert block is not None, url
        assert block.select_one("a.tc-cta__button")["href"] == CLINIC_URL
        # The real content ships no comments: the section says so.
        section = soup(result, url).select_one("section.tc-comments")
        assert section is not None and "No comments yet" in section.find("h2").get_text()


@pytest.fixture(scope="module")
def site_with_plugin(site):
    """The project's own site, built with pelicanconf.py as it is (the session's build)."""
    return site


# --- Honest wording per page: CTA_PAGES ------------------------------------------

NOT_VEIN_CAUSES = ["genetic-predisposition", "iron-deficiency", "dopamine", "kidney-disease", "medications", "neurological"]


@pytest.mark.parametrize("slug", NOT_VEIN_CAUSES)
def test_pages_about_causes_a_vein_clinic_does_not_treat_say_what_it_can_offer(site_with_plugin, slug):
    block = cta(soup(site_with_plugin, f"/causes/{slug}/"))
    heading, text = block.find("h2").get_text(), block.select_one("p.tc-cta__text").get_text()
    assert heading != DEFAULT_CTA["heading"] and "vein specialist" not in heading.lower()
    assert "GP" in text, "it names who to see for RLS itself"
    assert "check them for vein disease" in text, "and what the clinic can honestly offer"
    assert block.select_one("a.tc-cta__button")["href"] == CLINIC_URL
    words = " ".join((heading, text, block.select_one("a").get_text()))
    assert not re.search(r"\d", words)  # no phone number, price or statistic
    for invented in ("Dr ", "Street", "Road", "call us"):
        assert invented.lower() not in words.lower()


@pytest.mark.parametrize("url", ["/", "/causes/vascular/", "/causes/pregnancy/"])
def test_the_guide_and_the_vein_related_pages_keep_the_default_wording(site_with_plugin, url):
    assert cta(soup(site_with_plugin, url)).find("h2").get_text() == DEFAULT_CTA["heading"]


def test_cta_pages_sets_wording_by_source_path_and_page_metadata_wins(tmp_path):
    pages = {
        "pages/closed-page.md": {"text": "Wording for the closed page.", "link_label": "Visit the clinic"},
        "pages/hidden-page.md": {"heading": "Setting heading", "text": "Setting text."},
    }
    result = build_fixture("thread", tmp_path / "out", CTA_PAGES=pages)
    assert result.ok, result.problems
    closed = cta(soup(result, "/pages/closed-page/"))
    assert closed.find("h2").get_text() == DEFAULT_CTA["heading"]  # not given: the default stays
    assert closed.select_one("p.tc-cta__text").get_text() == "Wording for the closed page."
    assert (closed.select_one("a").get_text(), closed.select_one("a")["href"]) == ("Visit the clinic", CLINIC_URL)
    hidden = cta(soup(result, "/pages/hidden-page/"))  # its own Cta_heading:/Cta_text: metadata
    assert hidden.find("h2").get_text() == "A different heading for this page"
    assert hidden.select_one("p.tc-cta__text").get_text() == "A different sentence for this page."
    assert cta(soup(result, "/thread-guide/")).find("h2").get_text() == DEFAULT_CTA["heading"]


def test_a_cta_pages_path_that_names_no_page_is_reported_as_a_warning(tmp_path, caplog):
    import logging

    caplog.set_level(logging.WARNING)
    result = build_fixture("thread", tmp_path / "out", CTA_PAGES={"pages/no-such-page.md": {"text": "Lost."}})
    assert result.ok, result.problems
    warnings = [r.getMessage() for r in caplog.records if "CTA_PAGES" in r.getMessage()]
    assert len(warnings) == 1 and "'pages/no-such-page.md' names no article or page" in warnings[0]


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        (["causes/dopamine.md"], "setting CTA_PAGES: expected a dict"),
        ({"/causes/dopamine.md": {"text": "x"}}, "must be a source path relative to PATH"),
        ({"causes/dopamine.md": {"link_url": "https://elsewhere.test/"}}, "expected a dict with any of heading, text, link_label"),
        ({"causes/dopamine.md": {}}, "expected a dict with any of heading, text, link_label"),
        ({"causes/dopamine.md": {"text": "  "}}, "'text' must be non-empty text"),
    ],
)
def test_bad_cta_pages_settings_are_named(pages, message):
    from truffles_comments.settings import SettingsError, read_settings

    with pytest.raises(SettingsError, match=re.escape(message)):
        read_settings({"PATH": "content", "CTA_PAGES": pages})
