"""Per-build state: bodies rendered once and cached between builds, nothing
carried over from one build to the next in the same process (`make devserver`),
and nothing done when the plugin is not enabled."""

from __future__ import annotations

import json

from truffles_comments import plugin

from tests.support.comment_sites import build_fixture, copy_fixture, soup, write_comment


def stats():
    return dict(plugin._state.stats)


def test_a_warm_build_renders_no_body_and_gives_the_same_pages(tmp_path):
    cold = build_fixture("thread", tmp_path / "out")
    assert cold.ok, cold.problems
    assert stats() == {"files": 10, "cache_hits": 0, "rendered": 10, "feeds_from_cache": 0}
    first = cold.page("/thread-guide/").read_bytes()
    warm = build_fixture("thread", tmp_path / "out")
    assert warm.ok, warm.problems
    assert stats() == {"files": 10, "cache_hits": 10, "rendered": 0, "feeds_from_cache": 3}
    assert warm.page("/thread-guide/").read_bytes() == first
    cache = json.loads((tmp_path / "out-cache" / "truffles_comments" / "bodies.json").read_text())
    assert len(cache["bodies"]) == 10 and all(len(key) == 64 for key in cache["bodies"])


def test_changing_one_comment_renders_only_that_one(tmp_path):
    content = copy_fixture("thread", tmp_path / "content")
    assert build_fixture(content, tmp_path / "out").ok
    (content / "comments" / "thread-guide" / "c03.md").write_text(
        "Author: Carol Cook\nDate: 2026-05-02 12:00\nReplyto: c02\n\nAn *edited* reply.\n", encoding="utf-8"
    )
    result = build_fixture(content, tmp_path / "out")
    assert result.ok
    # Only the feeds that contain the edited comment are generated again.
    assert stats() == {"files": 10, "cache_hits": 9, "rendered": 1, "feeds_from_cache": 1}
    assert soup(result, "/thread-guide/").select_one("#comment-c03 .tc-body em").get_text() == "edited"


def test_identical_bodies_are_rendered_once_per_build(tmp_path):
    content = copy_fixture("bad_base", tmp_path / "content")
    for n in range(5):
        write_comment(content / "comments" / "base-guide", f"same{n}.md", f"Author: Echo {n}\nDate: 2026-05-0{n + 1}\n\nSame words.\n")
    result = build_fixture(content, tmp_path / "out")
    assert result.ok, result.problems
    assert stats()["rendered"] == 2  # the fixture's own comment + one for the five copies
    assert len(soup(result, "/base-guide/").select(".tc-body")) == 6


def test_a_tampered_cache_file_cannot_put_script_on_a_page(tmp_path):
    assert build_fixture("thread", tmp_path / "out").ok
    cache_file = tmp_path / "out-cache" / "truffles_comments" / "bodies.json"
    data = json.loads(cache_file.read_text())
    data["bodies"] = {key: '<p>poisoned<script>alert(1)</script><img src=x onerror=alert(2)></p>' for key in data["bodies"]}
    cache_file.write_text(json.dumps(data))
    result = build_fixture("thread", tmp_path / "out")
    assert result.ok
    body = soup(result, "/thread-guide/").select_one("#comment-c01 .tc-body")
    assert body.decode_contents().strip() == "<p>poisoned</p>"


def test_a_cache_from_another_renderer_version_is_ignored(tmp_path):
    assert build_fixture("thread", tmp_path / "out").ok
    cache_file = tmp_path / "out-cache" / "truffles_comments" / "bodies.json"
    data = json.loads(cache_file.read_text())
    cache_file.write_text(json.dumps({"version": "old", "bodies": data["bodies"]}))
    assert build_fixture("thread", tmp_path / "out").ok
    assert stats()["rendered"] == 10


def test_nothing_leaks_from_one_build_into_the_next(tmp_path):
    content = copy_fixture("bad_base", tmp_path / "broken")
    write_comment(content / "comments" / "base-guide", "bad.md", "Author: Al\n\nHi\n")
    assert not build_fixture(content, tmp_path / "out1").ok
    clean = build_fixture("thread", tmp_path / "out2")
    assert clean.ok, clean.problems  # the first build's problems are gone
    other = build_fixture("bad_base", tmp_path / "out3")
    assert other.ok, other.problems
    assert not (other.output / "feeds" / "comments" / "thread-guide.atom.xml").exists()
    index = json.loads((other.output / "comments-index.json").read_text())
    assert sorted(index["pages"]) == ["base-guide", "base-page"]
    assert "Alice Archer" not in other.page("/base-guide/").read_text()


def test_a_build_without_the_plugin_in_plugins_gets_nothing_from_it(tmp_path):
    assert build_fixture("thread", tmp_path / "with").ok  # the plugin's signals are now connected
    result = build_fixture("thread", tmp_path / "without", PLUGINS=["strict_build", "site_assets", "medical_pages"])
    assert result.ok, result.problems
    page = soup(result, "/thread-guide/")
    assert page.select_one("aside.tc-cta") is None and page.select_one("section.tc-comments") is None
    assert not (result.output / "feeds").exists()
    assert not (result.output / "comments-index.json").exists()
