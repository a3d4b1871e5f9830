"""Each authoring mistake gives exactly one readable problem and publishes nothing.

tests/fixtures/mistakes/<mistake>/content/ holds the files that, laid over a
copy of the real content, make one mistake; expected.txt next to it is the
whole output authors must see: each problem once, on one line, naming the file
relative to the project, then the one-line summary. The build runs the way
authors run it (`make html`, `make publish`) with a 40-column, non-terminal
output, so nothing may be wrapped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from strict_build.logs import BUG_NOTE

from tests.support.sitebuild import FIXTURES, ROOT, require_site_builds

MISTAKES = FIXTURES / "mistakes"
NAMES = sorted(p.name for p in MISTAKES.iterdir() if p.is_dir())
NARROW = {"COLUMNS": "40", "TERM": "dumb"}
MAKE_ERROR = re.compile(r"make(\[\d+\])?: \*\*\* ")

pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv (make venv)"
)


def content_with(mistake: str, base: Path) -> Path:
    content = base / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    shutil.copytree(MISTAKES / mistake / "content", content, dirs_exist_ok=True)
    # Without the reference list's `verify:` flags, whose one-line reminder
    # (tested in tests/plugins/medical_pages/test_verify_flag.py) would
    # otherwise open every expected output.
    references = content / "data" / "references.yaml"
    if references.is_file():
        lines = references.read_text(encoding="utf-8").splitlines(keepends=True)
        references.write_text("".join(line for line in lines if not line.strip().startswith("verify:")), encoding="utf-8")
    return content


def previous_site(base: Path) -> Path:
    output = base / "site"
    output.mkdir()
    (output / "index.html").write_text("previous good build", encoding="utf-8")
    return output


def top_level_environment(**extra) -> dict[str, str]:
    """The environment of an author's shell: under `make test` the suite itself
    runs inside make, whose MAKELEVEL would turn "make:" lines into "make[1]:"."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    return {**env, **extra}


def make(target: str, content: Path, output: Path, **variables) -> subprocess.CompletedProcess:
    require_site_builds()  # make reads and renders the whole site before it stops
    args = [f"INPUTDIR={content}", f"OUTPUTDIR={output}", *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(
        ["make", "--no-print-directory", target, *args], cwd=ROOT, capture_output=True, text=True,
        timeout=300, env=top_level_environment(**NARROW),
    )


def printed_by_the_build(run: subprocess.CompletedProcess) -> list[str]:
    """What the build printed, without make's own closing "make: *** … Error 1" line
    (``make[1]: ***`` when the tests themselves run under `make test`)."""
    return [line for line in (run.stdout + run.stderr).splitlines() if not MAKE_ERROR.match(line)]


def expected(mistake: str) -> list[str]:
    return (MISTAKES / mistake / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("mistake", NAMES)
def test_make_html_reports_the_mistake_once_and_keeps_the_previous_site(mistake, tmp_path):
    output = previous_site(tmp_path)
    run = make("html", content_with(mistake, tmp_path), output)
    assert run.returncode != 0
    assert printed_by_the_build(run) == expected(mistake)
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "previous good build"
    assert not output.with_name("site.partial").exists()


@pytest.mark.parametrize("mistake", ["broken-filename-link", "missing-anchor", "ambiguous-date"])
def test_make_publish_reports_the_same_problem(mistake, tmp_path):
    output = previous_site(tmp_path)
    run = make("publish", content_with(mistake, tmp_path), output, SITEURL="https://example.test")
    assert run.returncode != 0
    assert printed_by_the_build(run) == expected(mistake)
    assert (output / "index.html").read_text(encoding="utf-8") == "previous good build"


def test_pelican_itself_exits_1_with_no_traceback(tmp_path):
    content = content_with("broken-filename-link", tmp_path)
    require_site_builds()
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(tmp_path / "out"), "-s", str(ROOT / "pelicanconf.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **NARROW},
    )
    assert run.returncode == 1
    assert (run.stdout + run.stderr).splitlines() == expected("broken-filename-link")


def test_make_publish_refuses_to_guess_the_site_address(tmp_path):
    output = previous_site(tmp_path)
    env = {k: v for k, v in top_level_environment().items() if k != "SITEURL"}
    run = subprocess.run(
        ["make", "--no-print-directory", "publish", f"OUTPUTDIR={output}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert run.returncode != 0
    assert "make publish needs the address the site is published at: make publish SITEURL=https://" in run.stdout
    assert (output / "index.html").read_text(encoding="utf-8") == "previous good build"


def test_a_bug_in_the_build_code_shows_a_traceback_and_asks_for_a_report(tmp_path):
    content = content_with("broken-filename-link", tmp_path)
    require_site_builds()
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(tmp_path / "out"), "-s", str(ROOT / "pelicanconf.py"),
         "-e", f'PLUGIN_PATHS={json.dumps([str(FIXTURES / "buggy_plugin")])}', 'PLUGINS=["strict_build", "buggy"]'],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **NARROW},
    )
    assert run.returncode == 1
    lines = (run.stdout + run.stderr).splitlines()
    assert lines[0] == "CRITICAL: RuntimeError: deliberate bug in a plugin"
    assert lines[1] == "Traceback (most recent call last):"
    assert 'raise RuntimeError("deliberate bug in a plugin")' in run.stderr
    assert lines[-1] == BUG_NOTE
    assert run.stderr.count("deliberate bug in a plugin") == 3  # the line, the traceback's code line, its last line
