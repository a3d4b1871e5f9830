"""The problem collector: one list per build, each problem once, paths shown
relative to where the build runs, and a failure message that lists them all."""

from __future__ import annotations

import os

import pytest
from strict_build import collector
from strict_build.collector import BuildFailed, Problem


@pytest.fixture(autouse=True)
def empty_collector():
    collector.reset()
    yield
    collector.reset()


def test_report_records_a_problem_with_its_path():
    collector.report("content/causes/x.md", "missing 'Reviewed:' date")
    assert collector.problems() == [Problem("content/causes/x.md", "missing 'Reviewed:' date")]
    assert str(collector.problems()[0]) == "content/causes/x.md: missing 'Reviewed:' date"


def test_a_problem_without_a_path_is_just_its_message():
    collector.report(None, "the reference list is broken")
    assert [str(p) for p in collector.problems()] == ["the reference list is broken"]


def test_the_same_problem_reported_twice_is_kept_once():
    collector.report("a.md", "bad date")
    collector.report("a.md", "bad date")
    collector.report("b.md", "bad date")
    assert collector.problems() == [Problem("a.md", "bad date"), Problem("b.md", "bad date")]


def test_reset_forgets_the_previous_builds_problems():
    collector.report("a.md", "bad date")
    collector.reset()
    assert collector.problems() == []


def test_problems_returns_a_copy_that_cannot_change_the_list():
    collector.report("a.md", "bad date")
    collector.problems().clear()
    assert len(collector.problems()) == 1


def test_report_records_without_printing_so_each_problem_is_shown_once(capsys):
    collector.report("a.md", "bad date")
    collector.report("a.md", "bad date")
    assert capsys.readouterr() == ("", "")
    collector.print_report(collector.problems())
    assert capsys.readouterr().err.splitlines() == [
        "ERROR a.md: bad date",
        "Build failed: 1 problem (listed above); nothing was published. Fix them and rebuild.",
    ]


def test_paths_inside_the_working_folder_are_shown_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    collector.report(tmp_path / "content" / "causes" / "x.md", "bad date")
    assert collector.problems()[0].path == os.path.join("content", "causes", "x.md")


def test_paths_outside_the_working_folder_stay_absolute(tmp_path, monkeypatch):
    inside = tmp_path / "project"
    inside.mkdir()
    monkeypatch.chdir(inside)
    outside = tmp_path / "elsewhere" / "x.md"
    collector.report(outside, "bad date")
    assert collector.problems()[0].path == str(outside)


def test_the_report_lists_every_problem_once_one_line_each_then_the_count():
    found = [Problem("a.md", "bad\ndate"), Problem("", "broken list"), Problem("b.md", "bad date")]
    assert collector.format_report(found).splitlines() == [
        "ERROR a.md: bad date",
        "ERROR broken list",
        "ERROR b.md: bad date",
        "Build failed: 3 problems (listed above); nothing was published. Fix them and rebuild.",
    ]
    failed = BuildFailed(found)
    assert failed.problems == found and failed.code == 1 and isinstance(failed, SystemExit)


def test_build_failed_says_problem_for_one():
    assert str(BuildFailed([Problem("a.md", "bad date")])).startswith("Build failed: 1 problem (")


