"""The production build (`make publish`): valid, linked, compressed, CSP-protected.

These run on a real publishconf.py build with an absolute SITEURL, served from
127.0.0.1 on the port that SITEURL names.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import socket
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import brotli
import pytest
from bs4 import BeautifulSoup

from comment_core import csp
from tests.support.browser import axe_violations
from tests.support.servers import StaticServer
from tests.support.sitebuild import PAGES, ROOT, build_site_cli, site_pages

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TEXT_SUFFIXES = {".atom", ".css", ".htm", ".html", ".js", ".json", ".rss", ".svg", ".txt", ".xml", ".xsl"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PublishedSite:
    def __init__(self, result, port):
        self.result = result
        self.output = result.output
        self.port = port
        self.siteurl = f"http://127.0.0.1:{port}"

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.result.page(url).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[str]:
        return site_pages(self.result)


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    port = _free_port()
    output = tmp_path_factory.mktemp("publish") / "output"
    result = build_site_cli(output, env={"SITEURL": f"http://127.0.0.1:{port}"})
    assert result.ok, result.problems
    return PublishedSite(result, port)


@pytest.fixture(scope="session")
def published_server(published):
    with StaticServer(published.output, port=published.port) as server:
        yield server


def _local_target(published: PublishedSite, url: str, page: str = "/") -> tuple[Path, str] | None:
    """(file, fragment) for a link on ``page`` that stays on the site, else None."""
    url, fragment = urldefrag(urljoin(published.siteurl + page, url))
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data"):
        return None
    if parts.netloc and f"{parts.scheme}://{parts.netloc}" != published.siteurl:
        return None
    path = parts.path or "/"
    target = published.output / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target, fragment


def test_every_page_is_valid_html_for_the_nu_checker(published):
    if shutil.which("java") is None or not VNU_JAR.exists():
        pytest.skip("needs Java and vnu-jar: `apt-get install default-jre-headless npm` then `make test` (npm ci)")
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", "--skip-non-html", str(published.output)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stdout or "{}").get("messages", [])
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert errors == []
    assert run.returncode == 0, run.stderr


def test_every_link_anchor_stylesheet_image_and_feed_resolves(published):
    broken = []
    soups = {}  # each page is parsed once, however many # links point into it

    def parsed(path: Path) -> BeautifulSoup:
        if path not in soups:
            soups[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return soups[path]

    for url in published.pages():
        soup = parsed(published.result.page(url))
        for element in soup.find_all(["a", "link", "script", "img", "source"]):
            ref = element.get("href") or element.get("src")
            if not ref:
                continue
            local = _local_target(published, ref, url)
            if local is None:
                continue
            target, fragment = local
            if not target.is_file():
                broken.append(f"{url}: {ref} (no file {target.relative_to(published.output)})")
                continue
            if fragment and target.suffix == ".html":
                if parsed(target).find(id=fragment) is None:
                    broken.append(f"{url}: {ref} (no element with id {fragment!r})")
    assert broken == []


def test_every_page_is_in_the_sitemap_and_reachable_from_the_home_page(published):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(published.output / "sitemap.xml").getroot()
    entries = sitemap.findall("s:url", namespace)
    listed = {e.findtext("s:loc", namespaces=namespace).removeprefix(published.siteurl) for e in entries}
    pages = set(published.pages()) - {"/404.html"}
    assert pages == listed
    for entry in entries:
        assert entry.findtext("s:lastmod", namespaces=namespace).startswith("20")

    seen, queue = {"/"}, deque(["/"])
    while queue:
        current = queue.popleft()
        soup = published.soup(current)
        for a in soup.find_all("a", href=True):
            local = _local_target(published, a["href"], current)
            if local is None or local[0].suffix != ".html":
                continue
            rel = "/" + local[0].relative_to(published.output).as_posix().removesuffix("index.html")
            if rel not in seen:
                seen.add(rel)
                queue.append(rel)
    assert pages <= seen, f"not reachable from /: {sorted(pages - seen)}"


def test_robots_txt_points_at_the_sitemap(published):
    robots = (published.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {published.siteurl}/sitemap.xml" in robots.splitlines()


def test_text_files_are_minified_and_precompressed(published):
    """Every text file of 20 bytes or more has a .br and a .gz of its final
    (minified) bytes, unless that copy would not be smaller; smaller files and
    other files have none (what the deleted site_compression plugin's tests
    checked on a tiny site, now on the real one built with pelican-precompress)."""
    checked = 0
    for path in published.output.rglob("*"):
        if not path.is_file() or path.suffix in {".br", ".gz"}:
            continue
        data = path.read_bytes()
        for suffix, decompress, compress in ((".gz", gzip.decompress, lambda d: gzip.compress(d, 9, mtime=0)),
                                             (".br", brotli.decompress, lambda d: brotli.compress(d, quality=11))):
            copy = path.parent / (path.name + suffix)
            if path.suffix not in TEXT_SUFFIXES or len(data) < 20:
                assert not copy.exists(), copy
            elif copy.exists():
                assert decompress(copy.read_bytes()) == data, copy
                checked += 1
            else:
                assert len(compress(data)) >= len(data), f"{copy} is missing"
    assert checked >= 24
    home = (published.output / "index.html").read_text(encoding="utf-8")
    assert "\n  " not in home, "HTML is minified"
    css = next((published.output / "static").glob("site.*.css")).read_text(encoding="utf-8")
    assert "\n" not in css.strip() and "/*" not in css, "CSS is minified"


def test_stylesheet_has_a_fingerprinted_name_that_changes_with_its_content(published):
    sheet = published.soup("/").find("link", rel="stylesheet")["href"]
    name = sheet.rsplit("/", 1)[-1]
    stem, digest, suffix = name.split(".")
    assert (stem, suffix) == ("site", "css") and len(digest) == 10
    content = (published.output / "static" / name).read_bytes()
    assert hashlib.sha256(content).hexdigest()[:10] == digest


@pytest.mark.parametrize("url", ["/", "/causes/", "/causes/vascular/", "/404.html"])
def test_every_page_carries_a_strict_content_security_policy(published, url):
    meta = published.soup(url).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    policy = {d.split()[0]: d.split()[1:] for d in meta["content"].split("; ")}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"][0] == "'self'"
    assert "unsafe-inline" not in meta["content"] and "unsafe-eval" not in meta["content"]


def test_both_headers_files_send_the_one_header_set_with_the_pages_policy(published):
    """_headers (Cloudflare Pages, Netlify) and _headers.nginx (deploy/site-nginx.conf)
    carry every header of comment_core/csp.py, the CSP being the page's plus frame-ancestors."""
    meta = published.soup("/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    expected = csp.response_headers(csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, None))
    assert expected["Content-Security-Policy"] == meta + "; frame-ancestors 'none'"
    headers = (published.output / "_headers").read_text(encoding="utf-8")
    nginx = (published.output / "_headers.nginx").read_text(encoding="utf-8")
    for name, value in expected.items():
        assert f"\n  {name}: {value}\n" in headers, name
        assert f'\nadd_header {name} "{value}" always;\n' in nginx, name
    assert "Cache-Control: public, max-age=31536000, immutable" in headers


def test_the_production_build_is_reproducible_and_its_warm_caches_change_nothing(published, tmp_path):
    # Same cache folder as the first build: Pelican's reader cache and the
    # comment render cache are warm, and every byte must equal the cold build's.
    cache = published.output.parent / (published.output.name + "-cache")
    again = build_site_cli(tmp_path / "again", env={"SITEURL": published.siteurl}, CACHE_PATH=str(cache))
    assert again.ok
    first = {p.relative_to(published.output): p.read_bytes() for p in published.output.rglob("*") if p.is_file()}
    second = {p.relative_to(again.output): p.read_bytes() for p in again.output.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [str(k) for k in first if first[k] != second[k]] == []


def _files(root: Path) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_the_order_of_plugins_does_not_change_a_byte(published, tmp_path, monkeypatch):
    """Each plugin hooks the signal of its own step, so PLUGINS may be listed in
    any order (reversed, and every plugin moved to the front once in turn)."""
    from pelican.settings import read_settings

    monkeypatch.setenv("SITEURL", published.siteurl)
    listed = list(read_settings(str(ROOT / "publishconf.py"))["PLUGINS"])
    orders = [list(reversed(listed)), listed[3:] + listed[:3]]
    first = _files(published.output)
    for number, order in enumerate(orders):
        assert order != listed
        again = build_site_cli(tmp_path / f"order{number}", env={"SITEURL": published.siteurl}, PLUGINS=order)
        assert again.ok, again.problems
        second = _files(again.output)
        assert first.keys() == second.keys(), order
        assert [str(k) for k in first if first[k] != second[k]] == [], order


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)], ids=["phone", "desktop"])
def test_no_csp_violation_no_console_error_and_no_axe_violation(published, published_server, new_page, viewport, scheme):
    """The suite's one axe-core run per page and state (phone/desktop, light/dark)."""
    assert set(PAGES) <= set(published.pages()), "every page a visitor can reach is checked"
    page = new_page(*viewport, scheme)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for url in published.pages():
        page.goto(published_server.url(url))
        assert page.evaluate("window.__csp") == [], url
        assert axe_violations(page) == [], url
    assert page.console_errors == []
    assert page.offsite_requests == []


def test_every_page_names_the_sites_atom_feed(published):
    feed = f"{published.siteurl}/feeds/all.atom.xml"
    assert (published.output / "feeds" / "all.atom.xml").is_file()
    for url in published.pages():
        links = published.soup(url).find_all("link", rel="alternate", type="application/atom+xml")
        assert feed in [link["href"] for link in links], url


def test_the_error_page_is_not_indexed_and_claims_no_address(published):
    soup = published.soup("/404.html")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical") is None
    assert soup.find("meta", property="og:url") is None
    assert published.soup("/").find("link", rel="canonical")["href"] == published.siteurl + "/"


def test_without_a_comment_endpoint_no_form_script_is_published(published):
    # the fixture builds without COMMENTS_ENDPOINT: no form, so no script for it
    assert list(published.output.rglob("comment_form*")) == []


def test_feed_titles_are_plain_text(published):
    feed = ElementTree.parse(published.output / "feeds" / "all.atom.xml").getroot()
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert len(titles) >= 2
    for title in titles:
        assert "&" not in title and "<" not in title and "\xa0" not in title, title


@pytest.mark.browser
def test_a_first_visit_to_the_guide_makes_two_requests_and_still_shows_the_icon(published, published_server, new_page):
    page = new_page()
    requests = []
    page.on("request", lambda request: request.url.startswith("http") and requests.append(request.url))
    page.goto(published_server.url("/"), wait_until="networkidle")
    assert [urlsplit(url).path for url in requests] == ["/", "/" + published.soup("/").find(
        "link", rel="stylesheet")["href"].split("/", 3)[3]]
    icon = page.evaluate("""() => new Promise(resolve => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth);
        img.onerror = () => resolve(0);
        img.src = document.querySelector('link[rel=icon]').href;
    })""")
    assert icon > 0, "the inline icon is an image the page's policy allows"
    assert page.console_errors == []


def test_every_link_in_every_feed_resolves_to_a_page_of_the_site_in_a_feed_reader(published, published_server):
    """feedparser reads each feed over HTTP and resolves links as readers do
    (against xml:base or the feed's own address): each must reach a built page
    and, with a fragment, an id on it."""
    import feedparser

    feeds = sorted(p.relative_to(published.output).as_posix() for p in (published.output / "feeds").glob("*.xml"))
    assert "feeds/all.atom.xml" in feeds
    checked, problems = 0, []
    for feed_path in feeds:
        parsed = feedparser.parse(f"{published.siteurl}/{feed_path}")
        assert parsed.status == 200 and not parsed.bozo, (feed_path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            for content in entry.get("content", []) + [entry.get("summary_detail") or {}]:
                html = BeautifulSoup(content.get("value", ""), "html.parser")
                for link in html.find_all("a", href=True):
                    target = _local_target(published, link["href"], "/")
                    if target is None:
                        continue
                    checked += 1
                    file, fragment = target
                    if not file.is_file():
                        problems.append(f"{feed_path}: {link['href']} is not a page")
                    elif fragment and BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").find(id=fragment) is None:
                        problems.append(f"{feed_path}: {link['href']} names no id on its page")
    assert checked > 100 and problems == []
