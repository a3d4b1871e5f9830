"""The real site with the comments plugin: every page that takes comments shows
the form, the call to action sits on the guide and every cause page, and the
optional script loads only where there is a form to improve."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import FORM_ENDPOINT as ENDPOINT

# site_with_form (tests/conftest.py): the real site built with COMMENTS_ENDPOINT=ENDPOINT.


def _soup(result, url):
    return BeautifulSoup(result.page(url).read_text(encoding="utf-8"), "html.parser")


def test_every_page_open_for_comments_shows_a_form_posting_to_the_endpoint(site_with_form):
    index = json.loads((site_with_form.output / "comments-index.json").read_text(encoding="utf-8"))["pages"]
    open_pages = {slug: entry["url"] for slug, entry in index.items() if entry["comments"] == "open"}
    assert len(open_pages) == 9  # the guide and the eight causes
    for slug, url in open_pages.items():
        soup = _soup(site_with_form, url)
        form = soup.select_one("form.tc-form")
        assert form is not None, url
        assert form["action"] == ENDPOINT and form["method"].lower() == "post"
        assert soup.find("input", attrs={"name": "options[slug]"})["value"] == slug


def test_pages_not_open_for_comments_have_no_form_and_no_script(site_with_form):
    for url in ("/causes/", "/404.html"):
        soup = _soup(site_with_form, url)
        assert soup.select_one("form.tc-form") is None, url
        assert not [s for s in soup.find_all("script", src=True) if "comment_form" in s["src"]], url


def test_the_optional_script_is_one_fingerprinted_file_loaded_deferred(site_with_form):
    soup = _soup(site_with_form, "/causes/iron-deficiency/")
    scripts = [s for s in soup.find_all("script", src=True)]
    assert len(scripts) == 1 and scripts[0].has_attr("defer")
    assert (site_with_form.output / scripts[0]["src"].lstrip("/")).is_file()
    assert scripts[0]["src"].startswith("/static/comment_form.")


def test_the_form_target_is_allowed_by_the_pages_content_security_policy(site_with_form):
    meta = _soup(site_with_form, "/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    policy = {d.split()[0]: d.split()[1:] for d in meta.split("; ")}
    assert policy["form-action"] == ["'self'", "http://127.0.0.1:8001"]
    assert policy["connect-src"] == ["'self'", "http://127.0.0.1:8001"]


@pytest.mark.parametrize("url", ["/"] + [f"/causes/{slug}/" for slug in (
    "genetic-predisposition", "iron-deficiency", "dopamine", "kidney-disease",
    "pregnancy", "vascular", "medications", "neurological")])
def test_the_call_to_action_comes_after_the_content_and_before_the_comments(site, url):
    soup = _soup(site, url)
    cta = soup.find("aside", attrs={"aria-labelledby": True}, class_="tc-cta")
    assert cta is not None, url
    assert cta.find("a", href="https://trufflesveinspecialists.com/") is not None
    comments = soup.find("section", class_="tc-comments")
    article = soup.find("article", class_="doc")
    order = [el for el in soup.main.find_all(True) if el in (article, cta, comments)]
    assert order == [article, cta, comments]


def test_without_an_endpoint_the_section_says_posting_is_not_available(site):
    section = _soup(site, "/causes/pregnancy/").find("section", class_="tc-comments")
    assert section.select_one("form") is None
    assert "closed" in section.get_text(" ").lower()


def test_the_forms_field_names_and_limits_are_the_receivers(site_with_form):
    from comment_core import form as spec

    form = _soup(site_with_form, "/causes/iron-deficiency/").select_one("form.tc-form")
    limits = {spec.NAME: spec.MAX_NAME, spec.MESSAGE: spec.MAX_MESSAGE, spec.WEBSITE: spec.MAX_WEBSITE}
    for name, limit in limits.items():
        field = form.find(attrs={"name": name})
        assert field is not None and int(field["maxlength"]) == limit, name
    sent = {field["name"] for field in form.find_all(["input", "textarea"]) if field.get("name")}
    assert sent <= set(spec.KNOWN_FIELDS), sent - set(spec.KNOWN_FIELDS)
    assert form.find(attrs={"name": spec.CONSENT})["value"] == spec.CONSENT_VALUE
