"""JSON-LD for a <script> element: nothing in the data can end the element."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from markupsafe import Markup
from medical_pages.jsonld import jsonld

HOSTILE = {"name": "</script><script>alert(1)</script>", "note": "<!-- a & b -->", "x": "Willis–Ekbom"}


def test_no_less_than_greater_than_or_ampersand_survives():
    text = str(jsonld(HOSTILE))
    assert not set("<>&") & set(text)
    assert "\\u003c/script\\u003e" in text and "\\u0026" in text


def test_the_json_is_unchanged_for_a_json_parser():
    assert json.loads(str(jsonld(HOSTILE))) == HOSTILE


def test_embedded_in_a_page_the_script_holds_exactly_the_data():
    page = BeautifulSoup(f'<script type="application/ld+json">{jsonld(HOSTILE)}</script><p>after</p>', "html.parser")
    [script] = page.find_all("script")
    assert json.loads(script.string) == HOSTILE
    assert page.find("p").get_text() == "after"


def test_it_is_compact_keeps_key_order_and_non_ascii_text():
    assert str(jsonld({"b": 1, "a": "Willis–Ekbom"})) == '{"b":1,"a":"Willis–Ekbom"}'


def test_templates_get_markup_so_autoescape_leaves_it_alone():
    assert isinstance(jsonld({}), Markup)
