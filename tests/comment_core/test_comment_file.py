"""The comment file format (comment_core.comment_file): parsing, every
problem it reports, serialising, atomic writes and ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from comment_core import comment_file as cf
from comment_core.comment_file import (
    COMMENT_SUFFIX,
    ID_PATTERN,
    MAX_COMMENT_BYTES,
    Comment,
    CommentFileError,
    clean_metadata_value,
    format_comment,
    new_comment_id,
    parse_comment,
    parse_date,
    read_comment,
    write_comment_atomic,
)

UTC = dt.UTC
EXAMPLE = """Author: Jane Doe
Date: 2026-05-04 18:22
Replyto: 0001
Website: https://example.org

Markdown *body*…
"""


def parse(text, comment_id="0002", slug="guide", **kw):
    return parse_comment(text, comment_id=comment_id, slug=slug, **kw)


def problems_of(text, **kw) -> list[str]:
    with pytest.raises(CommentFileError) as caught:
        parse(text, **kw)
    return caught.value.problems


# --- reading ---------------------------------------------------------------------


def test_the_documented_example_parses_into_every_field():
    comment = parse(EXAMPLE)
    assert comment == Comment(
        id="0002",
        slug="guide",
        author="Jane Doe",
        date=dt.datetime(2026, 5, 4, 18, 22, tzinfo=UTC),
        body="Markdown *body*…",
        replyto="0001",
        website="https://example.org",
    )
    assert comment.date.utcoffset() == dt.timedelta(0)


def test_keys_are_case_insensitive_and_optional_fields_may_be_left_out():
    comment = parse("AUTHOR: Jo\ndate: 2026-05-04\n\nHi\n")
    assert (comment.author, comment.replyto, comment.website) == ("Jo", None, None)
    assert comment.date == dt.datetime(2026, 5, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-05-04 18:22", dt.datetime(2026, 5, 4, 18, 22, tzinfo=UTC)),
        ("2026-05-04 18:22:07", dt.datetime(2026, 5, 4, 18, 22, 7, tzinfo=UTC)),
        ("2026-05-04T18:22:07Z", dt.datetime(2026, 5, 4, 18, 22, 7, tzinfo=UTC)),
        ("2026-05-04 18:22+02:00", dt.datetime(2026, 5, 4, 16, 22, tzinfo=UTC)),
        ("2026-05-04 18:22:00 -0130", dt.datetime(2026, 5, 4, 19, 52, tzinfo=UTC)),
        ("2026-05-04 18:22:00.250000+00:00", dt.datetime(2026, 5, 4, 18, 22, 0, 250000, tzinfo=UTC)),
    ],
)
def test_iso_dates_are_read_as_aware_datetimes(value, expected):
    parsed = parse_date(value)
    assert parsed == expected and parsed.utcoffset() is not None


def test_a_date_without_offset_is_in_the_given_site_time_zone():
    comment = parse("Author: A\nDate: 2026-07-01 12:00\n\nx\n", timezone="Europe/London")
    assert comment.date == dt.datetime(2026, 7, 1, 11, 0, tzinfo=UTC)  # BST is UTC+1


@pytest.mark.parametrize("value", ["soon", "2026-13-01 10:00", "2026-02-30", "May 2026", "2026-05-04 25:00",
                                   "2026-05-04 10:00 +2500", "4 May 2026 18:22", "2026-5-4"])
def test_incomplete_impossible_or_non_iso_dates_are_refused(value):
    with pytest.raises(ValueError, match="Date: "):
        parse_date(value)


def test_a_day_month_date_in_a_comment_fails_with_the_words_a_page_header_gets():
    """One date rule (comment_core.dates): 05/11/2026 is never read silently as 11 May."""
    from comment_core.dates import iso_date_problem

    with pytest.raises(CommentFileError) as raised:
        parse("Author: A\nDate: 05/11/2026\n\nx\n")
    message = iso_date_problem("date", "05/11/2026")
    assert message in str(raised.value)
    assert "'Date: 2026-11-05' for 5 November or 'Date: 2026-05-11' for 11 May" in message


def test_every_problem_of_a_file_is_listed_at_once():
    text = "Author: Jo\nEmail: jo@example.org\nDate: next tuesday\nJust text without a blank line\n"
    problems = problems_of(text, comment_id="bad id")
    assert problems == [
        "the file name 'bad id' is not a valid comment id: use only letters, digits, '-' and '_', "
        "start with a letter or digit, at most 80 characters (e.g. 20261124T181502Z-3f9a1c2b); rename the file",
        "line 2: unknown metadata key 'Email'; only Author, Date, Replyto and Website are allowed - "
        "remove the line or fix the spelling",
        "line 4 ('Just text without a blank line') is not a 'Key: value' metadata line; the metadata "
        "lines (Author, Date, optional Replyto and Website) come first, then one blank line, then the comment text",
        "'Date: next tuesday' is not an ISO date; write it as 'Date: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM'), e.g. 'Date: 2026-11-24'",
        "the comment text is empty; write it below the metadata lines, after one blank line",
    ]


def test_missing_author_and_date_are_both_reported():
    assert problems_of("Website: https://example.org\n\nHello\n") == [
        "the Author metadata line is missing; add one at the top, e.g. 'Author: Jane Doe'",
        "the Date metadata line is missing; add one at the top, e.g. 'Date: 2026-05-04 18:22'",
    ]


def test_an_empty_author_is_reported_as_empty():
    assert problems_of("Author:\nDate: 2026-05-04\n\nHello\n") == [
        "the Author metadata line is empty; add one at the top, e.g. 'Author: Jane Doe'"
    ]


def test_a_key_given_twice_is_reported():
    assert problems_of("Author: A\nAuthor: B\nDate: 2026-05-04\n\nx\n") == [
        "line 2: Author is given twice; keep only one Author line"
    ]


def test_a_control_character_in_a_metadata_value_is_reported():
    problems = problems_of("Author: Eve\rReplyto: 1\nDate: 2026-05-04\n\nx\n")
    assert problems == [
        "line 1: the Author value contains a control or invisible character (tab, carriage return, "
        "escape, bidi mark...); remove it"
    ]


def test_a_bad_replyto_id_is_reported():
    assert problems_of("Author: A\nDate: 2026-05-04\nReplyto: ../x\n\nx\n") == [
        "Replyto '../x' is not a comment id; give the file name (without .md) of the comment this one "
        "answers, or remove the Replyto line"
    ]


def test_a_file_over_the_size_limit_is_reported_with_its_size():
    text = "Author: A\nDate: 2026-05-04\n\n" + "x" * MAX_COMMENT_BYTES
    size = len(text.encode())
    assert problems_of(text) == [
        f"the file is {size:,} bytes, more than the 20,000-byte limit; shorten the comment "
        "(or split it into two comments)"
    ]


def test_a_file_of_exactly_the_limit_is_accepted():
    head = "Author: A\nDate: 2026-05-04\n\n"
    text = head + "x" * (MAX_COMMENT_BYTES - len(head))
    assert len(text.encode()) == MAX_COMMENT_BYTES
    assert parse(text).body == "x" * (MAX_COMMENT_BYTES - len(head))


def test_read_comment_takes_id_from_the_file_name_and_slug_from_the_folder(tmp_path):
    path = tmp_path / "iron-deficiency" / f"20261124T181502Z-3f9a1c2b{COMMENT_SUFFIX}"
    path.parent.mkdir()
    path.write_text(EXAMPLE, encoding="utf-8")
    comment = read_comment(path)
    assert (comment.id, comment.slug, comment.path) == ("20261124T181502Z-3f9a1c2b", "iron-deficiency", path)


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "guide" / "c1.md"
    path.parent.mkdir()
    path.write_bytes(b"Author: Ren\xe9\nDate: 2026-05-04\n\nx\n")
    with pytest.raises(CommentFileError) as caught:
        read_comment(path)
    assert caught.value.path == path
    assert caught.value.problems == [
        "is not UTF-8 text (byte 0xe9 at position 11); save the file with UTF-8 encoding"
    ]
    assert str(caught.value) == f"{path}: is not UTF-8 text (byte 0xe9 at position 11); save the file with UTF-8 encoding"


def test_a_byte_order_mark_and_windows_line_ends_are_accepted():
    comment = parse("\ufeffAuthor: A\r\nDate: 2026-05-04\r\n\r\nLine one\r\nLine two\r\n")
    assert comment.author == "A" and comment.body == "Line one\nLine two"


# --- writing ---------------------------------------------------------------------


ROUND_TRIP = [
    Comment("a1", "guide", "Jane Doe", dt.datetime(2026, 5, 4, 18, 22, tzinfo=UTC), "Hello"),
    Comment(
        "20261124T181502Z-3f9a1c2b", "iron-deficiency", "Zoë O'Brien-Łukasz 👩‍⚕️",
        dt.datetime(2026, 11, 24, 18, 15, 2, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        "Two paragraphs.\n\n    indented code\n\n> quote: with colon\nAuthor: not metadata",
        replyto="a1", website="https://example.org/~jane?x=1&y=2",
    ),
    Comment("b_2", "guide", "A", dt.datetime(2026, 1, 1, 0, 0, 59, tzinfo=UTC), "x", website="mailto:a@b.c"),
]


@pytest.mark.parametrize("comment", ROUND_TRIP, ids=lambda c: c.id)
def test_format_then_parse_gives_the_same_comment(comment):
    text = format_comment(comment)
    assert parse_comment(text, comment_id=comment.id, slug=comment.slug) == comment
    # And the text itself is stable.
    assert format_comment(parse_comment(text, comment_id=comment.id, slug=comment.slug)) == text


def test_format_writes_the_documented_layout():
    comment = Comment("0002", "guide", "Jane Doe", dt.datetime(2026, 5, 4, 18, 22, tzinfo=UTC), "Body", "0001", "https://example.org")
    assert format_comment(comment) == (
        "Author: Jane Doe\nDate: 2026-05-04 18:22+00:00\nReplyto: 0001\nWebsite: https://example.org\n\nBody\n"
    )


@pytest.mark.parametrize(
    "author",
    ["Eve\nReplyto: 0001", "Eve\r\nReplyto: 0001", "Eve\u2028Replyto: 0001", "Eve\x85Replyto: 0001", "Eve\x00", "Eve\u202e"],
)
def test_no_metadata_line_can_be_smuggled_in_through_the_author_name(author):
    comment = Comment("x1", "guide", author, dt.datetime(2026, 5, 4, tzinfo=UTC), "Hi")
    with pytest.raises(CommentFileError) as caught:
        format_comment(comment)
    assert caught.value.problems == [
        "Author contains a line break or control character; clean it with clean_metadata_value() first"
    ]


def test_clean_metadata_value_turns_line_breaks_and_controls_into_single_spaces():
    assert clean_metadata_value("  Eve\r\nReplyto:\u2028 0001\t\x1b[31m  ") == "Eve Replyto: 0001 [31m"
    cleaned = Comment("x1", "guide", clean_metadata_value("Eve\nReplyto: 0001"), dt.datetime(2026, 5, 4, tzinfo=UTC), "Hi")
    assert parse_comment(format_comment(cleaned), comment_id="x1", slug="guide").replyto is None


def test_format_refuses_a_naive_date_then_reports_what_parse_refuses():
    with pytest.raises(CommentFileError) as caught:
        format_comment(Comment("x1", "guide", "A", dt.datetime(2026, 5, 4), "Hi"))
    assert caught.value.problems == ["Date must be a timezone-aware datetime"]
    with pytest.raises(CommentFileError) as caught:
        format_comment(Comment("not ok", "guide", " A", dt.datetime(2026, 5, 4, tzinfo=UTC), "  \n "))
    assert caught.value.problems == [
        "the file name 'not ok' is not a valid comment id: use only letters, digits, '-' and '_', start with a "
        "letter or digit, at most 80 characters (e.g. 20261124T181502Z-3f9a1c2b); rename the file",
        "the comment text is empty; write it below the metadata lines, after one blank line",
    ]
    with pytest.raises(CommentFileError, match="would not read back as itself"):
        format_comment(Comment("x1", "guide", " Jane", dt.datetime(2026, 5, 4, tzinfo=UTC), "Hi"))


def test_write_comment_atomic_writes_the_file_and_nothing_else(tmp_path):
    comment = ROUND_TRIP[1]
    path = write_comment_atomic(tmp_path / "iron-deficiency", comment)
    assert path == tmp_path / "iron-deficiency" / f"{comment.id}.md"
    assert os.listdir(path.parent) == [path.name]  # no temporary file left behind
    assert read_comment(path) == comment


def test_write_comment_atomic_never_overwrites_an_existing_comment(tmp_path):
    first = ROUND_TRIP[0]
    path = write_comment_atomic(tmp_path, first)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        write_comment_atomic(tmp_path, Comment(first.id, first.slug, "Someone else", first.date, "Other text"))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]


def test_a_failed_write_leaves_no_file_under_the_final_name(tmp_path, monkeypatch):
    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cf.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_comment_atomic(tmp_path, ROUND_TRIP[0])
    assert os.listdir(tmp_path) == []


def test_a_failed_directory_fsync_is_raised_so_the_comment_is_never_acknowledged(tmp_path, monkeypatch):
    real_fsync = cf.os.fsync

    def fsync_files_only(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(cf.os, "fsync", fsync_files_only)
    with pytest.raises(OSError, match="Input/output error"):
        write_comment_atomic(tmp_path / "guide", ROUND_TRIP[0])


def test_a_new_slug_folder_is_made_durable_in_its_parent_too(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(cf, "fsync_directory", lambda folder, strict: synced.append((Path(folder), strict)))
    write_comment_atomic(tmp_path / "queue" / "new-page", ROUND_TRIP[0])
    write_comment_atomic(tmp_path / "queue" / "new-page", ROUND_TRIP[1])
    queue = tmp_path / "queue"
    assert synced == [(queue / "new-page", True), (queue, True), (queue / "new-page", True)]


def test_concurrent_writers_get_their_own_complete_files(tmp_path):
    comments = [dataclasses.replace(ROUND_TRIP[0], id=f"20260504T182200Z-{n:08x}", author=f"Reader {n}") for n in range(60)]
    with ThreadPoolExecutor(16) as pool:
        paths = list(pool.map(lambda c: write_comment_atomic(tmp_path / "guide", c), comments))
    for comment, path in zip(comments, paths, strict=True):
        assert path.read_text(encoding="utf-8") == format_comment(comment)
    assert sorted(p.name for p in (tmp_path / "guide").iterdir()) == sorted(p.name for p in paths), "no temp file left"


def test_the_temporary_file_name_matches_the_pattern_the_cleanup_uses(tmp_path, monkeypatch):
    seen = []
    real_link = cf.os.link

    def spy(src, dst, *args, **kwargs):
        seen.append(Path(src).name)
        return real_link(src, dst, *args, **kwargs)

    monkeypatch.setattr(cf.os, "link", spy)
    long_id = "A" + "b-_" * 26  # 79 characters
    for comment in (ROUND_TRIP[0], Comment(long_id, "s", "Jane", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "x")):
        write_comment_atomic(tmp_path / "slug", comment)
    assert len(seen) == 2 and all(cf.TEMP_FILE_PATTERN.fullmatch(name) for name in seen), seen
    assert not cf.TEMP_FILE_PATTERN.fullmatch(f"{ROUND_TRIP[0].id}.md")


def test_remove_stale_temp_files_keeps_young_ones_and_comments(tmp_path):
    folder = tmp_path / "queue" / "slug"
    folder.mkdir(parents=True)
    old_tmp, young_tmp = folder / ".c1.abcd_123.tmp", folder / ".c2.zz9.tmp"
    comment, other = folder / "c1.md", folder / ".keep.tmp.bak"
    for path in (old_tmp, young_tmp, comment, other):
        path.write_text("x")
    for path in (old_tmp, comment, other):
        os.utime(path, (1, 1))
    assert cf.remove_stale_temp_files(tmp_path / "queue", older_than=60) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted([young_tmp.name, comment.name, other.name])
    assert cf.remove_stale_temp_files(tmp_path / "queue", older_than=0) == 1
    assert cf.remove_stale_temp_files(tmp_path / "missing") == 0


def test_concurrent_writers_of_one_id_produce_exactly_one_file(tmp_path):
    base = ROUND_TRIP[0]
    outcomes, barrier = [], threading.Barrier(8)

    def writer(n):
        barrier.wait()
        try:
            write_comment_atomic(tmp_path, Comment(base.id, base.slug, f"Writer {n}", base.date, f"Text {n}"))
            outcomes.append("written")
        except FileExistsError:
            outcomes.append("exists")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["exists"] * 7 + ["written"]
    assert os.listdir(tmp_path) == [f"{base.id}.md"]
    assert read_comment(tmp_path / f"{base.id}.md").body.startswith("Text ")


# --- ids -------------------------------------------------------------------------


def test_new_ids_match_the_pattern_and_start_with_the_utc_time():
    now = dt.datetime(2026, 11, 24, 19, 15, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    comment_id = new_comment_id(now)
    assert re.fullmatch(r"20261124T181502Z-[0-9a-f]{8}", comment_id)
    assert ID_PATTERN.fullmatch(comment_id)


def test_new_ids_sort_by_time():
    earlier = new_comment_id(dt.datetime(2026, 1, 1, 23, 59, 59, tzinfo=UTC))
    later = new_comment_id(dt.datetime(2026, 1, 2, 0, 0, 0, tzinfo=UTC))
    assert earlier < later


def test_new_ids_are_unique_across_threads_in_the_same_second():
    now = dt.datetime(2026, 5, 4, 18, 22, tzinfo=UTC)
    found: list[str] = []
    lock = threading.Lock()

    def make():
        ids = [new_comment_id(now) for _ in range(2000)]
        with lock:
            found.extend(ids)

    threads = [threading.Thread(target=make) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == len(set(found)) == 10_000


def test_new_comment_id_refuses_a_naive_time():
    with pytest.raises(ValueError):
        new_comment_id(dt.datetime(2026, 5, 4))


@pytest.mark.parametrize("bad", ["", "-a", "a b", "a.b", "../a", "a/b", "é", "x" * 81, "a#b"])
def test_ids_that_are_not_safe_file_names_or_fragments_are_invalid(bad):
    assert not ID_PATTERN.fullmatch(bad)
