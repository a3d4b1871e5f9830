"""The theme's partials rendered on their own, through a Jinja environment over
theme/templates set up as Pelican sets it up, with fixture data: no site build."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader

from tests.support.sitebuild import ROOT

TEMPLATES = ROOT / "theme" / "templates"
SETTINGS = {"SITEURL": "https://example.test", "DEFAULT_DATE_FORMAT": "%-d %B %Y"}


def environment() -> Environment:
    # Pelican's own JINJA_ENVIRONMENT defaults: whitespace control depends on them.
    return Environment(loader=FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True)


def render(name: str, **context) -> BeautifulSoup:
    html = environment().get_template(f"partials/{name}").render(**SETTINGS, **context)
    return BeautifulSoup(html, "html.parser")


def page(**attributes) -> SimpleNamespace:
    defaults = {
        "title": "A page", "url": "pages/a-page/", "author": "Truffles Vein Specialists",
        "reviewed": None, "reviewer": None, "next_review": None, "modified": None,
        "nav_title": None, "notice": None, "relative_source_path": "pages/a-page.md",
        "truffles_comments": None,
    }
    return SimpleNamespace(**{**defaults, **attributes})


# --- Structure ---------------------------------------------------------------------

def test_no_partial_defines_a_block_because_an_included_block_can_never_be_overridden():
    for partial in sorted((TEMPLATES / "partials").glob("*.html")):
        assert not re.search(r"{%-?\s*block\b", partial.read_text(encoding="utf-8")), partial.name


def test_only_base_html_writes_the_document_shell_and_every_page_template_extends_it():
    for name in ("article.html", "page.html", "cause.html", "causes_hub.html", "error.html", "medical.html"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "<head>" not in source and "<html" not in source, name
        assert _chain(name)[-1] == "base.html", name
        environment().get_template(name)  # parses
    for name in ("article.html", "cause.html", "causes_hub.html"):
        assert "medical.html" in _chain(name), name


def _chain(name: str) -> list[str]:
    """The template and every template it extends, nearest first."""
    chain = []
    while name:
        chain.append(name)
        match = re.search(r'{%\s*extends\s+"([^"]+)"', (TEMPLATES / name).read_text(encoding="utf-8"))
        name = match.group(1) if match else None
    return chain


def test_the_empty_page_extra_hook_renders_nothing():
    assert environment().get_template("partials/page_extra.html").render(item=page()).strip() == ""


# --- Page meta: who reviewed, when, and when next ------------------------------------

def test_page_meta_shows_the_reviewer_role_and_the_next_review_date():
    item = page(
        reviewed=dt.datetime(2026, 11, 24), reviewer="the clinic's medical team",
        next_review=dt.date(2027, 11, 24), modified=dt.datetime(2026, 11, 25),
    )
    items = [" ".join(li.get_text(" ").split()) for li in render("page_meta.html", item=item).find_all("li")]
    assert items == [
        "By Truffles Vein Specialists",
        "Last reviewed: 24 November 2026 by the clinic's medical team",
        "Next review due: 24 November 2027",
        "Last updated: 25 November 2026",
    ]
    times = [t["datetime"] for t in render("page_meta.html", item=item).find_all("time")]
    assert times == ["2026-11-24", "2027-11-24", "2026-11-25"]


def test_page_meta_without_a_reviewer_setting_names_nobody():
    item = page(reviewed=dt.datetime(2026, 11, 24), next_review=dt.date(2027, 11, 24))
    text = render("page_meta.html", item=item).get_text(" ")
    assert "Last reviewed" in text and " by " not in text.replace("By ", "")


def test_page_meta_of_an_unreviewed_page_has_no_review_lines():
    assert [li.get_text() for li in render("page_meta.html", item=page()).find_all("li")] == ["By Truffles Vein Specialists"]


# --- The guide's notice ------------------------------------------------------------

def test_the_guide_notice_is_a_named_note_with_the_settings_words():
    words = "This guide keeps the clinic's original text as written."
    note = render("guide_notice.html", item=page(notice=words)).find("aside")
    assert note["role"] == "note" and note["aria-label"]
    assert note.get_text(strip=True) == words


def test_no_notice_text_renders_nothing():
    assert render("guide_notice.html", item=page()).get_text().strip() == ""


# --- Footer and comment policy: links only to pages that exist -----------------------

ABOUT = page(title="About this guide", url="pages/about/", relative_source_path="pages/about.md")
POLICY = page(title="Comment policy", url="pages/comment-policy/", relative_source_path="pages/comment-policy.md")
FOOTER_PAGES = ["pages/about.md", "pages/comment-policy.md"]
CLINIC = {"name": "Truffles Vein Specialists", "url": "https://trufflesveinspecialists.com/"}


def footer_links(**context):
    nav = render("footer.html", CLINIC=CLINIC, FOOTER_PAGES=FOOTER_PAGES, **context).find("nav")
    return None if nav is None else [(a.get_text(), a["href"], a.get("aria-current")) for a in nav.find_all("a")]


def test_the_footer_links_the_configured_pages_in_the_settings_order():
    assert footer_links(pages=[POLICY, page(), ABOUT], hidden_pages=[], item=page()) == [
        ("About this guide", "https://example.test/pages/about/", None),
        ("Comment policy", "https://example.test/pages/comment-policy/", None),
    ]


def test_the_footer_finds_hidden_pages_and_marks_the_current_one():
    links = footer_links(pages=[], hidden_pages=[ABOUT], item=ABOUT)
    assert links == [("About this guide", "https://example.test/pages/about/", "page")]


def test_the_footer_has_no_link_list_when_no_configured_page_is_in_the_build():
    assert footer_links(pages=[page()], hidden_pages=[], item=page()) is None
    assert footer_links(item=None) is None  # a template page such as robots.txt has no page lists


def visible_comments():
    return SimpleNamespace(visible=True)


@pytest.mark.parametrize(
    ("comments", "pages", "policy_setting", "shown"),
    [
        (visible_comments(), [POLICY], "pages/comment-policy.md", True),
        (visible_comments(), [ABOUT], "pages/comment-policy.md", False),  # policy page not built
        (SimpleNamespace(visible=False), [POLICY], "pages/comment-policy.md", False),  # no comments shown
        (None, [POLICY], "pages/comment-policy.md", False),  # comments plugin not loaded
        (visible_comments(), [POLICY], None, False),  # switched off in settings
    ],
)
def test_the_comment_policy_link_needs_comments_and_the_policy_page(comments, pages, policy_setting, shown):
    item = page(truffles_comments=comments)
    link = render("comment_policy_link.html", item=item, pages=pages, hidden_pages=[], COMMENT_POLICY_PAGE=policy_setting).find("a")
    if shown:
        assert (link.get_text(), link["href"]) == ("comment policy", "https://example.test/pages/comment-policy/")
    else:
        assert link is None


# --- Existing partials -------------------------------------------------------------

def test_breadcrumbs_mark_the_last_crumb_as_the_current_page():
    crumbs = [SimpleNamespace(title="Home", url=""), SimpleNamespace(title="Causes", url="causes/")]
    nav = render("breadcrumbs.html", item=page(breadcrumbs=crumbs)).find("nav")
    assert nav["aria-label"] == "Breadcrumb"
    assert [(a.get_text(), a.get("aria-current")) for a in nav.find_all("a")] == [("Home", None), ("Causes", "page")]


def test_the_outline_needs_two_headings_and_nests_third_level_ones():
    entry = lambda id, children=(): SimpleNamespace(id=id, text=id.title(), children=list(children))  # noqa: E731
    assert render("toc.html", item=page(outline=[entry("one")])).find("nav") is None
    nav = render("toc.html", item=page(outline=[entry("one", [entry("sub")]), entry("two")])).find("nav")
    assert [a["href"] for a in nav.find_all("a")] == ["#one", "#sub", "#two"]
    assert nav.select_one("ol ol a")["href"] == "#sub"
