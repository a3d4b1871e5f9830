"""The comment form posts to the receiver, another origin, and the receiver
refuses a POST whose Origin is missing or "null" (403). Browsers send
"Origin: null" on such a cross-origin form POST when the page's referrer
policy is no-referrer or same-origin. These tests fail if the pages the build
emits (the <meta> tags of every page, the host's _headers file, the nginx
configuration, a form's rel) would ever set such a policy, and check in
Chromium that exactly those policies null the Origin."""

from __future__ import annotations

import http.server
import re
import threading

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import ROOT

ENDPOINT = "https://comments.example.org/comments"
#: Policies under which a cross-origin form POST carries "Origin: null".
NULL_ORIGIN_POLICIES = {"no-referrer", "same-origin"}
#: Policies that send the page's origin (between two https origins).
ORIGIN_POLICIES = {
    "strict-origin-when-cross-origin", "strict-origin", "origin", "origin-when-cross-origin",
    "no-referrer-when-downgrade", "unsafe-url",
}
KNOWN = NULL_ORIGIN_POLICIES | ORIGIN_POLICIES
BROWSER_DEFAULT = "strict-origin-when-cross-origin"


def effective(value: str | None) -> str:
    """The policy a browser applies for a Referrer-Policy value: the last
    token it knows wins; none known means its default (Referrer Policy spec, 8.1)."""
    known = [token.strip().lower() for token in (value or "").split(",") if token.strip().lower() in KNOWN]
    return known[-1] if known else BROWSER_DEFAULT


@pytest.fixture(scope="module")
def published(fixture_sites):
    """A production build (publishconf.py, the project theme) of a site with
    comments, posting open: pages, reply pages and the host's _headers."""
    return fixture_sites.published("thread", COMMENTS_ENDPOINT=ENDPOINT, SITEURL="https://rls.example.org")


def test_the_hosts_headers_never_null_the_form_posts_origin(published):
    headers = (published.output / "_headers").read_text(encoding="utf-8")
    values = re.findall(r"^\s*Referrer-Policy:\s*(.*)$", headers, flags=re.IGNORECASE | re.MULTILINE)
    assert values, "_headers should state the referrer policy rather than leave it to each browser"
    assert [v for v in values if effective(v) in NULL_ORIGIN_POLICIES] == []


def test_the_nginx_headers_never_null_the_form_posts_origin(published):
    """deploy/site-nginx.conf sends what the build wrote into _headers.nginx, and nothing of its own."""
    config = (ROOT / "deploy" / "site-nginx.conf").read_text(encoding="utf-8")
    assert re.findall(r"^\s*add_header\s+(\S+)", config, flags=re.MULTILINE) == ["Cache-Control", "Cache-Control"]
    included = (published.output / "_headers.nginx").read_text(encoding="utf-8")
    values = re.findall(r"add_header\s+Referrer-Policy\s+\"?([^\";]+)", included, flags=re.IGNORECASE)
    assert values
    assert [v for v in values if effective(v) in NULL_ORIGIN_POLICIES] == []


def test_no_page_sets_a_policy_that_nulls_the_form_posts_origin(published):
    pages = sorted(published.output.rglob("*.html"))
    assert any("/reply/" in p.as_posix() for p in pages)
    forms = 0
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for meta in page.find_all("meta", attrs={"name": re.compile("^referrer$", re.I)}):
            assert effective(meta.get("content")) not in NULL_ORIGIN_POLICIES, path
        assert page.find("meta", attrs={"http-equiv": re.compile("^referrer-policy$", re.I)}) is None, path
        for form in page.find_all("form"):
            forms += 1
            assert "noreferrer" not in (form.get("rel") or []), path  # rel=noreferrer is no-referrer
            assert form.get("referrerpolicy") is None, path
    assert forms >= 2  # the page's form and the reply pages' forms were checked


class _OriginRecorder(http.server.BaseHTTPRequestHandler):
    """The "receiver": records the Origin of each POST."""

    origins: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.origins.append(self.headers.get("Origin"))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b'<!DOCTYPE html><html lang="en"><title>received</title></html>')

    def log_message(self, *args):
        pass


def _serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.browser
@pytest.mark.parametrize("policy", sorted(KNOWN))
def test_in_chromium_exactly_those_policies_null_the_origin(browser, policy):  # noqa: F811
    """The list above is what a real browser does, not a guess."""
    receiver = _serve(_OriginRecorder)
    _OriginRecorder.origins = []
    action = f"http://127.0.0.1:{receiver.server_port}/comments"
    html = (f'<!DOCTYPE html><html lang="en"><head><meta name="referrer" content="{policy}"><title>t</title></head>'
            f'<body><form method="post" action="{action}"><input name="a" value="b"><button>Send</button></form></body></html>')

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    site = _serve(Page)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{site.server_port}/")
        with page.expect_navigation():
            page.click("button")
    finally:
        context.close()
        for server in (site, receiver):
            server.shutdown()
            server.server_close()
    expected = "null" if policy in NULL_ORIGIN_POLICIES else f"http://127.0.0.1:{site.server_port}"
    assert _OriginRecorder.origins == [expected]
