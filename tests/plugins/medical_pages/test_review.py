"""Who reviews the medical pages and when the next review is due: shown on the
page and in its JSON-LD; an overdue review stops `make publish`, not `make html`."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from bs4 import BeautifulSoup
from medical_pages.review import add_months
from medical_pages.settings import MedicalSettingsError, read_settings

from tests.support.sitebuild import FIXTURES, ROOT, build_site, build_site_cli

MEDICAL_PAGES = ["/", "/causes/", "/causes/dopamine/", "/causes/vascular/"]
OVERDUE_PAGE = (FIXTURES / "ninth_cause" / "restless-arms.md").read_text(encoding="utf-8").replace(
    "Reviewed: 2026-11-24", "Reviewed: 2020-01-15"
)


def soup_of(result, url) -> BeautifulSoup:
    return BeautifulSoup(result.page(url).read_text(encoding="utf-8"), "html.parser")


def meta_lines(result, url) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in soup_of(result, url).select(".page-meta li")]


def medical_web_page(result, url) -> dict:
    for script in soup_of(result, url).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for item in data if isinstance(data, list) else [data]:
            if item["@type"] == "MedicalWebPage":
                return item
    raise AssertionError(f"no MedicalWebPage on {url}")


def content_with(folder, name: str, text: str):
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "causes" / name).write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize("url", MEDICAL_PAGES)
def test_every_medical_page_names_its_reviewer_and_the_next_review_date(site, url):
    lines = meta_lines(site, url)
    assert "Last reviewed: 24 November 2026 by the clinic's medical team" in lines
    assert "Next review due: 24 November 2027" in lines
    due = soup_of(site, url).find("time", datetime="2027-11-24")
    assert due is not None


@pytest.mark.parametrize("url", MEDICAL_PAGES)
def test_the_json_ld_says_when_and_by_whom_the_page_was_reviewed(site, url):
    data = medical_web_page(site, url)
    assert data["lastReviewed"] == "2026-11-24"
    assert data["reviewedBy"] == {
        "@type": "Organization",
        "name": "Truffles Vein Specialists",
        "url": "https://trufflesveinspecialists.com/",
        "description": "the clinic's medical team",
    }


@pytest.fixture(scope="module")
def overdue_content(tmp_path_factory):
    return content_with(tmp_path_factory.mktemp("overdue"), "restless-arms.md", OVERDUE_PAGE)


def test_an_overdue_review_still_builds_with_make_html_and_shows_the_date(overdue_content, tmp_path):
    result = build_site(tmp_path / "output", content=overdue_content)
    assert result.ok, result.problems
    assert "Next review due: 15 January 2021" in meta_lines(result, "/causes/restless-arms/")


def test_an_overdue_review_fails_make_publish_naming_the_page_and_the_date(overdue_content, tmp_path):
    result = build_site_cli(tmp_path / "output", content=overdue_content, env={"SITEURL": "https://example.test"})
    assert not result.ok
    output = " ".join(" ".join(result.problems).split())
    assert "restless-arms.md" in output
    assert "the next clinical review was due on 15 January 2021" in output
    assert "update its 'Reviewed:' date" in output


def test_next_review_metadata_replaces_the_interval(tmp_path):
    page = OVERDUE_PAGE.replace("Reviewed: 2020-01-15", "Reviewed: 2026-11-24\nNext_review: 2027-05-01")
    result = build_site(tmp_path / "output", content=content_with(tmp_path, "restless-arms.md", page))
    assert result.ok, result.problems
    assert "Next review due: 1 May 2027" in meta_lines(result, "/causes/restless-arms/")
    assert "Next review due: 24 November 2027" in meta_lines(result, "/causes/dopamine/")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Next_review: soon", "'Next_review: soon' is not a date; write it as YYYY-MM-DD"),
        ("Next_review: 2026-01-01", "'Next_review: 2026-01-01' is not after 'Reviewed: 2026-11-24'"),
    ],
)
def test_a_bad_next_review_date_fails_the_build_with_a_clear_message(tmp_path, line, message):
    page = OVERDUE_PAGE.replace("Reviewed: 2020-01-15", "Reviewed: 2026-11-24\n" + line)
    result = build_site(tmp_path / "output", content=content_with(tmp_path, "restless-arms.md", page))
    assert not result.ok
    assert any("restless-arms.md" in problem and message in problem for problem in result.problems), result.problems


def test_the_interval_and_the_reviewer_are_settings(tmp_path):
    result = build_site(tmp_path / "output", MEDICAL_REVIEW_INTERVAL_MONTHS=6, MEDICAL_REVIEWER=None)
    assert result.ok, result.problems
    lines = meta_lines(result, "/causes/dopamine/")
    assert "Last reviewed: 24 November 2026" in lines and "Next review due: 24 May 2027" in lines
    assert "reviewedBy" not in medical_web_page(result, "/causes/dopamine/")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("MEDICAL_REVIEW_INTERVAL_MONTHS", 0, "MEDICAL_REVIEW_INTERVAL_MONTHS must be a whole number from 1 to 60"),
        ("MEDICAL_REVIEW_INTERVAL_MONTHS", "12", "MEDICAL_REVIEW_INTERVAL_MONTHS must be a whole number from 1 to 60"),
        ("MEDICAL_REVIEW_OVERDUE_FAILS", "yes", "MEDICAL_REVIEW_OVERDUE_FAILS must be True or False"),
        ("MEDICAL_REVIEWER", "  ", "MEDICAL_REVIEWER must be non-empty text or None"),
        ("GUIDE_NOTICE", 3, "GUIDE_NOTICE must be non-empty text or None"),
    ],
)
def test_bad_review_settings_are_named(setting, value, message):
    settings = {"PATH": "content", "CLINIC": {"name": "Clinic", "url": "https://clinic.test/"}, setting: value}
    with pytest.raises(MedicalSettingsError, match=message):
        read_settings(settings)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2026, 11, 24), 12, dt.date(2027, 11, 24)),
        (dt.date(2026, 11, 24), 2, dt.date(2027, 1, 24)),
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),  # no 31 February: the month's last day
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    ],
)
def test_months_are_calendar_months(start, months, expected):
    assert add_months(start, months) == expected
