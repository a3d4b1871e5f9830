"""strict_build judges a build after every other plugin, whatever the order of
PLUGINS: a problem another plugin finds at the start of a build (a broken
reference list) is reported even when that plugin is listed first."""

from __future__ import annotations

import itertools
import shutil

import pytest

from tests.support.sitebuild import ROOT, build_site

OURS = ["strict_build", "site_assets", "medical_pages", "truffles_comments"]


@pytest.fixture(scope="module")
def broken_references(tmp_path_factory):
    content = tmp_path_factory.mktemp("broken-refs") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "data" / "references.yaml").write_text("1: [unclosed\n", encoding="utf-8")
    return content


@pytest.mark.parametrize("order", [OURS, OURS[::-1], OURS[2:] + OURS[:2]], ids=["listed", "reversed", "rotated"])
def test_a_problem_found_at_initialized_fails_the_build_in_any_order(broken_references, tmp_path, order):
    result = build_site(tmp_path / "output", content=broken_references, PLUGINS=order)
    assert not result.ok
    assert [p for p in result.problems if p.startswith("content/data/references.yaml: is not valid YAML")], result.problems[:3]


def test_every_order_of_our_plugins_builds_the_same_site(tmp_path):
    built = {}
    for number, order in enumerate([OURS, *itertools.islice(itertools.permutations(OURS), 5, 24, 6)]):
        result = build_site(tmp_path / f"out{number}", PLUGINS=list(order))
        assert result.ok, result.problems
        built[tuple(order)] = {p.relative_to(result.output): p.read_bytes() for p in result.output.rglob("*") if p.is_file()}
    reference = built[tuple(OURS)]
    for order, files in built.items():
        assert files == reference, order
