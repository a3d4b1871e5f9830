"""Fixture sites for the comments plugin's tests: build one with the project's theme,
read its pages, serve it to a browser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.browser import CHROMIUM
from tests.support.servers import StaticServer
from tests.support.sitebuild import ROOT, BuildResult, build_site, build_site_cli

FIXTURES = ROOT / "tests" / "fixtures" / "comments"
PLUGIN_DIR = ROOT / "plugins" / "truffles_comments"



#: Fixture sites are tiny: they carry no robots.txt/_headers templates.
FIXTURE_SETTINGS = {"TEMPLATE_PAGES": {}}


def build_fixture(name_or_path, output: Path, **overrides) -> BuildResult:
    """Build a fixture with the project's theme and plugins (pelicanconf.py)."""
    content = Path(name_or_path)
    if not content.is_absolute():
        content = FIXTURES / name_or_path
    settings = {**FIXTURE_SETTINGS, **overrides}
    return build_site(Path(output), content=content, **settings)


class FixtureSites:
    """Fixture sites built once per test session, one per (fixture,
    settings), for the tests that only read what was built (the session's
    ``fixture_sites`` in tests/conftest.py). Tests that change content or
    settings, or watch a build happen, keep their own builds."""

    def __init__(self, tmp_path_factory):
        self._folders = tmp_path_factory
        self._built: dict[str, BuildResult] = {}

    def get(self, name: str, **overrides) -> BuildResult:
        key = json.dumps([name, overrides], sort_keys=True)
        if key not in self._built:
            result = build_fixture(name, self._folders.mktemp(name) / "out", **overrides)
            assert result.ok, result.problems
            self._built[key] = result
        return self._built[key]

    def published(self, name: str, **env: str) -> BuildResult:
        """Fixture ``name`` built as `make publish` builds (publishconf.py, in a
        fresh process) with ``env`` as its environment (SITEURL, COMMENTS_ENDPOINT)."""
        key = json.dumps(["publish", name, env], sort_keys=True)
        if key not in self._built:
            result = build_site_cli(self._folders.mktemp(f"{name}-publish") / "out", content=FIXTURES / name, env=env)
            assert result.ok, result.problems
            self._built[key] = result
        return self._built[key]


def copy_fixture(name: str, destination: Path) -> Path:
    shutil.copytree(FIXTURES / name, destination)
    return destination


def soup(result: BuildResult, url: str) -> BeautifulSoup:
    return BeautifulSoup(result.page(url).read_text(encoding="utf-8"), "html.parser")


def comments_section(page: BeautifulSoup):
    return page.select_one("section.tc-comments")


def write_comment(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class Server(StaticServer):
    """A built site on 127.0.0.1, on a free port, in a thread; ``origin`` is its address."""

    @property
    def origin(self) -> str:
        return self.base_url


def require_chromium():
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Chromium at /usr/bin/chromium: run `apt-get install chromium`")


def watched_page(browser, origin: str, **context_options):
    """A page that records dialogs, console errors and every request that
    does not go to ``origin`` (such requests are aborted)."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.origin = origin
    page.dialogs, page.console_errors, page.offsite = [], [], []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    def guard(route):
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            route.continue_()
        else:
            page.offsite.append(url)
            route.abort()

    context.route("**/*", guard)  # the context's route sees every frame's requests
    return context, page


def shown(path) -> str:
    """A path as strict_build prints it: relative to the project, the folder that
    holds the content folder (fixtures are always copied into one named content/)."""
    # The folders resolved, not the file: a symbolic link is named as itself.
    path = Path(path).parent.resolve() / Path(path).name
    for parent in path.parents:
        if parent.name == "content":
            return path.relative_to(parent.parent).as_posix()
    raise AssertionError(f"{path} is not inside a content/ folder")
