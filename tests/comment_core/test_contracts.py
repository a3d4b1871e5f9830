"""The contracts between the site build and the receiver, each defined once in
comment_core: the comments-index.json schema, the form's fields and limits,
and the Content-Security-Policy."""

from __future__ import annotations

import json
import re

import pytest

from comment_core import csp, site_index
from comment_core import form as spec
from comment_receiver import validation
from tests.support.sitebuild import ROOT

GUIDE_ID = "20260504T182200Z-0a1b2c3d"


def test_the_index_round_trips_through_dump_and_load():
    pages = {
        "restless-legs-syndrome": {"url": "/", "title": "Guide", "comments": "open", "comment_ids": [GUIDE_ID]},
        "causes": {"url": "/causes/", "title": "Causes", "comments": "hidden", "comment_ids": []},
    }
    loaded = site_index.load(site_index.dump(pages, endpoint="https://c.example/comments"), "index")
    assert loaded.endpoint == "https://c.example/comments"
    assert loaded.pages["restless-legs-syndrome"].comment_ids == frozenset({GUIDE_ID})
    assert loaded.pages["causes"].comments == "hidden"
    assert json.loads(site_index.dump(pages))["version"] == site_index.VERSION


def test_dump_is_stable_whatever_the_order_of_pages():
    a = {"b": {"url": "/b/", "comments": "open"}, "a": {"url": "/a/", "comments": "open"}}
    assert site_index.dump(a) == site_index.dump(dict(reversed(list(a.items()))))


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\xff", "not valid UTF-8 JSON"),
        (b'{"version": 2, "pages": {}}', "version 2 is not supported"),
        (b"[]", "expected a JSON object"),
        (b'{"version": 1, "pages": {"a": {"url": "/a/", "comments": "maybe"}}}', "'comments' must be one of open, closed, hidden"),
    ],
)
def test_a_bad_index_is_refused_with_a_message_naming_it(raw, message):
    with pytest.raises(site_index.SiteIndexError, match=re.escape(message)) as caught:
        site_index.load(raw, "site/comments-index.json")
    assert str(caught.value).startswith("site/comments-index.json")


def test_the_receiver_checks_the_limits_the_form_declares():
    assert validation.MAX_NAME is spec.MAX_NAME and validation.NAME == spec.NAME
    assert validation.MAX_MESSAGE is spec.MAX_MESSAGE and validation.KNOWN_FIELDS is spec.KNOWN_FIELDS


def test_no_template_writes_a_field_name_or_limit_of_its_own():
    """Field names and limits come from comment_core.form (TC_FORM), never literals."""
    offenders = []
    for template in list((ROOT / "plugins").rglob("*.html")) + list((ROOT / "theme").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (r'maxlength="\d', r'name="(fields|options)\['):
            offenders += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not offenders, offenders


def test_the_policy_never_allows_inline_code_and_frame_ancestors_only_in_the_header():
    meta, header = csp.policy(csp.SITE_DIRECTIVES), csp.policy(csp.SITE_DIRECTIVES, header=True)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "frame-ancestors" not in meta and header.endswith("frame-ancestors 'none'")


def test_the_comment_endpoint_is_allowed_as_form_target_only():
    directives = csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, "https://comments.example.org/comments")
    assert directives["form-action"] == "'self' https://comments.example.org"
    assert directives["connect-src"] == "'self' https://comments.example.org"
    assert {k: v for k, v in directives.items() if k not in ("form-action", "connect-src")} == {
        k: v for k, v in csp.SITE_DIRECTIVES.items() if k not in ("form-action", "connect-src")
    }
    assert csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, "/comments") == csp.SITE_DIRECTIVES


def test_a_hash_source_allows_exactly_one_text():
    assert csp.hash_source("a") != csp.hash_source("a ")
    added = csp.with_source(csp.SITE_DIRECTIVES, "script-src", csp.hash_source("x"))
    assert added["script-src"].startswith("'self' 'sha256-")


def test_both_settings_files_take_the_policy_from_comment_core():
    for conf in ("pelicanconf.py", "publishconf.py"):
        text = (ROOT / conf).read_text(encoding="utf-8")
        assert "csp.SITE_DIRECTIVES" in text and "default-src" not in text, conf


def test_no_security_header_value_is_written_anywhere_but_comment_core():
    """Settings, templates, nginx files and the receiver take them from csp.py."""
    values = [csp.SITE_DIRECTIVES["default-src"] + "; ", *csp.SECURITY_HEADERS.values()]
    values = [v for v in values if len(v) > 20] + ["Strict-Transport-Security"]  # long enough to mean a copy
    places = [ROOT / "pelicanconf.py", ROOT / "publishconf.py", *(ROOT / "deploy").rglob("*"),
              *(ROOT / "theme").rglob("*"), *(ROOT / "comment_receiver").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    copies = [f"{p.relative_to(ROOT)}: {v}" for p in places if p.is_file() and p.suffix != ".pyc"
              for v in values if v in p.read_text(encoding="utf-8", errors="replace")]
    assert copies == []


def test_a_header_that_is_not_a_security_header_cannot_be_replaced_by_mistake():
    assert csp.response_headers(csp.SITE_DIRECTIVES, Referrer_Policy="no-referrer")["Referrer-Policy"] == "no-referrer"
    with pytest.raises(ValueError, match="not a security header: Referer-Policy"):
        csp.response_headers(csp.SITE_DIRECTIVES, Referer_Policy="no-referrer")
