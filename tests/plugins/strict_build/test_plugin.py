"""strict_build's wiring: Pelican's own ERROR records become problems, its
"Could not process" message gains the exception that says what is wrong, our
own records are not counted twice, and a build that does not list the plugin
is not judged."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from strict_build import collector, plugin
from strict_build.collector import BuildFailed

from tests.support.sitebuild import build_site

LISTED = SimpleNamespace(settings={"PLUGINS": ["strict_build"], "PATH": "content"})
NOT_LISTED = SimpleNamespace(settings={"PLUGINS": ["site_assets"], "PATH": "content"})


@pytest.fixture
def build(tmp_path, monkeypatch):
    """A build in progress over an empty content folder: start_build ran; the
    handler is removed afterwards."""
    (tmp_path / "content").mkdir()
    (tmp_path / "output").mkdir()
    monkeypatch.chdir(tmp_path)
    plugin.start_build(LISTED)
    yield SimpleNamespace(settings=LISTED.settings, output_path=str(tmp_path / "output"))
    logging.getLogger().removeHandler(plugin._handler)
    collector.reset()


def pelican_could_not_process(path: str, error: Exception) -> None:
    """Log the way Pelican 4.12's generators do: inside the except block,
    exc_info only with DEBUG, so the record itself carries no exception."""
    try:
        raise error
    except Exception:
        logging.getLogger("pelican.generators").exception("Could not process %s", path, exc_info=False)


def test_could_not_process_becomes_a_problem_with_the_exception_text(build):
    pelican_could_not_process("causes/x.md", ValueError("time data '31/02/2026' does not match"))
    [problem] = collector.problems()
    assert problem.path == "content/causes/x.md"
    assert "(ValueError: time data '31/02/2026' does not match)" in problem.message
    assert "check the metadata lines at the top" in problem.message


def test_the_exception_on_the_record_wins_over_the_one_being_handled(build):
    error = KeyError("template")
    record = logging.LogRecord("pelican.generators", logging.ERROR, __file__, 1, "Could not process %s", ("a.md",), (KeyError, error, None))
    try:
        raise ValueError("an unrelated error being handled")
    except ValueError:
        plugin._handler.handle(record)
    assert "(KeyError: 'template')" in collector.problems()[0].message


def test_other_pelican_errors_are_collected_as_logged(build):
    logging.getLogger("pelican.writers").error("Skipping %s: file %r already written", "x.html", "out/x.html")
    assert [p.message for p in collector.problems()] == ["Skipping x.html: file 'out/x.html' already written"]


def test_a_multi_line_error_keeps_its_first_and_last_line(build):
    logging.getLogger("pelican").error("Template failed\nTraceback …\n  line 3\njinja2.UndefinedError: 'x' is undefined")
    assert [p.message for p in collector.problems()] == ["Template failed (jinja2.UndefinedError: 'x' is undefined)"]


def test_warnings_are_not_problems(build):
    logging.getLogger("pelican").warning("Empty alt attribute for image %s", "x.png")
    assert collector.problems() == []


def test_our_own_reports_are_not_counted_twice(build):
    collector.report("a.md", "bad date")
    logging.getLogger("strict_build.collector").error("something else of ours")
    assert collector.problems() == [collector.Problem("a.md", "bad date")]


def test_finish_build_fails_listing_the_problems_and_removes_the_handler(build):
    pelican_could_not_process("a.md", ValueError("bad date"))
    with pytest.raises(BuildFailed) as failed:
        plugin.finish_build(build)
    assert [str(p) for p in failed.value.problems] == [
        "content/a.md: Pelican could not read this file (ValueError: bad date); "
        "check the metadata lines at the top (e.g. `Date: 2026-05-04`)"
    ]
    assert plugin._handler not in logging.getLogger().handlers


def test_a_clean_build_finishes(build):
    plugin.finish_build(build)
    assert plugin._handler not in logging.getLogger().handlers


def test_a_new_build_starts_with_no_problems(build):
    collector.report("a.md", "bad date")
    plugin.start_build(LISTED)
    assert collector.problems() == []


def test_a_build_that_does_not_list_the_plugin_is_not_judged():
    plugin.start_build(NOT_LISTED)
    try:
        assert plugin._handler not in logging.getLogger().handlers
        logging.getLogger("pelican.generators").error("Could not process %s", "a.md")
        collector.report("a.md", "bad date")
        plugin.finish_build(NOT_LISTED)  # no BuildFailed
    finally:
        collector.reset()


def test_a_real_build_with_a_broken_date_fails_naming_file_and_error(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "broken.md").write_text("Title: Broken\nDate: 31/02/2026 maybe\n\nText.\n", encoding="utf-8")
    (content / "pages" / "fine.md").write_text("Title: Fine\n\nText.\n", encoding="utf-8")
    result = build_site(
        tmp_path / "out", content=content, PLUGINS=["strict_build"], THEME="simple",
        TEMPLATE_PAGES={}, PAGE_PATHS=["pages"], ARTICLE_PATHS=[],
    )
    assert not result.ok
    [problem] = result.problems
    assert "pages/broken.md" in problem and "'31/02/2026 maybe'" in problem
    assert result.page("/pages/fine/").is_file()
