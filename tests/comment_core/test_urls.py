"""One URL policy (comment_core/urls.py): an address the receiver refuses as a
website is never linked by the build, as a website or inside a comment's text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from comment_core import urls
from comment_core.render import CommentRenderer, safe_web_url
from comment_receiver.validation import Rejected, validate
from tests.support.receiver import good_form

#: Addresses nobody may link: each is refused by the receiver and unlinked by the build.
REFUSED = [
    'https://example.org/" onmouseover=alert(1)',
    "https://example.org/'><script>",  # the > is refused
    "http://evil.example\\@rls.example.org/",  # browsers read \ as /: opens evil.example
    "https://rls.example.org@evil.example/",
    "https://user:pass@example.org/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://exa mple.org/",
    "https://example.org/a\tb",
    "https://example.org/\u202egnp.exe",
    "https://example.org:99999/",
    "https://",
    "//example.org/",
    "/relative/path",
    "ftp://example.org/",
    "https://example.org/{x}",
    "https://example.org/`x`",
]
#: Addresses a visitor really pastes: accepted and linked everywhere.
ACCEPTED = [
    "https://example.org",
    "http://example.org/a/b?c=1&d=2#e",
    "https://www.nhs.uk/conditions/restless-legs-syndrome/",
    "https://example.org/%22quoted%22",
    "https://münchen.example/straße",
    "https://example.org:8443/x",
    "https://[2001:db8::1]/",
]


def receiver_accepts_website(address: str) -> bool:
    form = {name: [value] for name, value in good_form(website=address).items()}
    try:
        validate(form, lambda slug: {"comments": "open"})
    except Rejected as refused:
        assert [e.field for e in refused.errors] == ["fields[website]"], refused.errors
        return False
    return True


def linked_in_text(address: str) -> bool:
    """Whether a comment's text links ``address`` (Markdown may link a shorter, valid
    part of it, such as what comes before a ``>``: that part must pass the rule too)."""
    html = CommentRenderer().render(f"See [this page]({address}) and <{address}> too.")
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert all(urls.link_url(h) for h in hrefs), hrefs
    return address in hrefs


@pytest.mark.parametrize("address", REFUSED)
def test_a_refused_address_is_refused_by_the_receiver_and_never_linked_by_the_build(address):
    assert urls.web_url(address) is None
    assert not receiver_accepts_website(address)
    assert safe_web_url(address) is None
    assert not linked_in_text(address)


@pytest.mark.parametrize("address", ACCEPTED)
def test_an_ordinary_address_is_accepted_and_linked_everywhere(address):
    assert urls.web_url(address) == address
    assert receiver_accepts_website(address)
    assert safe_web_url(address) == address


def test_links_in_text_may_also_be_mail_addresses():
    assert urls.link_url("mailto:clinic@example.org") == "mailto:clinic@example.org"
    assert urls.web_url("mailto:clinic@example.org") is None
    assert urls.link_url('mailto:a@example.org" onclick="x') is None
