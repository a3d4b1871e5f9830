"""What text a comment may contain: the one definition shared by the
receiver's form check, the comment file reader and the site build.

Three families of code points are never published:

* XML-forbidden ones (:data:`FORBIDDEN`): C0 controls other than tab and line
  feed, DEL, C1 controls, lone surrogates and the Unicode noncharacters
  (U+FDD0..U+FDEF and the last two code points of every plane, U+FFFE/U+FFFF
  among them). One of them in a feed makes it invalid XML.
* Bidi embedding, override and isolate controls (:data:`BIDI_CONTROLS`): they
  make text display in an order other than the one it was written in.
* In names only, default-ignorable characters (zero-width spaces, joiners,
  soft hyphens, variation selectors...): invisible, so a name could look like
  another one or like nothing at all. A zero-width joiner or variation
  selector right after an emoji is kept, so emoji sequences survive.

Form input is cleaned (:func:`clean_body`, :func:`clean_name`): what these
functions drop is invisible and meant nothing to the writer. A comment *file*
is never cleaned silently: :func:`forbidden_in_body` and :func:`name_problems`
describe what is wrong so the build can name the file.

A name must also contain a letter, and must not pass for the clinic's name or
the call to action's label once compatibility forms (NFKC), case, look-alike
letters from other scripts (Unicode's confusables data, as shipped by the
``confusable-homoglyphs`` package) and everything but letters and digits are
folded away (:func:`impersonates`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "BIDI_CONTROLS",
    "FORBIDDEN",
    "clean_body",
    "clean_name",
    "code_point",
    "forbidden_in_body",
    "impersonates",
    "name_problems",
    "printable",
    "skeleton",
]

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
#: Code points XML 1.0 forbids or discourages, as a character class body.
FORBIDDEN_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS
FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}]")
#: Bidi embedding (LRE, RLE, PDF), override (LRO, RLO) and isolate controls.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BODY_DROP = re.compile(f"[{FORBIDDEN_CLASS}\u202a-\u202e\u2066-\u2069]")
#: Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt).
DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Kept in a name only right after an emoji (or another such joiner/selector).
_EMOJI_GLUE = frozenset("\u200d\ufe0e\ufe0f")


def code_point(ch: str) -> str:
    """``U+FFFE`` and, when Unicode has one, the character's name."""
    name = unicodedata.name(ch, "")
    if not name:
        if 0xD800 <= ord(ch) <= 0xDFFF:
            name = "a lone surrogate"
        elif FORBIDDEN.match(ch) and ord(ch) > 0x9F:
            name = "a Unicode noncharacter"
        else:
            name = "a control character"
    return f"U+{ord(ch):04X} ({name})"


def clean_body(text: str) -> str:
    """Comment text from a form or import: line breaks to ``\\n``, forbidden
    code points and bidi controls removed, NFC, surrounding blank space
    stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _BODY_DROP.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def forbidden_in_body(text: str) -> list[str]:
    """What a comment file's text must not contain, one message per code point
    (first occurrence, with its line number)."""
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        for ch in _BODY_DROP.findall(line.replace("\r", "")):
            seen.setdefault(ch, number)
    return [
        f"line {number} of the comment text contains {code_point(ch)}, which cannot be published; remove it"
        for ch, number in seen.items()
    ]


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or 0x1F3FB <= ord(ch) <= 0x1F3FF


def clean_name(value: str) -> str:
    """A name from a form or import: NFC; whitespace, controls and invisible
    characters collapsed or removed (see the module documentation)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", str(value)):
        if ch in _EMOJI_GLUE and out and (_is_emoji(out[-1]) or out[-1] in _EMOJI_GLUE):
            out.append(ch)
        elif ch.isspace() or FORBIDDEN.match(ch) or ch in "\u2028\u2029":
            if out and out[-1] != " ":
                out.append(" ")
        elif not DEFAULT_IGNORABLE.match(ch):
            out.append(ch)
    return "".join(out).strip()


def has_letter(value: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in value)


def name_problems(value: str) -> list[str]:
    """Why ``value`` cannot be published as a name (empty list: it can)."""
    problems = []
    if clean_name(value) != value:
        bad = sorted({ch for ch in value if ch not in clean_name(ch) and not ch == " "})
        shown = ", ".join(code_point(ch) for ch in bad[:3]) or "repeated or surrounding spaces"
        problems.append(f"contains invisible or control characters ({shown}); remove them")
    if not has_letter(value):
        problems.append("has no letter; a name must contain at least one visible letter")
    return problems


@functools.lru_cache(maxsize=1)
def _latin_look_alikes() -> dict[str, str]:
    """Each character that Unicode lists as confusable with an ASCII letter or
    digit, mapped to that letter or digit."""
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        group = [char] + [h["c"] for h in homoglyphs]
        # Letters before digits: a Cyrillic "В" is a B before it is an 8.
        latin = sorted((g.isdigit(), g.lower()) for g in group if len(g) == 1 and g.isascii() and g.isalnum())
        if latin:
            for glyph in group:
                if len(glyph) == 1 and not glyph.isascii():
                    table.setdefault(glyph, latin[0][1])
    return table


def skeleton(value: str) -> str:
    """``value`` folded for look-alike comparison: NFKC, case, look-alike
    letters to Latin, and only letters and digits kept."""
    table = _latin_look_alikes()
    out = []
    for ch in unicodedata.normalize("NFKC", clean_name(value)):
        # Look-alikes are listed by case ("В" is a B, "в" is not a b).
        ch = table.get(ch) or table.get(ch.casefold(), ch.casefold())
        if ch.isalnum():
            out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out)).casefold()


def impersonates(name: str, reserved) -> str | None:
    """The reserved name (clinic, call to action...) that ``name`` passes for,
    or None."""
    mine = skeleton(name)
    for other in reserved:
        if other and mine == skeleton(other):
            return other
    return None


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` safe to print on a terminal: every control, invisible or
    forbidden character (including bidi controls and, in names, zero-width
    characters) shown as an unambiguous ``\\u{XXXX}`` escape."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\\":
            out.append("\\\\")
        elif (
            FORBIDDEN.match(ch)
            or DEFAULT_IGNORABLE.match(ch)
            or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn")
        ):
            out.append(f"\\u{{{ord(ch):04X}}}")
        else:
            out.append(ch)
    return "".join(out)
