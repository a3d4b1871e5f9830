"""Bad comment input fails the build with every problem, each as
`path: what is wrong and how to fix it`; nothing broken is published."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from truffles_comments.settings import SettingsError

from tests.support.comment_sites import build_fixture, copy_fixture, shown, soup, write_comment
from tests.support.sitebuild import ROOT, require_site_builds

GOOD = "Author: Bea\nDate: 2026-05-03 10:00\n\nFine.\n"


@pytest.fixture
def site_dir(tmp_path):
    """A fresh copy of the `bad_base` fixture: one article, one page, one good comment."""
    return copy_fixture("bad_base", tmp_path / "content")


@pytest.fixture
def comments(site_dir):
    return site_dir / "comments"


def build(site_dir, **overrides):
    return build_fixture(site_dir, site_dir.parent / "out", **overrides)


def assert_fails_with(result, *expected):
    assert not result.ok, "the build must fail"
    assert result.problems == list(expected)


def test_the_base_fixture_builds_cleanly(site_dir):
    result = build(site_dir)
    assert result.ok, result.problems
    assert soup(result, "/base-guide/").select_one("#comment-ok1") is not None


def test_a_malformed_metadata_line(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\nDate 2026-05-03\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: line 2 ('Date 2026-05-03') is not a 'Key: value' metadata line; the metadata lines "
        "(Author, Date, optional Replyto and Website) come first, then one blank line, then the comment text",
        f"{shown(path)}: the Date metadata line is missing; add one at the top, e.g. 'Date: 2026-05-04 18:22'",
    )


def test_an_unknown_metadata_key(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\nDate: 2026-05-03\nEmail: al@example.org\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: line 3: unknown metadata key 'Email'; only Author, Date, Replyto and Website are "
        "allowed - remove the line or fix the spelling",
    )


def test_a_missing_author(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Date: 2026-05-03\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: the Author metadata line is missing; add one at the top, e.g. 'Author: Jane Doe'",
    )


def test_a_missing_date(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: the Date metadata line is missing; add one at the top, e.g. 'Date: 2026-05-04 18:22'",
    )


def test_a_date_that_does_not_parse(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\nDate: 31/02/2026\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: 'Date: 31/02/2026' is not an ISO date; write it as 'Date: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM')",
    )


def test_an_empty_body(site_dir, comments):
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\nDate: 2026-05-03\n\n   \n\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: the comment text is empty; write it below the metadata lines, after one blank line",
    )


def test_a_file_over_20_kb(site_dir, comments):
    text = "Author: Al\nDate: 2026-05-03\n\n" + "word " * 4100
    path = write_comment(comments / "base-guide", "bad.md", text)
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: the file is {len(text.encode()):,} bytes, more than the 20,000-byte limit; "
        "shorten the comment (or split it into two comments)",
    )


def test_a_file_that_is_not_utf8(site_dir, comments):
    path = comments / "base-guide" / "bad.md"
    path.write_bytes("Author: Zoë\nDate: 2026-05-03\n\nHi\n".encode("latin-1"))
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: is not UTF-8 text (byte 0xeb at position 10); save the file with UTF-8 encoding",
    )


def test_a_file_name_that_is_not_a_valid_id(site_dir, comments):
    path = write_comment(comments / "base-guide", "my comment.md", GOOD)
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: the file name 'my comment' is not a valid comment id: use only letters, digits, "
        "'-' and '_', start with a letter or digit, at most 80 characters (e.g. 20261124T181502Z-3f9a1c2b); rename the file",
    )


def test_a_replyto_naming_no_comment(site_dir, comments):
    path = write_comment(comments / "base-guide", "r1.md", "Author: Al\nDate: 2026-05-03\nReplyto: nope\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: Replyto: nope names no comment of this page (there is no nope.md next to this file); "
        "give the file name, without .md, of the comment it answers, or remove the Replyto line",
    )


def test_a_replyto_naming_a_comment_of_another_page(site_dir, comments):
    write_comment(comments / "base-page", "other.md", GOOD)
    path = write_comment(comments / "base-guide", "r1.md", "Author: Al\nDate: 2026-05-03\nReplyto: other\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: Replyto: other names no comment of this page (there is no other.md next to this file); "
        "give the file name, without .md, of the comment it answers, or remove the Replyto line",
    )


def test_a_reply_cycle(site_dir, comments):
    a = write_comment(comments / "base-guide", "a.md", "Author: A\nDate: 2026-05-03\nReplyto: b\n\nHi\n")
    b = write_comment(comments / "base-guide", "b.md", "Author: B\nDate: 2026-05-03\nReplyto: a\n\nHi\n")
    loop = "a -> b -> a"
    assert_fails_with(
        build(site_dir),
        f"{shown(a)}: Replyto makes a loop ({loop}); a reply must answer an earlier comment - fix or remove one of these Replyto lines",
        f"{shown(b)}: Replyto makes a loop ({loop}); a reply must answer an earlier comment - fix or remove one of these Replyto lines",
    )


def test_a_comment_replying_to_itself(site_dir, comments):
    path = write_comment(comments / "base-guide", "me.md", "Author: A\nDate: 2026-05-03\nReplyto: me\n\nHi\n")
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: Replyto: me names this comment itself; give the id of the comment it answers or remove the Replyto line",
    )


def test_a_slug_folder_that_matches_no_article_or_page(site_dir, comments):
    write_comment(comments / "no-such-page", "c1.md", GOOD)
    assert_fails_with(
        build(site_dir),
        f"{shown(comments / 'no-such-page')}: no article or page has the slug 'no-such-page'; rename the folder "
        "to the slug of the page these comments belong to (known slugs: base-guide, base-page) or remove it",
    )


def test_a_comment_file_outside_any_slug_folder(site_dir, comments):
    path = write_comment(comments, "stray.md", GOOD)
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: comment files belong in a folder named after the page's slug; move it to "
        "comments/<slug>/stray.md (known slugs: base-guide, base-page)",
    )


def test_a_file_that_is_not_markdown_in_a_slug_folder(site_dir, comments):
    path = write_comment(comments / "base-guide", "c2.txt", GOOD)
    assert_fails_with(
        build(site_dir),
        f"{shown(path)}: is not a comment file (comment files end in .md); rename it to <id>.md or remove it",
    )


def test_hidden_temporary_files_of_a_writer_in_progress_are_ignored(site_dir, comments):
    write_comment(comments / "base-guide", ".c2.abc123.tmp", "Author: half writ")
    assert build(site_dir).ok


def test_an_invalid_comments_mode_in_page_metadata(site_dir):
    page = site_dir / "pages" / "base-page.md"
    page.write_text(page.read_text().replace("Slug: base-page\n", "Slug: base-page\nComments: maybe\n"))
    assert_fails_with(
        build(site_dir),
        f"{shown(page)}: 'Comments: maybe' is not one of open, closed, hidden; write e.g. 'Comments: closed'",
    )


def test_an_invalid_cta_switch_in_page_metadata(site_dir):
    page = site_dir / "pages" / "base-page.md"
    page.write_text(page.read_text().replace("Slug: base-page\n", "Slug: base-page\nCta: sometimes\n"))
    assert_fails_with(
        build(site_dir),
        f"{shown(page)}: 'Cta: sometimes' is not understood; write 'Cta: off' to hide the call to action (or 'Cta: on')",
    )


def test_all_problems_of_all_files_are_reported_together(site_dir, comments):
    write_comment(comments / "base-guide", "b1.md", "Author: Al\n\nHi\n")
    write_comment(comments / "base-guide", "b2.md", "Date: 2026-05-03\n\n\n")
    write_comment(comments / "base-page", "b3.md", "Author: Al\nDate: 2026-05-03\nReplyto: x\n\nHi\n")
    write_comment(comments / "ghost", "b4.md", GOOD)
    result = build(site_dir)
    assert not result.ok
    assert [p.split(": ", 1)[0].rsplit(os.sep, 2)[-2:] for p in result.problems] == [
        ["base-guide", "b1.md"],
        ["base-guide", "b2.md"],
        ["base-guide", "b2.md"],
        ["base-page", "b3.md"],
        ["comments", "ghost"],
    ]


def test_a_broken_comment_and_its_replies_are_never_published_but_good_ones_are(site_dir, comments):
    write_comment(comments / "base-guide", "bad.md", "Author: Al\nDate: not a date\n\nBROKEN-TEXT\n")
    write_comment(comments / "base-guide", "child.md", "Author: Cy\nDate: 2026-05-04\nReplyto: bad\n\nORPHAN-TEXT\n")
    result = build(site_dir)
    assert not result.ok
    assert len(result.problems) == 1  # the child is not blamed for its parent's problem
    published = b"".join(p.read_bytes() for p in result.output.rglob("*") if p.is_file())
    assert b"BROKEN-TEXT" not in published and b"ORPHAN-TEXT" not in published
    assert b"A good comment that must stay." in published


def test_pelican_command_line_exits_1_and_prints_path_and_message(site_dir, comments):
    require_site_builds()
    path = write_comment(comments / "base-guide", "bad.md", "Author: Al\n\nHi\n")
    # A wide terminal, so that Pelican's log lines are not wrapped.
    env = {**os.environ, "COLUMNS": "500", "TERM": "dumb"}
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(site_dir), "-o", str(site_dir.parent / "cli-out"),
         "-s", str(ROOT / "pelicanconf.py"), "-e", f'CACHE_PATH="{site_dir.parent / "cli-cache"}"', "TEMPLATE_PAGES={}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    printed = run.stdout + run.stderr
    line = f"ERROR {shown(path)}: the Date metadata line is missing; add one at the top, e.g. 'Date: 2026-05-04 18:22'"
    assert printed.splitlines().count(line) == 1, printed


@pytest.mark.parametrize(
    "setting, value, message",
    [
        ("COMMENTS_DEFAULT", "sometimes", "setting COMMENTS_DEFAULT: 'sometimes' is not one of open, closed, hidden"),
        ("COMMENTS_FEEDS", "yes", "setting COMMENTS_FEEDS: expected True or False, got 'yes'"),
        ("COMMENTS_FEED_ATOM", "feeds/comments.xml", "setting COMMENTS_FEED_ATOM: 'feeds/comments.xml' must contain '{slug}' so every page gets its own feed"),
        ("COMMENTS_FEED_ALL_ATOM", "/etc/feed.xml",
         "setting COMMENTS_FEED_ALL_ATOM: '/etc/feed.xml' must be a path inside the output folder, e.g. 'feeds/comments.atom.xml'"),
        ("COMMENTS_MAX_DEPTH", 0, "setting COMMENTS_MAX_DEPTH: expected a whole number from 1 to 6, got 0"),
        ("COMMENTS_PATH", "", "setting COMMENTS_PATH: must not be empty"),
        ("CTA", {"headline": "x"}, "setting CTA: unknown key(s) 'headline'; allowed keys: enabled, heading, text, link_url, link_label, show_on"),
        ("CTA", {"link_url": "javascript:alert(1)"}, "setting CTA: 'link_url' must be an absolute http(s) address, got 'javascript:alert(1)'"),
    ],
)
def test_a_bad_setting_stops_the_build_with_an_error_naming_it(site_dir, setting, value, message):
    with pytest.raises(SettingsError) as caught:
        build(site_dir, **{setting: value})
    assert str(caught.value) == message


def test_without_site_assets_the_build_stops_naming_the_plugin_to_add(site_dir):
    with pytest.raises(SettingsError) as caught:
        build(site_dir, PLUGINS=["strict_build", "truffles_comments"])
    assert str(caught.value) == ("setting PLUGINS: truffles_comments needs site_assets, which bundles the comments' "
                                 "stylesheet and script; add 'site_assets' to PLUGINS")
