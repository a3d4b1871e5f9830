"""`verify: true` in references.yaml: readers see nothing different; the build
lists the flagged references once, as a warning, and still succeeds."""

from __future__ import annotations

import logging
import shutil

import pytest

from tests.support.sitebuild import ROOT, build_site

FLAGGED = (4, 17)


def content_flagging(folder, numbers, value="true"):
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    references = content / "data" / "references.yaml"
    # Exactly the flags under test: drop the ones the real list carries.
    lines = [line for line in references.read_text(encoding="utf-8").splitlines()
             if not line.strip().startswith("verify:")]
    flagged = []
    for line in lines:
        flagged.append(line)
        if any(line == f"{number}:" for number in numbers):
            flagged.append(f"  verify: {value}")
    assert len(flagged) == len(lines) + len(numbers), "every flagged number is in the reference list"
    references.write_text("\n".join(flagged) + "\n", encoding="utf-8")
    return content


def reminders(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "verify: true" in r.getMessage()]


def test_flagged_references_are_listed_once_as_a_warning(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    result = build_site(tmp_path / "output", content=content_flagging(tmp_path, FLAGGED))
    assert result.ok, result.problems
    messages = reminders(caplog)
    assert len(messages) == 1
    assert "references.yaml" in messages[0] and "references 4, 17 marked 'verify: true'" in messages[0]


def test_readers_see_no_difference(tmp_path, site):
    result = build_site(tmp_path / "output", content=content_flagging(tmp_path, FLAGGED))
    assert result.ok, result.problems
    pages = sorted(path.relative_to(site.output) for path in site.html_files())
    assert pages == sorted(path.relative_to(result.output) for path in result.html_files())
    for page in pages:
        assert (result.output / page).read_bytes() == (site.output / page).read_bytes(), page


def test_no_flag_no_reminder(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    result = build_site(tmp_path / "output", content=content_flagging(tmp_path, ()))
    assert result.ok, result.problems
    assert reminders(caplog) == []


@pytest.mark.parametrize("value", ["maybe", "1"])
def test_a_flag_that_is_not_true_or_false_fails_the_build(tmp_path, value):
    result = build_site(tmp_path / "output", content=content_flagging(tmp_path, (4,), value=value))
    assert not result.ok
    assert any(f"reference 4: 'verify: {value}' must be true or false" in p for p in result.problems), result.problems
