"""site_tools.build: the output folder is replaced only by a build that passed."""

from __future__ import annotations

from site_tools.build import build_and_swap, scratch_for
from tests.support.sitebuild import FIXTURES, ROOT, require_site_builds

THREAD = FIXTURES / "comments" / "thread"
SIMPLE = ["-s", str(ROOT / "pelicanconf.py"), "-e", 'THEME="simple"', 'PLUGINS=["strict_build"]', "TEMPLATE_PAGES={}",
          'ARTICLE_PATHS=["guide"]', 'PAGE_PATHS=["pages"]']


def test_a_passing_build_replaces_the_output_and_leaves_no_scratch_folder(tmp_path):
    require_site_builds()
    output = tmp_path / "output"
    output.mkdir()
    (output / "old.html").write_text("the previous build", encoding="utf-8")
    run = build_and_swap(output, [str(THREAD), *SIMPLE], capture=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (output / "old.html").exists() and list(output.rglob("*.html"))
    assert not scratch_for(output).exists()


def test_a_failing_build_keeps_the_previous_output_and_removes_the_scratch_folder(tmp_path):
    require_site_builds()
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "broken.md").write_text("Title: Broken\nDate: 31/02/2026\n\nText.\n", encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the previous build", encoding="utf-8")
    run = build_and_swap(output, [str(content), *SIMPLE], capture=True, cwd=ROOT)
    assert run.returncode == 1
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the previous build"
    assert not scratch_for(output).exists()
