"""Editor's notes: an accessible callout right after a passage that current
evidence corrects, written in Markdown as an admonition:

    !!! editor-note "Editor's note, 24 November 2026"
        Current guidelines … [@1].

Python-Markdown renders a <div class="admonition">; we turn it into an
<aside role="note"> with a real heading (one level below the section it sits
in), so screen reader users can find the notes by heading and nobody has to
rely on colour to spot them. role="note" rather than a complementary landmark:
several notes share a title, and landmarks must be uniquely named.
"""

from __future__ import annotations

import re

_NOTE = re.compile(
    r'<div class="admonition editor-note">\s*<p class="admonition-title">(?P<title>.*?)</p>(?P<body>.*?)</div>',
    re.S,
)
_HEADING = re.compile(r"<h([1-6])[\s>]")


def render_editor_notes(content: str, base_level: int = 1) -> str:
    """Rewrite every editor-note admonition in ``content``."""
    pieces = []
    position = 0
    for number, match in enumerate(_NOTE.finditer(content), start=1):
        before = content[position:match.start()]
        pieces.append(before)
        levels = _HEADING.findall(content, 0, match.start())
        level = min(int(levels[-1]) + 1 if levels else base_level + 1, 6)
        note_id = f"editor-note-{number}"
        pieces.append(
            f'<aside class="callout callout--editor" role="note" aria-labelledby="{note_id}">'
            f'<h{level} class="callout__title" id="{note_id}">{match.group("title")}</h{level}>'
            f'{match.group("body").strip()}</aside>'
        )
        position = match.end()
    pieces.append(content[position:])
    return "".join(pieces)


# Python-Markdown's own pattern for an admonition's first line
# (markdown.extensions.admonition.AdmonitionProcessor.RE), anchored to one line.
_ADMONITION_LINE = re.compile(r'^!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *$')
_INDENTED = re.compile(r"^( {4,}|\t)\S")
_FENCE = re.compile(r"^\s*(```|~~~)")


def admonition_problems(text: str) -> list[str]:
    """Admonitions (editor's notes included) that Markdown would render wrongly
    without a word: a `!!!` line it does not recognise is printed as text, and a
    body that is not indented leaves an empty box with the text after it."""
    lines = text.splitlines()
    problems = []
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not line.startswith("!!!"):
            continue
        number = index + 1
        if not _ADMONITION_LINE.match(line):
            problems.append(
                f"line {number}: {line.strip()[:60]!r} is not a valid '!!!' line (is the title's "
                "closing quote missing?); write it as '!!! editor-note \"Editor's note, 24 November 2026\"'"
            )
            continue
        body = next((later for later in lines[index + 1:] if later.strip()), "")
        if not _INDENTED.match(body):
            problems.append(
                f"line {number}: the text of this '!!!' note is not indented, so the note would "
                "show empty; indent the note's text by 4 spaces under the '!!!' line"
            )
    return problems
