"""Build a real site in-process, the way `make html` does, for tests and benchmarks."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings
from strict_build import BuildFailed

ROOT = Path(__file__).resolve().parents[2]
#: False under `make test-fast` (pytest --no-site-builds): building a whole
#: site skips the test instead.
SITE_BUILDS_ALLOWED = True
FIXTURES = ROOT / "tests" / "fixtures"
# The clinic's original text, copied into the repository (see its README).
SEED_ARTICLE = FIXTURES / "source" / "article.txt"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"

#: Every page of the real site a visitor can reach, fixed here so a missing page
#: fails instead of silently shrinking the test set (test_no_unexpected_pages).
PAGES = [
    "/", "/404.html", "/causes/",
    "/causes/genetic-predisposition/", "/causes/iron-deficiency/", "/causes/dopamine/",
    "/causes/kidney-disease/", "/causes/pregnancy/", "/causes/vascular/",
    "/causes/medications/", "/causes/neurological/",
    "/treatments/", "/about/", "/comment-policy/",
]
#: The eight cause pages: (file name, section id in the guide).
CAUSES = [
    ("genetic-predisposition", "genetic-predisposition"),
    ("iron-deficiency", "iron-deficiency"),
    ("dopamine", "dopamine"),
    ("kidney-disease", "kidney-disease"),
    ("pregnancy", "pregnancy"),
    ("vascular", "vascular"),
    ("medications", "medications"),
    ("neurological", "neurological"),
]
#: Where the comment form of the session's site_with_form (tests/conftest.py) posts.
FORM_ENDPOINT = "http://127.0.0.1:8001/comments"
CAUSE_URLS = [f"/causes/{slug}/" for slug, _ in CAUSES]


@dataclass
class BuildResult:
    output: Path
    problems: list[str] = field(default_factory=list)
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def page(self, url_path: str = "/") -> Path:
        """Path of the file a visitor gets for a site-relative URL such as '/causes/'."""
        rel = url_path.lstrip("/")
        target = self.output / rel
        if rel == "" or url_path.endswith("/"):
            target = target / "index.html"
        return target

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def build_site(
    output: Path,
    *,
    settings_file: Path = DEV_SETTINGS,
    content: Path | None = None,
    **overrides,
) -> BuildResult:
    """Run Pelican with the project's settings into ``output``.

    ``content`` points the build at a fixture content folder; ``overrides``
    replace any other setting. A build that found content problems returns a
    result with ``ok`` False and the problems, instead of raising.
    """
    require_site_builds()
    output = Path(output)
    override = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(output.parent / (output.name + "-cache"))}
    if content is not None:
        override["PATH"] = str(Path(content).resolve())
    override.update(overrides)
    settings = read_settings(str(settings_file), override=override)
    logging.getLogger("pelican").setLevel(logging.WARNING)
    try:
        Pelican(settings).run()
    except BuildFailed as failed:
        return BuildResult(output, [str(p) for p in failed.problems], failed)
    return BuildResult(output)


def build_site_cli(
    output: Path,
    *,
    settings_file: Path = PUBLISH_SETTINGS,
    content: Path | None = None,
    env: dict | None = None,
    **overrides,
) -> BuildResult:
    """Build with Pelican's command line in a fresh process, as `make publish` does.

    Third-party plugins (pelican-sitemap) keep module-level
    state between builds in one process; the production checks therefore run on
    a build made the way CI makes it.
    """
    require_site_builds()
    output = Path(output)
    override = {"CACHE_PATH": str(output.parent / (output.name + "-cache")), **overrides}
    command = [
        sys.executable, "-m", "pelican", str(content or ROOT / "content"),
        "-o", str(output), "-s", str(settings_file),
    ]
    for key, value in override.items():
        command += ["-e", f"{key}={json.dumps(value)}"]
    run = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    if run.returncode != 0:
        return BuildResult(output, [run.stdout + run.stderr], error=RuntimeError(f"pelican exited {run.returncode}"))
    return BuildResult(output)


def site_pages(result: BuildResult) -> list[str]:
    """Site-relative URL of every HTML page a visitor can reach."""
    urls = []
    for path in result.html_files():
        rel = path.relative_to(result.output).as_posix()
        urls.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def copy_fixture(name: str, destination: Path) -> Path:
    source = FIXTURES / name
    shutil.copytree(source, destination)
    return destination


def soup_of(result: BuildResult, url: str):
    """The parsed page a visitor gets for a site-relative URL."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(result.page(url).read_text(encoding="utf-8"), "html.parser")


def require_site_builds() -> None:
    if not SITE_BUILDS_ALLOWED:
        import pytest

        pytest.skip("builds a whole site: run `make test`")
