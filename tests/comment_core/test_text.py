"""The one definition of the text a comment may contain, tested on whole
families of code points, through every layer that uses it."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from comment_core import text
from comment_core.comment_file import Comment, CommentFileError, format_comment, parse_comment, read_comment
from comment_core.form import CLINIC_NAME, CTA_LABEL
from comment_core.replies import check_comments

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF)
]
C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]  # CR is a line break
C1 = [chr(c) for c in range(0x7F, 0xA0)]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
FORBIDDEN = NONCHARACTERS + C0 + C1 + SURROGATES
INVISIBLE = ["\u00ad", "\u034f", "\u115f", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\u2061",
             "\u2064", "\u3164", "\ufe0f", "\ufeff", "\uffa0", "\U000e0001", "\U000e0041"]


def _file(body="Hello.", author="Jane Doe", date="2026-05-04 18:22"):
    return f"Author: {author}\nDate: {date}\n\n{body}\n"


@pytest.mark.parametrize("ch", FORBIDDEN + BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_every_forbidden_or_bidi_code_point_in_a_body_is_a_problem_naming_it(ch):
    with pytest.raises(CommentFileError) as info:
        parse_comment(_file(body=f"Before {ch} after."), comment_id="c1", slug="s", path="s/c1.md")
    assert f"U+{ord(ch):04X}" in str(info.value) and "s/c1.md" in str(info.value)


@pytest.mark.parametrize("ch", FORBIDDEN + BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_form_text_is_cleaned_of_every_forbidden_or_bidi_code_point(ch):
    assert text.clean_body(f"Before{ch}after") == "Beforeafter"
    assert text.forbidden_in_body(text.clean_body(f"a{ch}b")) == []


@pytest.mark.parametrize("ch", FORBIDDEN + BIDI + INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_an_invisible_or_control_character_is_refused_in_files_and_cleaned_from_forms(ch):
    with pytest.raises(CommentFileError, match="Author"):
        parse_comment(_file(author=f"Ja{ch}ne"), comment_id="c1", slug="s")
    assert text.clean_name(f"Ja{ch}ne") in ("Jane", "Ja ne")


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u2060", "\u3164", "...", "\U0001F600", "42"])
def test_a_name_needs_a_visible_letter(name):
    assert not text.has_letter(text.clean_name(name))
    with pytest.raises(CommentFileError):
        parse_comment(_file(author=name), comment_id="c1", slug="s")


def test_emoji_sequences_in_names_survive_cleaning():
    family = "Ann \U0001F468\u200d\U0001F469\u200d\U0001F467 \u2764\ufe0f"
    assert text.clean_name(family) == family
    assert text.name_problems(family) == []


@pytest.mark.parametrize("reserved", [CLINIC_NAME, CTA_LABEL])
@pytest.mark.parametrize("disguise", [
    lambda s: s,
    str.upper,
    lambda s: s.replace(" ", "  "),
    lambda s: s.replace(" ", "-"),
    lambda s: s.replace("e", "\u0435").replace("o", "\u043e").replace("a", "\u0430"),  # Cyrillic
    lambda s: s.replace("i", "\u0456"),
    lambda s: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s),  # full width
    lambda s: s[:3] + "\u200b" + s[3:],
    lambda s: s + ".",
], ids=["exact", "upper", "spaces", "hyphens", "cyrillic", "ukrainian-i", "fullwidth", "zero-width", "dot"])
def test_names_that_pass_for_the_clinic_or_the_call_to_action_are_detected(reserved, disguise):
    assert text.impersonates(disguise(reserved), [CLINIC_NAME, CTA_LABEL]) == reserved


@pytest.mark.parametrize("name", ["Jane Doe", "Truffles fan", "Vein Specialist", "Dr. Truffles"])
def test_ordinary_names_are_not_impersonation(name):
    assert text.impersonates(name, [CLINIC_NAME, CTA_LABEL]) is None


@pytest.mark.parametrize("date", [
    "9999-12-31 23:59 -12:00", "9999-12-31 23:59", "0001-01-01 00:00 +14:00", "0001-01-01", "1899-12-31",
])
def test_a_date_at_the_edge_of_the_calendar_is_a_problem_naming_the_file(date):
    with pytest.raises(CommentFileError, match="out of range") as info:
        parse_comment(_file(date=date), comment_id="c1", slug="s", path="s/c1.md")
    assert "s/c1.md" in str(info.value)


def test_format_comment_refuses_what_parse_comment_refuses():
    date = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=12)))
    for comment in (
        Comment("c1", "s", "Jane", date, "Hello."),
        Comment("c1", "s", "Jane", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "A\ufffeB"),
        Comment("c1", "s", "\u200b", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "Hello."),
    ):
        with pytest.raises(CommentFileError):
            format_comment(comment)


def test_a_link_or_a_pipe_is_never_read_as_a_comment(tmp_path):
    folder = tmp_path / "comments" / "page"
    folder.mkdir(parents=True)
    outside = tmp_path / "outside.md"
    outside.write_text(_file(), encoding="utf-8")
    (folder / "linked.md").symlink_to(outside)
    os.mkfifo(folder / "pipe.md")
    (tmp_path / "comments" / "other").symlink_to(folder, target_is_directory=True)
    for name in ("linked.md", "pipe.md"):
        with pytest.raises(CommentFileError, match="symbolic link|not a regular file"):
            read_comment(folder / name)
    result = check_comments(tmp_path / "comments", {"page", "other"})
    assert result.comments == {}
    named = {path.name for path, _ in result.problems}
    assert {"linked.md", "pipe.md", "other"} <= named


def test_printable_escapes_are_unambiguous_for_astral_characters():
    assert text.printable("\U000e0041") == "\\u{E0041}"
    assert text.printable("\u000e" + "0041") != text.printable("\U000e0041")
    assert text.printable("\\u{202E}") == "\\\\u{202E}"  # a typed escape cannot pass for a real one
