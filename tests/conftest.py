"""Shared fixtures: real site builds, a local web server and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from sitebuild import ROOT, BuildResult, build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
# The clinic's original text, copied into the repository (see its README).
SEED_ARTICLE = ROOT / "tests" / "fixtures" / "source" / "article.txt"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuildResult:
    """The real site, built once with the project's own development settings."""
    result = build_site(tmp_path_factory.mktemp("site") / "output")
    assert result.ok, "the project's own site must build:\n" + "\n".join(result.problems)
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class StaticServer:
    """Serves a built site on 127.0.0.1 (on a free port unless one is given), in a thread."""

    def __init__(self, root: Path, port: int = 0):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def served_site(site):
    with StaticServer(site.output) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium: "
            "run `sudo apt-get install -y --no-install-recommends chromium` (bash .ci/run does this)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """Factory for a fresh browser page; records console errors and off-site requests."""
    contexts = []

    def make(width: int = 1366, height: int = 900, color_scheme: str = "light"):
        context = chromium.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.offsite_requests = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))

        def guard(route):
            url = route.request.url
            if url.startswith(("http://127.0.0.1", "data:", "about:")):
                route.continue_()
            else:
                page.offsite_requests.append(url)
                route.abort()

        page.route("**/*", guard)
        return page

    yield make
    for context in contexts:
        context.close()


def site_pages(result: BuildResult) -> list[str]:
    """Site-relative URL of every HTML page a visitor can reach."""
    urls = []
    for path in result.html_files():
        rel = path.relative_to(result.output).as_posix()
        urls.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def copy_fixture(name: str, destination: Path) -> Path:
    source = Path(__file__).parent / "fixtures" / name
    shutil.copytree(source, destination)
    return destination
