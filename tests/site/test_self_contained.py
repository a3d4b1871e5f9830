"""A plain clone must build and test with nothing beside it: no tracked file may
point at the project's reference material outside the repository."""

import re
import subprocess

import pytest

from tests.support.sitebuild import ROOT

# A relative path up into the folder beside the clone, or a path join onto it
# from the project root. Spelled in pieces so this file does not match itself.
SHARED = "sha" + "red"
OUTSIDE = re.compile(r"\.\./" + SHARED + r"\b|/\s*[\"']" + SHARED + r"[\"']")


def tracked_files():
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listing.split("\0") if name]


def test_no_tracked_file_refers_to_the_folder_beside_the_clone():
    offenders = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "files that read outside the repository:\n" + "\n".join(offenders)


def test_the_source_material_the_tests_compare_against_is_in_the_repository():
    source = ROOT / "tests" / "fixtures" / "source"
    assert (source / "article.txt").read_text(encoding="utf-8").strip()
    assert "## 12. References" in (source / "rls-facts-references.md").read_text(encoding="utf-8")
