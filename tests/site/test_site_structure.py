"""Every page: landmarks, headings, metadata, clean URLs, no third-party requests."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.support.sitebuild import PAGES, site_pages


def _soup(site, url):
    return BeautifulSoup(site.page(url).read_text(encoding="utf-8"), "html.parser")


each_page = pytest.mark.parametrize("page_url", PAGES)


def test_no_unexpected_pages(site):
    assert sorted(site_pages(site)) == sorted(PAGES)


@each_page
def test_landmarks_and_skip_link(site, page_url):
    soup = _soup(site, page_url)
    assert soup.html["lang"] == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert soup.find(landmark) is not None, landmark
    assert len(soup.find_all("main")) == 1
    skip = soup.find("a", class_="skip-link")
    assert skip is not None and skip == soup.body.find("a"), "skip link must be the first link"
    assert soup.find(id=skip["href"][1:]).name == "main"


@each_page
def test_exactly_one_h1_and_no_skipped_heading_levels(site, page_url):
    soup = _soup(site, page_url)
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels.count(1) == 1
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading jumps from h{previous} to h{current}"


@each_page
def test_description_canonical_and_open_graph(site, page_url):
    soup = _soup(site, page_url)
    description = soup.find("meta", attrs={"name": "description"})
    assert description and len(description["content"]) > 40
    canonical = soup.find("link", rel="canonical")
    if page_url == "/404.html":  # served at every missing address: no address of its own
        assert canonical is None and soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    else:
        assert canonical and canonical["href"].endswith(page_url.lstrip("/") or "/")
    assert soup.find("meta", property="og:title")["content"]
    assert soup.find("meta", property="og:description")["content"] == description["content"]
    assert soup.find("title").get_text(strip=True)


@each_page
def test_nothing_is_loaded_from_another_host(site, page_url):
    soup = _soup(site, page_url)
    for element in soup.find_all(src=True):
        assert not urlsplit(element["src"]).netloc, element
    for element in soup.find_all("link", href=True):
        if element.get("rel") in (["canonical"],):
            continue
        assert not urlsplit(element["href"]).netloc, element
    assert not soup.find_all(["iframe", "embed", "object"])
    assert not soup.find_all("style"), "styles live in the one stylesheet"
    assert not soup.find_all(style=True), "no inline styles (the CSP forbids them)"
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json" or script.get("src"), "no inline script"


@each_page
def test_one_stylesheet_without_import_chains(site, page_url):
    soup = _soup(site, page_url)
    sheets = soup.find_all("link", rel="stylesheet")
    assert len(sheets) == 1
    css_file = site.output / sheets[0]["href"].lstrip("/")
    assert css_file.exists()
    assert "@import" not in css_file.read_text(encoding="utf-8")


def test_clean_urls(site):
    for url in site_pages(site):
        if url == "/404.html":
            continue
        assert url.endswith("/"), url
    soup = _soup(site, "/")
    for a in soup.select("main a[href]"):
        href = a["href"]
        if href.startswith(("#", "http")):
            continue
        assert href.endswith("/") or "#" in href, href


def test_no_blog_furniture(site):
    for folder in ("author", "category", "tag", "archives.html", "authors.html", "tags.html", "categories.html"):
        assert not (site.output / folder).exists(), folder


def test_robots_favicon_and_404(site):
    assert "User-agent: *" in (site.output / "robots.txt").read_text()
    assert (site.output / "favicon.svg").read_text().startswith("<svg")
    assert (site.output / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    soup = _soup(site, "/404.html")
    assert soup.find("h1").get_text(strip=True).startswith("Sorry")
    hrefs = [a["href"] for a in soup.select("main a")]
    assert any(h in ("/", "") for h in hrefs), "the 404 page links home"
