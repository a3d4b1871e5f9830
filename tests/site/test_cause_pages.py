"""The eight cause pages: sourced, reviewed, linked and easy to navigate."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.support.sitebuild import CAUSE_URLS, CAUSES, FIXTURES, ROOT, build_site, build_site_cli, soup_of
from tests.support.textnorm import normalise

MEDICAL_PAGES = ["/", "/causes/", *CAUSE_URLS]


def href_to_path(href: str) -> str:
    return href.split("#")[0] or "/"


def json_ld(soup) -> list[dict]:
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    items = []
    for block in blocks:
        items.extend(block if isinstance(block, list) else [block])
    return items


def test_the_guide_links_each_cause_section_to_its_page(site):
    guide = soup_of(site, "/")
    for slug, section_id in CAUSES:
        heading = guide.find(id=section_id)
        # The "More about" link closes the section: it comes after the heading
        # and before the next heading.
        link = None
        for element in heading.find_all_next(["a", "h2", "h3"]):
            if element.name in ("h2", "h3"):
                break
            if element.get("href", "").rstrip("/").endswith(f"/causes/{slug}"):
                link = element
        assert link is not None, f"no link from #{section_id} to /causes/{slug}/"
        assert link.get_text().startswith("More about")


def test_the_hub_lists_all_causes_in_the_guides_order_with_summaries(site):
    hub = soup_of(site, "/causes/")
    items = hub.select("ol.cause-list > li")
    assert [href_to_path(li.a["href"]) for li in items] == CAUSE_URLS
    for li in items:
        assert len(li.p.get_text(strip=True)) > 20


def test_previous_and_next_links_follow_the_guides_order(site):
    for index, url in enumerate(CAUSE_URLS):
        nav = soup_of(site, url).find("nav", attrs={"aria-label": "More causes"})
        prev_link = nav.find("a", rel="prev")
        next_link = nav.find("a", rel="next")
        if index == 0:
            assert prev_link is None
        else:
            assert href_to_path(prev_link["href"]) == CAUSE_URLS[index - 1]
        if index == len(CAUSE_URLS) - 1:
            assert next_link is None
        else:
            assert href_to_path(next_link["href"]) == CAUSE_URLS[index + 1]


def test_each_cause_page_links_back_to_its_section_of_the_guide(site):
    guide = soup_of(site, "/")
    for slug, section_id in CAUSES:
        back = soup_of(site, f"/causes/{slug}/").find("a", class_="back-to-guide")
        path, _, fragment = back["href"].partition("#")
        assert (path or "/") == "/" and fragment == section_id
        assert guide.find(id=fragment) is not None


def test_breadcrumbs_are_marked_up_and_match_the_breadcrumb_list(site):
    for url in ["/causes/", *CAUSE_URLS]:
        soup = soup_of(site, url)
        nav = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
        crumbs = nav.find_all("a")
        assert crumbs[0].get_text(strip=True) == "Home"
        assert crumbs[-1]["aria-current"] == "page"
        assert href_to_path(crumbs[-1]["href"]) == url
        if url != "/causes/":
            assert [normalise(c.get_text()) for c in crumbs][:2] == ["Home", "Causes of restless legs syndrome"]
        trail = next(i for i in json_ld(soup) if i["@type"] == "BreadcrumbList")
        elements = trail["itemListElement"]
        assert [e["position"] for e in elements] == list(range(1, len(crumbs) + 1))
        assert [normalise(e["name"]) for e in elements] == [normalise(c.get_text(strip=True)) for c in crumbs]
        assert [href_to_path(e["item"]) for e in elements] == [href_to_path(c["href"]) for c in crumbs]


@pytest.mark.parametrize("url", MEDICAL_PAGES)
def test_medical_web_page_structured_data(site, url):
    soup = soup_of(site, url)
    page = next(i for i in json_ld(soup) if i["@type"] == "MedicalWebPage")
    assert page["about"] == {
        "@type": "MedicalCondition", "name": "Restless legs syndrome", "alternateName": "Willis–Ekbom disease",
    }
    assert page["lastReviewed"] == soup.select_one(".page-meta time")["datetime"]
    assert page["publisher"] == {
        "@type": "Organization", "name": "Truffles Vein Specialists", "url": "https://trufflesveinspecialists.com/",
    }
    assert normalise(page["name"]) == normalise(soup.h1.get_text())
    assert normalise(page["description"]) == normalise(soup.find("meta", attrs={"name": "description"})["content"])


@pytest.mark.parametrize("url", MEDICAL_PAGES)
def test_every_citation_points_to_a_source_and_every_source_is_cited(site, url):
    soup = soup_of(site, url)
    markers = soup.select("sup.cite a")
    sources = soup.select("section.sources ol > li")
    if url != "/":
        assert markers, "cause pages must cite their facts"
    source_ids = {li["id"] for li in sources}
    cited = {a["href"][1:] for a in markers}
    assert cited == source_ids
    assert [li["id"] for li in sources] == [f"source-{n}" for n in range(1, len(sources) + 1)]
    for li in sources:
        links = [a["href"] for a in li.find_all("a") if not a["href"].startswith("#")]
        assert links and all(h.startswith("https://") for h in links), li
        for back in li.find_all("a", class_="backref"):
            assert soup.find(id=back["href"][1:]) is not None


@pytest.mark.parametrize("url", MEDICAL_PAGES)
def test_every_medical_page_shows_when_it_was_last_reviewed_and_the_disclaimer(site, url):
    soup = soup_of(site, url)
    meta = soup.select_one(".page-meta")
    assert "Last reviewed:" in meta.get_text(" ")
    assert soup.find("section", class_="disclaimer") is not None


def test_sources_entries_are_exactly_the_fact_sheets_references(site):
    import yaml

    references = yaml.safe_load((ROOT / "content" / "data" / "references.yaml").read_text(encoding="utf-8"))
    sheet = (ROOT / "tests" / "fixtures" / "source" / "rls-facts-references.md").read_text(encoding="utf-8")
    compact_sheet = normalise(sheet.replace("*", ""))
    for number, entry in references.items():
        link = entry["link"]
        identifier = link.removeprefix("https://doi.org/").removeprefix("https://pubmed.ncbi.nlm.nih.gov/").rstrip("/")
        assert identifier in sheet, f"reference {number}: {link} is not in the fact sheet"
        first_words = normalise(entry["text"])[:40]
        assert first_words in compact_sheet, f"reference {number} text differs from the fact sheet"


def test_editors_notes_follow_the_passages_they_correct(site):
    guide = soup_of(site, "/")
    notes = guide.select("aside.callout--editor")
    assert len(notes) >= 3
    for note in notes:
        heading = note.find(["h3", "h4"])
        assert heading and heading.get_text().startswith("Editor") and "2026" in heading.get_text()
        assert note["aria-labelledby"] == heading["id"]
        assert note.select("sup.cite a"), "an editor's note cites its source"
    # The corrections the fact sheet calls for, each right after its passage.
    expected = {
        "what-is-rls": "how common",  # prevalence figure
        "vascular": "does not show that vein or artery disease causes",
        "treatment-dopaminergic": "no longer recommend",  # dopamine agonists first-line
    }
    for section_id, words in expected.items():
        heading = guide.find(id=section_id)
        note = heading.find_next("aside", class_="callout--editor")
        assert note.find_previous(["h2", "h3"], id=True) == heading, section_id
        assert words in normalise(note.get_text(" ")).lower(), section_id


@pytest.fixture(scope="module")
def nine_causes(tmp_path_factory):
    """The real content plus one extra cause file, built for production."""
    base = tmp_path_factory.mktemp("ninth")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(FIXTURES / "ninth_cause" / "restless-arms.md", content / "causes")
    result = build_site_cli(base / "output", content=content, env={"SITEURL": "https://example.test"})
    assert result.ok, result.problems
    return result


def test_a_ninth_cause_file_joins_the_hub_navigation_breadcrumbs_and_sitemap(nine_causes):
    site = nine_causes
    hub = soup_of(site, "/causes/")
    assert href_to_path(hub.select("ol.cause-list > li")[-1].a["href"]).endswith("/causes/restless-arms/")
    neurological = soup_of(site, "/causes/neurological/")
    assert neurological.find("a", rel="next")["href"].endswith("/causes/restless-arms/")
    ninth = soup_of(site, "/causes/restless-arms/")
    assert ninth.find("a", rel="prev")["href"].endswith("/causes/neurological/")
    crumbs = [normalise(a.get_text()) for a in ninth.find("nav", attrs={"aria-label": "Breadcrumb"}).find_all("a")]
    assert crumbs == ["Home", "Causes of restless legs syndrome", "Ninth test cause"]
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.test/causes/restless-arms/" in sitemap


def test_a_cause_page_with_a_bad_reviewed_date_fails_the_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    bad = (FIXTURES / "ninth_cause" / "restless-arms.md").read_text(encoding="utf-8")
    (content / "causes" / "restless-arms.md").write_text(bad.replace("Reviewed: 2026-11-24", "Reviewed: 2026-13-45"), encoding="utf-8")
    result = build_site(tmp_path / "output", content=content)
    assert not result.ok
    assert any("restless-arms.md" in p and "'Reviewed: 2026-13-45' is not a date" in p for p in result.problems)


def test_the_hub_counts_the_cause_pages_it_lists(nine_causes):
    hub = soup_of(nine_causes, "/causes/")
    text = normalise(hub.find("main").get_text(" "))
    assert "each of the nine causes" in text and "eight" not in text.lower()
    assert hub.find("meta", attrs={"name": "description"})["content"].startswith("Nine things linked")


def test_a_cause_without_guide_section_builds_with_no_link_back_to_the_guide(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    page = (FIXTURES / "ninth_cause" / "restless-arms.md").read_text(encoding="utf-8")
    (content / "causes" / "restless-arms.md").write_text(page.replace("Guide_section: neurological\n", ""), encoding="utf-8")
    result = build_site(tmp_path / "output", content=content)
    assert result.ok, result.problems
    ninth = soup_of(result, "/causes/restless-arms/")
    assert ninth.select("a.back-to-guide") == []
    assert soup_of(result, "/causes/neurological/").select("a.back-to-guide")
