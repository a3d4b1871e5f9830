"""Shared fixtures: real site builds, a local web server and headless Chromium."""

from __future__ import annotations

import pytest

from tests.support import sitebuild
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.comment_sites import FixtureSites
from tests.support.servers import StaticServer
from tests.support.sitebuild import FORM_ENDPOINT, BuildResult, build_site


def pytest_addoption(parser):
    parser.addoption(
        "--no-site-builds",
        action="store_true",
        help="skip every test that builds a whole site (make test-fast)",
    )


def pytest_configure(config):
    sitebuild.SITE_BUILDS_ALLOWED = not config.getoption("--no-site-builds")



@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuildResult:
    """The real site, built once with the project's own development settings."""
    result = build_site(tmp_path_factory.mktemp("site") / "output")
    assert result.ok, "the project's own site must build:\n" + "\n".join(result.problems)
    return result


@pytest.fixture(scope="session")
def site_with_form(tmp_path_factory) -> BuildResult:
    """The real site with a comment form posting to the receiver `make serve` starts."""
    # The endpoint comes from the environment, as in `make html` and CI: the
    # settings derive the Content-Security-Policy from it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMMENTS_ENDPOINT", FORM_ENDPOINT)
        result = build_site(tmp_path_factory.mktemp("with-form") / "output")
    assert result.ok, result.problems
    return result


@pytest.fixture(scope="session")
def fixture_sites(tmp_path_factory) -> FixtureSites:
    """The comments plugin's fixture sites, each built once: ``fixture_sites.get("thread")``."""
    return FixtureSites(tmp_path_factory)


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
