"""Catch metadata lines that Pelican would silently turn into body text.

Python-Markdown's metadata block ends at the first line that is not `Key: value`
(or an indented continuation). A typo such as `Reviewed 2026-11-24` therefore
ends the block early and the rest of the header is published as text. We read
the header ourselves and report the line.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from comment_core.dates import iso_date_problem

from .editor_notes import admonition_problems

DATE_KEYS = ("date", "modified", "reviewed")

_KEY_LINE = re.compile(r"^[A-Za-z0-9_-]+:(\s|$)")
_CONTINUATION = re.compile(r"^( {4,}|\t)")
# A line that looks like it was meant as metadata: a known-looking key with a
# missing colon, or "Key = value".
_LOOKS_LIKE_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*(=|\s)\s*\S")
# Every metadata key a page of this site may use (documented in the plugin's
# README); a site adds its own with MEDICAL_METADATA_KEYS. An unknown key is an
# error, because Pelican would keep a misspelt `Nav_tilte:` without a word.
KNOWN_KEYS = frozenset({
    # Pelican's own
    "title", "slug", "date", "modified", "author", "authors", "summary", "save_as", "url",
    "template", "status", "lang", "translation", "category", "tags", "keywords",
    # medical_pages
    "reviewed", "next_review", "nav_title", "cause_order", "guide_section",
    # truffles_comments
    "comments", "cta", "cta_heading", "cta_text",
})


def file_header_problems(path, known_keys=KNOWN_KEYS) -> list[str]:
    """Header and note problems of a Markdown source (see strict_build)."""
    path = Path(path)
    if path.suffix not in (".md", ".markdown") or not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    return header_problems(text, known_keys) + admonition_problems(text)


def _unknown_key_problem(key: str, known_keys) -> str:
    close = difflib.get_close_matches(key.lower(), sorted(known_keys), n=1)
    hint = f"did you mean '{close[0].capitalize()}:'? " if close else ""
    return (
        f"unknown metadata key '{key}:'; {hint}(a new key must be added to "
        "MEDICAL_METADATA_KEYS in pelicanconf.py)"
    )


def header_problems(text: str, known_keys=KNOWN_KEYS) -> list[str]:
    """Problems in the metadata block at the top of a Markdown source."""
    lines = text.lstrip("\ufeff").splitlines()
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break  # end of the header block
        if _KEY_LINE.match(line):
            key, _, value = line.partition(":")
            if key.strip().lower() not in known_keys:
                problems.append(f"line {number}: {_unknown_key_problem(key.strip(), known_keys)}")
                continue
            date_problem = iso_date_problem(key, value) if key.strip().lower() in DATE_KEYS else None
            if date_problem:
                problems.append(f"line {number}: {date_problem}")
            continue
        if number > 1 and _CONTINUATION.match(line):
            continue
        match = _LOOKS_LIKE_KEY.match(line)
        if number == 1 and not match:
            return []  # no metadata block at all: Pelican takes the body as is
        if match and match.group("key").lower() in known_keys:
            problems.append(
                f"line {number}: metadata line {line.strip()!r} has no colon; "
                f"write it as '{match.group('key')}: …'"
            )
        else:
            problems.append(
                f"line {number}: {line.strip()[:60]!r} is inside the metadata block but is not "
                "a 'Key: value' line; put a blank line between the metadata and the text"
            )
        break  # Pelican stops reading metadata here, so later lines are body text
    return problems
