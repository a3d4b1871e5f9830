"""Numbered citations: `[@5]` or `[@1,16]` in Markdown, a "Sources" list on the page.

Authors cite by the number a reference has in the shared reference list
(content/data/references.yaml, taken from the fact sheet). Each page numbers its
own sources 1..n in order of first use, so readers see a short, tidy list, and
every entry in that list is cited at least once by construction.

An entry may carry `verify: true`: an editor still has to check it against its
source. Readers see nothing different; the build lists the flagged numbers as a
reminder (a warning, not a failure).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

MARKER = re.compile(r"\[@(?P<numbers>\s*\d+(?:\s*,\s*\d+)*\s*)\]")
# Something that looks like an attempt at a citation but does not parse, e.g. "[@12a]".
BROKEN_MARKER = re.compile(r"\[@[^\]]*\]")


class ReferenceListError(ValueError):
    pass


@dataclass(frozen=True)
class Reference:
    number: int  # the number in the shared reference list
    text: str
    link: str
    verify: bool = False


@dataclass(frozen=True)
class Source:
    """A reference as it appears on one page."""

    index: int  # 1..n on this page
    reference: Reference
    citation_ids: tuple[str, ...]  # ids of the markers that cite it, for back links


def load_references(path: Path) -> dict[int, Reference]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as error:
        raise ReferenceListError(f"is not valid YAML ({error}); fix the line it names") from None
    if not isinstance(data, dict):
        raise ReferenceListError("must map reference numbers to {text: …, link: …}")
    references = {}
    for key, entry in data.items():
        if not isinstance(key, int):
            raise ReferenceListError(f"key {key!r} must be a number (the fact sheet's reference number)")
        if not isinstance(entry, dict) or not entry.get("text") or not entry.get("link"):
            raise ReferenceListError(f"reference {key} needs both 'text' and 'link'")
        link = str(entry["link"]).strip()
        if not link.startswith("https://"):
            raise ReferenceListError(f"reference {key}: link {link!r} must be an https:// address")
        verify = entry.get("verify", False)
        if not isinstance(verify, bool):
            raise ReferenceListError(f"reference {key}: 'verify: {verify}' must be true or false")
        references[key] = Reference(key, str(entry["text"]).strip(), link, verify)
    return references


def verification_reminder(references: dict[int, Reference]) -> str | None:
    """One line naming every reference flagged `verify: true`, or None."""
    flagged = sorted(number for number, reference in references.items() if reference.verify)
    if not flagged:
        return None
    noun = "reference" if len(flagged) == 1 else "references"
    return (
        f"{noun} {', '.join(map(str, flagged))} marked 'verify: true': check each against its "
        "source, then remove the flag (readers see no difference)"
    )


def apply_citations(content: str, references: dict[int, Reference]) -> tuple[str, list[Source], list[str]]:
    """Replace markers with links; return new HTML, the page's sources and problems."""
    order: dict[int, int] = {}
    cited_by: dict[int, list[str]] = {}
    problems: list[str] = []

    def replace(match: re.Match) -> str:
        links = []
        for raw in match.group("numbers").split(","):
            number = int(raw)
            if number not in references:
                problems.append(
                    f"citation [@{number}] names no entry in the reference list "
                    "(content/data/references.yaml); add the reference there or fix the number"
                )
                continue
            index = order.setdefault(number, len(order) + 1)
            ids = cited_by.setdefault(number, [])
            anchor = f"cite-{index}-{len(ids) + 1}"
            ids.append(anchor)
            links.append(
                f'<a href="#source-{index}" id="{anchor}" aria-label="Source {index}">{index}</a>'
            )
        if not links:
            return ""
        return '<sup class="cite">[' + ", ".join(links) + "]</sup>"

    new_content = MARKER.sub(replace, content)
    for leftover in BROKEN_MARKER.findall(new_content):
        problems.append(
            f"{html.unescape(leftover)!r} is not a valid citation; write [@12] or [@1,16]"
        )
    sources = [
        Source(index, references[number], tuple(cited_by[number]))
        for number, index in sorted(order.items(), key=lambda item: item[1])
    ]
    return new_content, sources, problems
