"""schema.org MedicalWebPage data for a medical page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from medical_pages.navigation import Crumb
from medical_pages.structured_data import medical_web_page

CLINIC = {"name": "Truffles Vein Specialists", "url": "https://trufflesveinspecialists.com/"}
CONDITION = {"name": "Restless legs syndrome"}


def web_page(data):
    """The MedicalWebPage node, whether alone or in a graph with breadcrumbs."""
    nodes = data if isinstance(data, list) else [data]
    [node] = [n for n in nodes if n.get("@type") == "MedicalWebPage"]
    return node


def item(**extra):
    return SimpleNamespace(title="Iron <em>deficiency</em>&nbsp;and RLS", url="causes/iron-deficiency/", **extra)


def test_a_medical_page_is_a_medical_web_page_with_plain_name_and_absolute_url():
    data = web_page(medical_web_page(item(), siteurl="https://example.org", clinic=CLINIC, condition=CONDITION, crumbs=None))
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Iron deficiency and RLS"
    assert data["url"] == "https://example.org/causes/iron-deficiency/"


def test_without_siteurl_the_url_is_site_relative():
    data = web_page(medical_web_page(item(), siteurl="", clinic=CLINIC, condition=CONDITION, crumbs=None))
    assert data["url"] == "/causes/iron-deficiency/"


def test_a_reviewed_page_says_when_it_was_last_reviewed():
    reviewed = item(reviewed=dt.datetime(2026, 11, 24, 9, 30))
    data = web_page(medical_web_page(reviewed, siteurl="", clinic=CLINIC, condition=CONDITION, crumbs=None))
    assert data["lastReviewed"] == "2026-11-24"


def test_a_page_never_reviewed_claims_no_review_date():
    data = web_page(medical_web_page(item(reviewed=None), siteurl="", clinic=CLINIC, condition=CONDITION, crumbs=None))
    assert "lastReviewed" not in data


def test_with_breadcrumbs_the_page_is_still_described():
    crumbs = [Crumb("Home", ""), Crumb("Iron deficiency", "causes/iron-deficiency/")]
    data = web_page(medical_web_page(item(), siteurl="", clinic=CLINIC, condition=CONDITION, crumbs=crumbs))
    assert (data["@type"], data["name"], data["url"]) == ("MedicalWebPage", "Iron deficiency and RLS", "/causes/iron-deficiency/")
