"""A mistake in a content file fails the build with the file's name and the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sitebuild import ROOT, build_site, require_site_builds

GOOD_CAUSE = ROOT / "content" / "causes" / "iron-deficiency.md"


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the real content to break."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target, ignore=shutil.ignore_patterns("comments"))
    return target


def _replace_header_line(path: Path, key: str, new_line: str | None) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.lower().startswith(key.lower() + ":"))
    if new_line is None:
        del lines[index]
    else:
        lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _only_problem_about(result, filename: str) -> str:
    assert not result.ok
    mine = [p for p in result.problems if filename in p]
    assert mine, result.problems
    return "\n".join(mine)


def test_an_invalid_date_fails_the_build_naming_the_file(content, tmp_path):
    _replace_header_line(content / "causes" / "pregnancy.md", "Date", "Date: 31/02/2026 maybe")
    result = build_site(tmp_path / "out", content=content)
    message = _only_problem_about(result, "pregnancy.md")
    assert message == (
        "content/causes/pregnancy.md: line 6: 'Date: 31/02/2026 maybe' is not an ISO date; "
        "write it as 'Date: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM'), e.g. 'Date: 2026-11-24'"
    )


def test_a_metadata_line_without_colon_is_reported_with_its_line_number(content, tmp_path):
    _replace_header_line(content / "causes" / "dopamine.md", "Reviewed", "Reviewed 2026-11-24")
    result = build_site(tmp_path / "out", content=content)
    message = _only_problem_about(result, "dopamine.md")
    assert "has no colon" in message and "'Reviewed: …'" in message
    assert "line " in message


def test_text_inside_the_metadata_block_is_reported(content, tmp_path):
    path = content / "causes" / "vascular.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "This sentence was meant for the body")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(tmp_path / "out", content=content)
    message = _only_problem_about(result, "vascular.md")
    assert "line 3" in message and "blank line" in message


def test_a_missing_reviewed_date_on_a_cause_page_fails(content, tmp_path):
    _replace_header_line(content / "causes" / "medications.md", "Reviewed", None)
    result = build_site(tmp_path / "out", content=content)
    assert "missing 'Reviewed:' date" in _only_problem_about(result, "medications.md")


def test_a_malformed_reviewed_date_fails(content, tmp_path):
    _replace_header_line(content / "causes" / "neurological.md", "Reviewed", "Reviewed: last spring")
    result = build_site(tmp_path / "out", content=content)
    message = _only_problem_about(result, "neurological.md")
    assert "'Reviewed: last spring' is not an ISO date" in message and "YYYY-MM-DD" in message


def test_every_problem_is_reported_not_just_the_first(content, tmp_path):
    _replace_header_line(content / "causes" / "medications.md", "Reviewed", "Reviewed: soon")
    _replace_header_line(content / "causes" / "pregnancy.md", "Date", "Date: yesterday-ish")
    result = build_site(tmp_path / "out", content=content)
    assert any("medications.md" in p for p in result.problems)
    assert any("pregnancy.md" in p for p in result.problems)


def test_an_unknown_citation_number_fails(content, tmp_path):
    path = content / "causes" / "kidney-disease.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA fact with a wrong source [@999].\n", encoding="utf-8")
    result = build_site(tmp_path / "out", content=content)
    assert "[@999] names no entry" in _only_problem_about(result, "kidney-disease.md")


def _make(target: str, content: Path, output: Path) -> subprocess.CompletedProcess:
    require_site_builds()  # make reads and renders the whole site before it stops
    env = dict(os.environ, INPUTDIR=str(content), OUTPUTDIR=str(output))
    return subprocess.run(
        ["make", "--no-print-directory", target, f"INPUTDIR={content}", f"OUTPUTDIR={output}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv (make venv)")
def test_make_html_exits_non_zero_and_keeps_the_previous_site(content, tmp_path):
    output = tmp_path / "site"
    output.mkdir()
    (output / "index.html").write_text("previous good build", encoding="utf-8")
    _replace_header_line(content / "causes" / "pregnancy.md", "Date", "Date: not-a-date")
    result = _make("html", content, output)
    assert result.returncode != 0
    assert "pregnancy.md" in result.stdout + result.stderr
    assert (output / "index.html").read_text(encoding="utf-8") == "previous good build"


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv (make venv)")
def test_pelican_command_line_exits_non_zero_on_a_content_error(content, tmp_path):
    require_site_builds()
    _replace_header_line(content / "causes" / "dopamine.md", "Reviewed", "Reviewed: ??")
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(tmp_path / "out"), "-s", str(ROOT / "pelicanconf.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, COLUMNS="200"),
    )
    assert result.returncode == 1
    assert "dopamine.md" in result.stdout + result.stderr
    assert "nothing was published" in result.stdout + result.stderr


GUIDE = Path("guide") / "restless-legs-syndrome.md"


def _first_editor_note(content: Path) -> tuple[list[str], int]:
    lines = (content / GUIDE).read_text(encoding="utf-8").splitlines()
    return lines, next(i for i, line in enumerate(lines) if line.startswith("!!! editor-note"))


def _write_guide(content: Path, lines: list[str]) -> None:
    (content / GUIDE).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("indent", ["", "  "], ids=["not-indented", "two-spaces"])
def test_an_editor_note_whose_text_is_not_indented_fails_with_the_fix(content, tmp_path, indent):
    lines, index = _first_editor_note(content)
    lines[index + 1] = indent + lines[index + 1].lstrip()
    _write_guide(content, lines)
    message = _only_problem_about(build_site(tmp_path / "out", content=content), "restless-legs-syndrome.md")
    assert message == (
        f"content/guide/restless-legs-syndrome.md: line {index + 1}: the text of this '!!!' note is not "
        "indented, so the note would show empty; indent the note's text by 4 spaces under the '!!!' line"
    )


def test_an_editor_note_whose_title_quote_is_not_closed_fails(content, tmp_path):
    lines, index = _first_editor_note(content)
    lines[index] = lines[index].rstrip('"')
    _write_guide(content, lines)
    message = _only_problem_about(build_site(tmp_path / "out", content=content), "restless-legs-syndrome.md")
    assert message.startswith(f"content/guide/restless-legs-syndrome.md: line {index + 1}: '!!! editor-note")
    assert "closing quote missing" in message and "write it as '!!! editor-note \"Editor's note, " in message


def test_a_misspelt_metadata_key_fails_with_a_did_you_mean(content, tmp_path):
    _replace_header_line(content / "causes" / "dopamine.md", "Nav_title", "Nav_tilte: Dopamine")
    message = _only_problem_about(build_site(tmp_path / "out", content=content), "dopamine.md")
    assert message == (
        "content/causes/dopamine.md: line 2: unknown metadata key 'Nav_tilte:'; did you mean 'Nav_title:'? "
        "(a new key must be added to MEDICAL_METADATA_KEYS in pelicanconf.py)"
    )


def test_a_new_metadata_key_builds_once_the_site_allows_it(content, tmp_path):
    _replace_header_line(content / "causes" / "dopamine.md", "Nav_title", "Audience: adults")
    assert not build_site(tmp_path / "refused", content=content).ok
    assert build_site(tmp_path / "out", content=content, MEDICAL_METADATA_KEYS=["Audience"]).ok
