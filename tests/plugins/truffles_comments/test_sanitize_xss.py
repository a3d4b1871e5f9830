"""Hostile comments cannot run script, load anything from another host or put
anything outside the allow-list into the page.

The `xss` fixture holds one comment per attack (40 files: script tags, event
handlers, javascript:/data: links in Markdown and HTML form, SVG, iframes,
style, entity-encoded and mixed-case variants, mutation-XSS, a malicious author
name and website). The site is built for real and opened in headless Chromium.
Chromium runs the page with its Content-Security-Policy bypassed, so the
sanitizer is the only defence being tested.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from comment_core.comment_file import read_comment
from comment_core.render import ALLOWED_TAGS, ALLOWED_URL_SCHEMES, CommentRenderer
from tests.support.comment_sites import FIXTURES, Server, build_fixture, soup, watched_page  # noqa: F401

PAYLOAD_DIR = FIXTURES / "xss" / "comments" / "xss-guide"
PAYLOADS = sorted(PAYLOAD_DIR.glob("*.md"))

# What the comments.html partial itself may produce, element -> attributes.
TEMPLATE_ELEMENTS = {
    "section": {"class", "id", "aria-labelledby"},
    "h2": {"class", "id"},
    "span": {"class", "id"},
    "p": {"class"},
    "ol": {"class"},
    "li": {"class"},
    "article": {"class", "id", "aria-labelledby"},
    "footer": {"class"},
    "a": {"href", "rel", "class"},
    "time": {"datetime"},
    "div": {"class"},
}
# What a comment body may contain (the sanitizer's allow-list).
BODY_ELEMENTS = {tag: ({"href", "rel"} if tag == "a" else set()) for tag in ALLOWED_TAGS}


def test_there_are_at_least_25_attacks_and_every_one_is_a_valid_comment_file():
    assert len(PAYLOADS) >= 25
    for path in PAYLOADS:
        read_comment(path)  # raises if the fixture itself is broken


def href_is_safe(href: str, *, template: bool = False) -> bool:
    if href.startswith("#comment-"):
        return True
    if template and href == "/feeds/comments/xss-guide.atom.xml":  # the section's own feed link
        return True
    parts = urlsplit(href)
    return parts.scheme in ALLOWED_URL_SCHEMES and (parts.scheme == "mailto" or bool(parts.netloc))


def body_problems(fragment) -> list[str]:
    found = []
    for element in fragment.find_all(True):
        allowed = BODY_ELEMENTS.get(element.name)
        if allowed is None:
            found.append(f"element <{element.name}>")
            continue
        extra = set(element.attrs) - allowed
        if extra:
            found.append(f"<{element.name}> attributes {sorted(extra)}")
        if element.name == "a":
            if element.get("href") and not href_is_safe(element["href"]):
                found.append(f"href {element['href']!r}")
            if element.get("rel") != ["nofollow", "ugc", "noopener"]:
                found.append(f"rel {element.get('rel')!r}")
    return found


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: p.stem)
def test_the_renderer_output_stays_inside_the_allow_list(path):
    html = CommentRenderer().render(read_comment(path).body)
    fragment = BeautifulSoup(html, "html.parser")
    assert body_problems(fragment) == []


def test_raw_html_is_shown_as_text_not_dropped():
    html = CommentRenderer().render("<script>alert(1)</script> and <b>bold</b>")
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;</p>"


def test_links_keep_only_http_https_and_mailto():
    render = CommentRenderer().render
    assert render("[a](https://example.org/x)") == '<p><a href="https://example.org/x" rel="nofollow ugc noopener">a</a></p>'
    assert render("[m](mailto:a@example.org)") == '<p><a href="mailto:a@example.org" rel="nofollow ugc noopener">m</a></p>'
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "#frag", "//evil.example/x", "vbscript:x", "ftp://x.example/"):
        assert render(f"[t]({bad})") == "<p>t</p>", bad


def test_headings_and_images_in_a_comment_become_plain_text():
    render = CommentRenderer().render
    assert render("# Big\n\n![alt text](https://example.org/p.png)") == "<p>Big</p>\n<p>alt text</p>"


# --- the built site, in a real browser --------------------------------------------


@pytest.fixture(scope="module")
def xss_site(fixture_sites):
    return fixture_sites.get("xss")


def test_the_built_section_holds_only_template_and_allow_listed_markup(xss_site):
    page = soup(xss_site, "/xss-guide/")
    section = page.select_one("section.tc-comments")
    articles = section.select("article.tc-comment")
    assert len(articles) == len(PAYLOADS)
    problems = []
    for body in section.select("div.tc-body"):
        problems += body_problems(body)
        body.decompose()
    for element in section.find_all(True):
        allowed = TEMPLATE_ELEMENTS.get(element.name)
        if allowed is None:
            problems.append(f"template element <{element.name}>")
        elif set(element.attrs) - allowed:
            problems.append(f"<{element.name}> attributes {sorted(set(element.attrs) - allowed)}")
        if element.name == "a" and not href_is_safe(element["href"], template=True):
            problems.append(f"href {element['href']!r}")
    assert problems == []
    # No event handler attribute anywhere in the page, no script in the section.
    assert [e.name for e in page.find_all(True) if any(a.lower().startswith("on") for a in e.attrs)] == []


def test_malicious_author_names_and_websites_are_text_and_never_links(xss_site):
    page = soup(xss_site, "/xss-guide/")
    author = page.select_one("#comment-x37-author-script-author")
    assert author.get_text() == "<script>alert('author')</script>" and author.find("a") is None
    author = page.select_one("#comment-x38-author-img-author")
    assert author.get_text() == "\"><img src=x onerror=alert('author-img')>" and author.find("a") is None  # javascript: website
    assert page.select_one("#comment-x39-website-data-author").find("a") is None  # data: website
    # A quote in the address: the receiver refuses it (comment_core.urls), so the build does not link it.
    quoted = page.select_one("#comment-x40-website-quote-author")
    assert quoted.find("a") is None and quoted.get_text() == "Mallory Quote"


# Every element and attribute inside the comments section, as the browser parsed it.
DOM_WALK = """(section) => Array.from(section.querySelectorAll('*')).map(e => ({
  tag: e.tagName.toLowerCase(),
  body: !!e.closest('.tc-body') && !e.classList.contains('tc-body'),
  attrs: Array.from(e.attributes).map(a => [a.name, a.value]),
}))"""


@pytest.mark.browser
def test_in_chromium_nothing_runs_nothing_leaves_the_site_and_the_dom_is_allow_listed(xss_site, browser):  # noqa: F811
    with Server(xss_site.output) as server:
        # bypass_csp: the page's policy would block scripts itself; the sanitizer must do it alone.
        context, page = watched_page(browser, server.origin, viewport={"width": 1024, "height": 800}, bypass_csp=True)
        try:
            page.goto(server.origin + "/xss-guide/", wait_until="load")
            # Give handlers a chance: hover and focus everything, open any <details>.
            page.eval_on_selector_all(
                "section.tc-comments *",
                """els => els.forEach(e => {
                    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'animationstart'])
                        e.dispatchEvent(new Event(type));
                    if (e.focus) e.focus();
                })""",
            )
            for _ in range(len(PAYLOADS) * 2):
                page.keyboard.press("Tab")
            page.wait_for_timeout(300)
            walked = page.eval_on_selector("section.tc-comments", DOM_WALK)
            frames = len(page.frames)
        finally:
            context.close()
    assert page.dialogs == []
    assert page.console_errors == []
    assert page.offsite == []
    assert frames == 1  # no iframe of any kind
    problems = []
    for element in walked:
        tag, attrs = element["tag"], dict(element["attrs"])
        allowed = BODY_ELEMENTS.get(tag) if element["body"] else TEMPLATE_ELEMENTS.get(tag)
        if allowed is None:
            problems.append(f"<{tag}>")
            continue
        if set(attrs) - allowed:
            problems.append(f"<{tag}> {sorted(set(attrs) - allowed)}")
        if "href" in attrs and not href_is_safe(attrs["href"], template=not element["body"]):
            problems.append(f"href {attrs['href']!r}")
    assert problems == []
    assert len([e for e in walked if e["tag"] == "article"]) == len(PAYLOADS)


def test_reply_pages_quote_hostile_comments_inside_the_allow_list(tmp_path):
    result = build_fixture("xss", tmp_path / "out", COMMENTS_ENDPOINT="https://comments.example.org/c")
    assert result.ok, result.problems
    pages = sorted((result.output / "xss-guide" / "reply").glob("*/index.html"))
    assert len(pages) == len(PAYLOADS)
    problems = []
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        problems += [f"{path.parent.name}: {p}" for p in body_problems(page.select_one("figure.tc-quote blockquote"))]
        problems += [f"{path.parent.name}: on* attribute on <{e.name}>" for e in page.find_all(True)
                     if any(a.lower().startswith("on") for a in e.attrs)]
        problems += [f"{path.parent.name}: inline <script>" for s in page.find_all("script") if not s.get("src")]
    assert problems == []
    page = soup(result, "/xss-guide/reply/x37-author-script/")
    assert page.title.get_text().startswith("Reply to <script>alert('author')</script> | ")
    assert page.select_one(".tc-form__heading").get_text() == "Reply to <script>alert('author')</script>"
    link = soup(result, "/xss-guide/").select_one("#comment-x38-author-img .tc-reply a")
    assert link.get_text() == "Reply to \"><img src=x onerror=alert('author-img')>" and link.find("img") is None


class _Elements(HTMLParser):
    """Every start tag Python's html.parser sees, and which ones it sees inside <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.in_title, self.open = [], [], []

    def handle_starttag(self, tag, attrs):
        if "title" in self.open:
            self.in_title.append(tag)
        self.tags.append((tag, [name for name, _ in attrs]))
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def test_minified_pages_hold_no_element_from_a_comment_for_any_html_parser(fixture_sites):
    """The production build (minified) of the hostile fixture, read with Python's
    html.parser as scrapers, link previews and checkers do: reply pages' titles
    carry hostile names such as `"><img src=x onerror=…>`; none becomes an element."""
    built = fixture_sites.published("xss", SITEURL="https://rls.example.org", COMMENTS_ENDPOINT="https://comments.example.org/comments")
    pages = built.html_files()
    assert any("/reply/" in p.as_posix() for p in pages)
    problems = []
    for path in pages:
        parser = _Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.in_title:
            problems.append(f"{path.relative_to(built.output)}: <title> holds {parser.in_title}")
        for tag, attributes in parser.tags:
            if tag in {"img", "svg", "iframe", "object", "embed", "math", "video", "details"}:  # our pages use none
                problems.append(f"{path.relative_to(built.output)}: <{tag}>")
            if any(name.startswith("on") for name in attributes):
                problems.append(f"{path.relative_to(built.output)}: <{tag}> {attributes}")
    assert problems == []


def test_the_minified_hostile_build_is_valid_html_for_the_nu_checker(fixture_sites):
    """Links whose address a URL may not carry (quotes, spaces) are not linked, so no
    href is invalid: the one URL policy of comment_core/urls.py."""
    import json
    import shutil
    import subprocess

    from tests.support.sitebuild import ROOT

    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if shutil.which("java") is None or not jar.exists():
        pytest.skip("needs Java and vnu-jar: `apt-get install default-jre-headless npm` then `make test` (npm ci)")
    built = fixture_sites.published("xss", SITEURL="https://rls.example.org", COMMENTS_ENDPOINT="https://comments.example.org/comments")
    run = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(built.output)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout or "{}").get("messages", [])
    assert [f"{m.get('url', '')}: {m.get('message')}" for m in messages if m.get("type") == "error"] == []
