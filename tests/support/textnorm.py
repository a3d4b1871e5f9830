"""Compare text the way a reader does: ignore typography and whitespace."""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def normalise(text: str) -> str:
    text = text.translate(_TRANSLATE).replace("\u2026", "...")
    return re.sub(r"\s+", " ", text).strip()


def seed_sentences(seed_text: str) -> list[str]:
    """Every sentence of the clinic's article (bullets stripped; the empty
    'Comments' heading at the end belongs to the comments section)."""
    sentences = []
    lines = [line.strip().lstrip("\u2022").strip() for line in seed_text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[-1] == "Comments":
        lines.pop()
    for line in lines:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line):
            sentences.append(normalise(sentence))
    return sentences
