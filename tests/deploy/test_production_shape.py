"""The site as visitors get it: the production build (`make publish`, minified
and precompressed) behind deploy/site-nginx.conf over TLS, the comment receiver
on another origin behind deploy/receiver/nginx.conf, Debian's nginx and
Chromium with JavaScript on and off. Only the lines the files mark "yours" and
the ports are changed (tests/support/nginx.py)."""

from __future__ import annotations

import http.client
import shutil
import ssl
from pathlib import Path

import jinja2
import pytest

from comment_core import csp
from comment_receiver.inbox.accounts import Accounts
from site_tools.receiver_process import ReceiverProcess
from tests.support.browser import keyboard_login, type_comment
from tests.support.inbox import MODERATOR, PASSWORD
from tests.support.nginx import (
    PROXY_CONF,
    Nginx,
    proxy_config,
    receiver_config,
    require_nginx,
    self_signed_certificate,
    site_config,
)
from tests.support.servers import free_port, wait_for
from tests.support.sitebuild import PAGES, ROOT, build_site_cli, site_pages

GUIDE_SLUG = "restless-legs-syndrome-guide"
HEADERS_TEMPLATE = ROOT / "theme" / "templates" / "files" / "_headers.nginx"
#: Two published comments on the guide, written here: example comments live only in tests.
COMMENTS = {
    "c01.md": "Author: Test Visitor One\nDate: 2026-12-01 10:00\n\nA comment the production tests reply to.\n",
    "c02.md": "Author: Test Visitor Two\nDate: 2026-12-01 11:00\nReplyto: c01\n\nA reply in the thread.\n",
}


def unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


def fetch(port: int, path: str, *, method: str = "GET", tls: bool = True, headers: dict | None = None):
    connection = (http.client.HTTPSConnection("127.0.0.1", port, context=unverified(), timeout=10) if tls
                  else http.client.HTTPConnection("127.0.0.1", port, timeout=10))
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        return response
    finally:
        connection.close()


def test_both_shipped_nginx_files_pass_nginx_t(tmp_path):
    """`nginx -t` on Debian 12's nginx, with every file the configs include."""
    require_nginx()
    output = tmp_path / "output"
    output.mkdir()
    headers = csp.response_headers(csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, "https://comments.example.org/comments"))
    (output / "_headers.nginx").write_text(jinja2.Template(HEADERS_TEMPLATE.read_text()).render(RESPONSE_HEADERS=headers))
    cert, key = self_signed_certificate(tmp_path)
    nginx = Nginx(
        tmp_path / "nginx",
        {"site.conf": site_config(output=output, cert=cert, key=key, https_port=free_port(), http_port=free_port()),
         "receiver.conf": receiver_config(cert=cert, key=key, https_port=free_port(), http_port=free_port())},
        {PROXY_CONF.name: proxy_config(8001)},
    )
    checked = nginx.test()
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr and "[warn]" not in checked.stderr, checked.stderr


class Production:
    """Ports, folders and processes of the deployed shape."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.site_port, self.site_http_port = free_port(), free_port()
        self.receiver_port, self.receiver_http_port = free_port(), free_port()
        self.site_origin = f"https://127.0.0.1:{self.site_port}"
        self.receiver_origin = f"https://127.0.0.1:{self.receiver_port}"
        self.endpoint = self.receiver_origin + "/comments"
        self.output = tmp / "output"
        self.queue = tmp / "queue"

    def build(self) -> None:
        content = self.tmp / "content"
        shutil.copytree(ROOT / "content", content)
        (content / "comments" / GUIDE_SLUG).mkdir(parents=True)
        for name, text in COMMENTS.items():
            (content / "comments" / GUIDE_SLUG / name).write_text(text, encoding="utf-8")
        built = build_site_cli(self.output, content=content, env={"SITEURL": self.site_origin, "COMMENTS_ENDPOINT": self.endpoint})
        assert built.ok, built.problems
        self.built = built

    @property
    def expected_headers(self) -> dict:
        return csp.response_headers(csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, self.endpoint))


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    require_nginx()
    world = Production(tmp_path_factory.mktemp("production"))
    world.build()
    moderators = world.tmp / "moderation" / "moderators"
    Accounts(moderators).set_password(MODERATOR, PASSWORD)
    receiver = ReceiverProcess(
        queue_dir=world.queue, site_index=world.output / "comments-index.json", origins=[world.site_origin],
        log_file=world.tmp / "receiver.log",
        env={"RECEIVER_FORWARDED_ALLOW_IPS": "127.0.0.1", "RECEIVER_PUBLIC_URL": world.receiver_origin,
             "RECEIVER_SITE_URL": world.site_origin, "RECEIVER_MODERATORS": str(moderators),
             "RECEIVER_INBOX_DIR": str(world.tmp / "moderation"), "RECEIVER_LOGIN_RATE_LIMIT": "100/minute"},
    )
    receiver.start()
    cert, key = self_signed_certificate(world.tmp)
    nginx = Nginx(
        world.tmp / "nginx",
        {"site.conf": site_config(output=world.output, cert=cert, key=key, https_port=world.site_port, http_port=world.site_http_port),
         "receiver.conf": receiver_config(cert=cert, key=key, https_port=world.receiver_port, http_port=world.receiver_http_port)},
        {PROXY_CONF.name: proxy_config(receiver.port)},
    )
    try:
        nginx.start([world.site_port, world.site_http_port, world.receiver_port, world.receiver_http_port])
        yield world
    finally:
        nginx.stop()
        receiver.stop()


def every_kind_of_site_response(world: Production) -> list[tuple[str, int]]:
    static = sorted(p.relative_to(world.output).as_posix() for p in (world.output / "static").rglob("*")
                    if p.is_file() and p.suffix in {".css", ".js"})
    feeds = sorted(p.relative_to(world.output).as_posix() for p in (world.output / "feeds").glob("*.xml"))
    assert static and feeds
    return [
        *((page, 200) for page in PAGES), ("/causes", 301),
        *((f"/{path}", 200) for path in static + feeds),
        ("/sitemap.xml", 200), ("/robots.txt", 200), ("/favicon.ico", 200), ("/favicon.svg", 200),
        ("/comments-index.json", 200), ("/no-such-page/", 404), ("/_headers", 404), ("/_headers.nginx", 404),
    ]


def precompressed(world: Production, path: str, status: int, encoding: str) -> bool:
    """Whether the build wrote a .br or .gz file for what this path serves (it
    skips files compression does not shrink)."""
    file = world.built.page("/404.html" if status == 404 else path)
    return file.with_name(file.name + {"br": ".br", "gzip": ".gz"}[encoding]).exists()


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_every_site_response_carries_the_whole_header_set_once(production, encoding):
    """Pages, static files, feeds, redirects and 404: the set of comment_core/csp.py, each header once."""
    problems = []
    for path, status in every_kind_of_site_response(production):
        response = fetch(production.site_port, path, headers={"Accept-Encoding": encoding})
        if response.status != status:
            problems.append(f"{path}: {response.status}, expected {status}")
        for name, value in production.expected_headers.items():
            if response.headers.get_all(name) != [value]:
                problems.append(f"{path}: {name} is {response.headers.get_all(name)}")
        if response.headers["Server"] != "nginx":
            problems.append(f"{path}: Server: {response.headers['Server']}")
        if path.startswith("/static/") and "immutable" not in response.headers["Cache-Control"]:
            problems.append(f"{path}: Cache-Control {response.headers['Cache-Control']}")
        compressed = response.headers["Content-Encoding"]
        if status != 301 and encoding != "identity" and precompressed(production, path, status, encoding):
            if compressed != encoding or "Accept-Encoding" not in (response.headers["Vary"] or ""):
                problems.append(f"{path}: Content-Encoding {compressed}, Vary {response.headers['Vary']}")
        elif compressed:
            problems.append(f"{path}: Content-Encoding {compressed} for Accept-Encoding {encoding}")
    assert not problems, "\n".join(problems)


def test_the_not_found_page_is_the_sites_own(production):
    response = fetch(production.site_port, "/no-such-page/", headers={"Accept-Encoding": "identity"})
    assert response.status == 404 and response.body == production.built.page("/404.html").read_bytes()


@pytest.mark.parametrize("which", ["site", "receiver"])
def test_plain_http_is_sent_to_https(production, which):
    port = production.site_http_port if which == "site" else production.receiver_http_port
    response = fetch(port, "/causes/?a=1", tls=False)
    assert response.status == 301 and response.headers["Location"] == "https://127.0.0.1/causes/?a=1"
    assert response.headers["Server"] == "nginx"


@pytest.mark.parametrize("path", ["/moderate/login", "/comments/thanks", "/no-such-path", "/comments"])
def test_the_receivers_answers_carry_hsts_and_its_own_headers(production, path):
    method = "POST" if path == "/comments" else "GET"
    response = fetch(production.receiver_port, path, method=method)
    expected = csp.response_headers(csp.SITE_DIRECTIVES, Referrer_Policy="no-referrer")
    del expected["Content-Security-Policy"]  # the receiver's pages have their own policies
    for name, value in expected.items():
        assert response.headers.get_all(name) == [value], (path, name, response.headers.get_all(name))
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Server"] == "nginx"
    assert response.status in {200, 403, 404}  # a POST without the site as Origin is refused


def queued(world: Production) -> list[str]:
    return sorted(p.read_text(encoding="utf-8") for p in world.queue.rglob("*.md"))


def browser_context(chromium, world: Production, javascript: bool):
    """A visitor's browser that records page errors, console errors and CSP violations."""
    context = chromium.new_context(java_script_enabled=javascript, ignore_https_errors=True)
    context.problems = []
    context.on("console", lambda message: message.type == "error" and context.problems.append(message.text))
    context.on("weberror", lambda error: context.problems.append(str(error.error)))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return context


def test_without_javascript_a_visitor_posts_a_comment_and_a_reply(chromium, production):
    context = browser_context(chromium, production, javascript=False)
    page = context.new_page()
    try:
        page.goto(production.site_origin + "/")
        type_comment(page, "comment-form", "Plain Form Visitor", ["Posted from the production page without JavaScript."], "")
        assert page.url.startswith(production.receiver_origin + "/comments/thanks")
        assert "Thank you" in page.content()

        page.goto(production.site_origin + "/")
        with page.expect_navigation():
            page.locator("#comment-c01 .tc-reply a").click()
        assert page.url == f"{production.site_origin}/reply/c01/"
        type_comment(page, "reply-to-c01", "Plain Reply Visitor", ["A reply from the reply page."], "")
        assert "Thank you" in page.content()
    finally:
        context.close()
    waiting = queued(production)
    assert any("Plain Form Visitor" in text for text in waiting)
    assert any("Plain Reply Visitor" in text and "Replyto: c01" in text for text in waiting)
    assert not context.problems, context.problems


def test_with_javascript_every_page_loads_without_an_error_or_csp_violation(chromium, production):
    context = browser_context(chromium, production, javascript=True)
    try:
        pages = site_pages(production.built)
        assert len(pages) > len(PAGES)  # the reply pages too
        for path in pages:
            page = context.new_page()
            page.goto(production.site_origin + path, wait_until="load")
            page.wait_for_timeout(50)  # deferred scripts have run
            page.close()
        assert not context.problems, context.problems
    finally:
        context.close()


def test_with_javascript_reply_works_in_place(chromium, production):
    context = browser_context(chromium, production, javascript=True)
    page = context.new_page()
    try:
        page.goto(production.site_origin + "/")
        page.locator("#comment-c01 .tc-reply a").click()
        assert page.url == production.site_origin + "/"
        form = page.locator("#comment-c01 form#comment-form")
        assert form.locator(".tc-form__heading").inner_text() == "Reply to Test Visitor One"
        assert page.evaluate("document.activeElement.id") == "comment-form-name"
        page.keyboard.type("Script Reply Visitor")
        page.locator("#comment-form-message").fill("A reply sent in place with JavaScript.")
        page.locator("#comment-form-consent").check()
        form.locator(".tc-form__send").click()
        page.locator(".tc-form__done").wait_for()
        assert "awaiting moderation" in page.locator(".tc-form__done").inner_text()
        assert page.url == production.site_origin + "/"
    finally:
        context.close()
    wait_for(lambda: any("Script Reply Visitor" in text for text in queued(production)), message="the reply in the queue")
    assert any("Script Reply Visitor" in text and "Replyto: c01" in text for text in queued(production))
    assert not context.problems, context.problems


def test_a_moderator_logs_in_through_the_receivers_nginx(chromium, production):
    context = chromium.new_context(ignore_https_errors=True)
    page = context.new_page()
    try:
        keyboard_login(page, production.receiver_origin, MODERATOR, PASSWORD)
        cookie = next(c for c in context.cookies() if c["domain"] == "127.0.0.1")
        assert cookie["secure"] and cookie["httpOnly"]
    finally:
        context.close()
