"""site_tools/incremental.py: warm rebuilds for `make devserver`.

After every edit of a seeded random sequence, the folder the warm builder
serves must equal, byte for byte and file for file, a clean full build of the
same sources (tests.support.sitebuild.build_site in another folder).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from comment_core.comment_file import Comment, format_comment
from site_tools.incremental import WarmBuilder
from tests.support.sitebuild import CAUSES, ROOT, build_site

# A word between spaces: never part of a link target, a citation or a heading id.
WORD = re.compile(r"(?<= )[a-z]{5,}(?= )")
# The files one changed word in one cause page's text may change, and no others.
ONE_CAUSE_TEXT_EDIT = {"causes/{slug}/index.html"}


class Site:
    """A copy of the real content and theme, built warm into ``served``."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.content = tmp_path / "content"
        self.theme = tmp_path / "theme"
        shutil.copytree(ROOT / "content", self.content, ignore=shutil.ignore_patterns("comments"))
        shutil.copytree(ROOT / "theme", self.theme)
        self.served = tmp_path / "served"
        self.builder = WarmBuilder(
            [str(self.content), "-o", str(tmp_path / "served.partial"), "-s", "pelicanconf.py",
             "-e", f"THEME={json.dumps(str(self.theme))}"],
            self.served,
        )
        self.clean_builds = 0

    def clean_build(self) -> dict[str, bytes]:
        self.clean_builds += 1
        clean = self.tmp / f"clean-{self.clean_builds}"
        result = build_site(clean, content=self.content, THEME=str(self.theme))
        assert result.ok, result.problems
        return files_of(clean)

    def assert_served_equals_a_clean_build(self) -> None:
        served, clean = files_of(self.served), self.clean_build()
        assert sorted(served) == sorted(clean), "extra or missing files"
        assert [name for name in clean if served[name] != clean[name]] == []


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def change_a_word(path: Path, rng: random.Random) -> str:
    """Replace one word of the body (after the metadata lines); returns the new word."""
    head, sep, body = path.read_text(encoding="utf-8").partition("\n\n")
    match = rng.choice(list(WORD.finditer(body)))
    new = match.group(0)[::-1]
    path.write_text(head + sep + body[: match.start()] + new + body[match.end():], encoding="utf-8")
    return new


def set_metadata(path: Path, key: str, value: str | None) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
    if value is None:
        del lines[index]
    else:
        lines[index] = f"{key}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    with site.builder:
        first = site.builder.build()
        assert first.ok and first.full, first.printed
        yield site


def test_random_edits_leave_the_served_folder_equal_to_a_clean_full_build(site):
    rng = random.Random(20261202)
    causes = site.content / "causes"
    new_cause = causes / "restless-nights.md"
    slug, _section = rng.choice(CAUSES)

    def edit_cause_text():
        change_a_word(causes / f"{rng.choice(CAUSES)[0]}.md", rng)

    def edit_cause_title():
        page = causes / f"{rng.choice(CAUSES)[0]}.md"
        set_metadata(page, "Title", f"Edited title number {rng.randrange(1000)}")

    def add_cause():
        shutil.copy(causes / f"{slug}.md", new_cause)
        set_metadata(new_cause, "Title", "Restless nights")
        set_metadata(new_cause, "Nav_title", "Restless nights")
        set_metadata(new_cause, "Cause_order", "9")
        set_metadata(new_cause, "Guide_section", None)

    def delete_cause():
        new_cause.unlink()

    def edit_guide():
        change_a_word(site.content / "guide" / "restless-legs-syndrome.md", rng)

    def edit_references():
        references = site.content / "data" / "references.yaml"
        text = references.read_text(encoding="utf-8")
        references.write_text(text.replace("Winkelman JW", "Winkelman J. W.", 1), encoding="utf-8")

    def edit_template():
        base = site.theme / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Edited.</p></footer>", 1), encoding="utf-8")

    steps = [edit_cause_text, edit_cause_title, add_cause, edit_cause_text, delete_cause, edit_guide]
    steps += [rng.choice([edit_cause_text, edit_cause_title, edit_guide]) for _ in range(3)]
    steps += [edit_references, edit_template]
    for step in steps:
        step()
        outcome = site.builder.build()
        assert outcome.ok and not outcome.full, (step.__name__, outcome.printed)
        site.assert_served_equals_a_clean_build()
        if step is delete_cause:
            assert "causes/restless-nights/index.html" in outcome.removed


def test_one_changed_word_in_a_cause_page_writes_only_that_page(site):
    page = site.content / "causes" / "iron-deficiency.md"
    change_a_word(page, random.Random(7))
    outcome = site.builder.build()
    assert outcome.ok and not outcome.full
    assert set(outcome.written) == {name.format(slug="iron-deficiency") for name in ONE_CAUSE_TEXT_EDIT}
    assert outcome.removed == []
    site.assert_served_equals_a_clean_build()


def test_a_new_title_rewrites_the_page_and_the_comments_index(site):
    set_metadata(site.content / "causes" / "pregnancy.md", "Title", "Pregnancy and restless legs")
    outcome = site.builder.build()
    assert outcome.ok
    # Neighbours and the hub name a cause by its Nav_title; the receiver's index by its title.
    assert outcome.written == ["causes/pregnancy/index.html", "comments-index.json"]
    site.assert_served_equals_a_clean_build()


def test_a_new_navigation_title_rewrites_the_page_its_neighbours_and_the_hub(site):
    set_metadata(site.content / "causes" / "pregnancy.md", "Nav_title", "Pregnancy")
    outcome = site.builder.build()
    assert outcome.ok
    # Pregnancy is cause 5: causes 4 and 6 link to it as their next and previous page.
    assert outcome.written == [
        "causes/index.html", "causes/kidney-disease/index.html", "causes/pregnancy/index.html",
        "causes/vascular/index.html",
    ]
    site.assert_served_equals_a_clean_build()


def test_a_failed_build_leaves_the_served_folder_alone_and_the_next_one_repairs_it(site):
    page = site.content / "causes" / "pregnancy.md"
    good = page.read_text(encoding="utf-8")
    before = files_of(site.served)
    set_metadata(page, "Date", "05/11/2026")
    failed = site.builder.build()
    assert not failed.ok
    assert "content/causes/pregnancy.md: line 6: 'Date: 05/11/2026' is not an ISO date" in failed.printed
    assert files_of(site.served) == before
    assert not (site.tmp / "served.partial").exists()

    page.write_text(good, encoding="utf-8")
    change_a_word(page, random.Random(3))
    repaired = site.builder.build()
    assert repaired.ok and not repaired.full, repaired.printed
    site.assert_served_equals_a_clean_build()


def test_restart_is_a_full_build_in_a_fresh_process_with_an_empty_cache(site):
    change_a_word(site.content / "causes" / "dopamine.md", random.Random(5))
    outcome = site.builder.restart()
    assert outcome.ok and outcome.full
    assert outcome.written == ["causes/dopamine/index.html"]
    site.assert_served_equals_a_clean_build()


def test_a_worker_that_died_between_builds_is_replaced_by_a_full_build(site):
    site.builder._worker.kill()
    site.builder._worker.wait()
    change_a_word(site.content / "causes" / "vascular.md", random.Random(11))
    outcome = site.builder.build()
    assert outcome.ok and outcome.full, outcome.printed
    assert outcome.written == ["causes/vascular/index.html"]
    site.assert_served_equals_a_clean_build()


@pytest.fixture
def site_with_form(tmp_path, monkeypatch):
    # Read by pelicanconf.py in the worker and in the clean builds alike.
    monkeypatch.setenv("COMMENTS_ENDPOINT", "http://127.0.0.1:8001/comments")
    site = Site(tmp_path)
    with site.builder:
        assert site.builder.build().ok
        yield site


def test_a_deleted_comment_takes_its_reply_page_with_it(site_with_form):
    site = site_with_form
    folder = site.content / "comments" / "pregnancy"
    folder.mkdir(parents=True)
    comment = Comment(id="c1", slug="pregnancy", author="A reader", body="Thank you, this helped.",
                      date=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))
    (folder / "c1.md").write_text(format_comment(comment), encoding="utf-8")
    added = site.builder.build()
    assert added.ok, added.printed
    assert "causes/pregnancy/index.html" in added.written and "comments-index.json" in added.written
    reply_pages = [name for name in added.written if name.startswith("causes/pregnancy/") and "c1" in name]
    assert reply_pages  # written by the comments plugin itself, not through Pelican's writer
    site.assert_served_equals_a_clean_build()

    (folder / "c1.md").unlink()
    deleted = site.builder.build()
    assert deleted.ok
    assert set(reply_pages) <= set(deleted.removed)
    site.assert_served_equals_a_clean_build()
