"""Hostile comment files at build time: each problem names its file, nothing
crashes, nothing is followed outside the repository, and every feed the build
writes is well-formed XML."""

from __future__ import annotations

import os
import signal
import xml.etree.ElementTree as ET

import pytest

from comment_core.text import FORBIDDEN
from tests.support.comment_sites import build_fixture, copy_fixture, shown, write_comment

GOOD = "Author: Bea\nDate: 2026-05-03 10:00\n\n{body}\n"


@pytest.fixture
def site_dir(tmp_path):
    return copy_fixture("bad_base", tmp_path / "content")


def build(site_dir):
    return build_fixture(site_dir, site_dir.parent / "out")


def _build_or_fail_after(site_dir, seconds):
    def blocked(*_):
        raise TimeoutError(f"the build was still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(seconds)
    try:
        return build(site_dir)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def feeds_are_well_formed(output):
    feeds = sorted(output.rglob("*.xml"))
    for feed in feeds:
        ET.parse(feed)  # raises on anything that is not well-formed
        assert not FORBIDDEN.search(feed.read_text(encoding="utf-8")), feed
    return feeds


def test_every_feed_of_the_hostile_fixture_site_is_well_formed(fixture_sites):
    result = fixture_sites.get("xss")
    feeds = feeds_are_well_formed(result.output)
    assert any(f.name == "comments.atom.xml" for f in feeds)


@pytest.mark.parametrize("body, author, date, expected", [
    ("Nonchar \ufffe here", "Bea", "2026-05-03 10:00", "U+FFFE"),
    ("Nonchar \U0010ffff here", "Bea", "2026-05-03 10:00", "U+10FFFF"),
    ("Escape \x1b[31m here", "Bea", "2026-05-03 10:00", "U+001B"),
    ("Vertical tab \x0b here", "Bea", "2026-05-03 10:00", "U+000B"),
    ("C1 \x85 here", "Bea", "2026-05-03 10:00", "U+0085"),
    ("Override \u202e here", "Bea", "2026-05-03 10:00", "U+202E"),
    ("Isolate \u2067 here", "Bea", "2026-05-03 10:00", "U+2067"),
    ("Fine.", "Be\ufffea", "2026-05-03 10:00", "Author"),
    ("Fine.", "\u200b\u200b", "2026-05-03 10:00", "Author"),
    ("Fine.", "Bea", "9999-12-31 23:59 -12:00", "out of range"),
    ("Fine.", "Bea", "0001-01-01 00:00 +14:00", "out of range"),
    ("[" * 4990, "Bea", "2026-05-03 10:00", "brackets"),
    ("---", "Bea", "2026-05-03 10:00", "no visible text"),
    ("[](http://x.y/)", "Bea", "2026-05-03 10:00", "no visible text"),
    ("\u200b \u2060", "Bea", "2026-05-03 10:00", "no visible text"),
], ids=["fffe", "10ffff", "esc", "vt", "c1", "rlo", "rli", "name-nonchar", "name-invisible",
        "date-max", "date-min", "brackets", "hr", "empty-link", "zero-width"])
def test_a_hostile_comment_fails_the_build_naming_its_file_and_feeds_stay_well_formed(site_dir, body, author, date, expected):
    path = write_comment(site_dir / "comments" / "base-guide", "bad.md", f"Author: {author}\nDate: {date}\n\n{body}\n")
    result = build(site_dir)
    assert not result.ok
    mine = [p for p in result.problems if p.startswith(f"{shown(path)}: ")]
    assert mine and any(expected in p for p in mine), result.problems
    assert all(p.startswith(f"{shown(path)}: ") for p in result.problems), result.problems
    feeds_are_well_formed(result.output)


def test_links_and_pipes_in_content_comments_are_problems_naming_them(site_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text(GOOD.format(body="From outside the repository."), encoding="utf-8")
    folder = site_dir / "comments" / "base-guide"
    (folder / "linked.md").symlink_to(outside / "x.md")
    os.mkfifo(folder / "pipe.md")
    (site_dir / "comments" / "base-page").symlink_to(outside, target_is_directory=True)
    result = _build_or_fail_after(site_dir, 120)  # opening a pipe for reading used to block forever
    assert not result.ok
    text = "\n".join(result.problems)
    assert f"{shown(folder / 'linked.md')}: is a symbolic link" in text
    assert f"{shown(folder / 'pipe.md')}: is not a regular file" in text
    assert f"{shown(site_dir / 'comments' / 'base-page')}: is a symbolic link" in text
    published = "".join(p.read_text(encoding="utf-8") for p in result.output.rglob("*.html"))
    assert "From outside the repository." not in published
