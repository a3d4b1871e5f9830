"""Breadcrumbs and the ordered list of cause pages (hub, previous/next).

Everything is derived from the pages themselves, so adding a cause is adding
one Markdown file to the causes folder: no template or setting to touch.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str  # site-relative, "" for the home page


def nav_title(item) -> str:
    return getattr(item, "nav_title", None) or item.title


def parse_order(value) -> int:
    try:
        order = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(
            f"'Cause_order: {value}' is not a whole number; it sets the page's place in "
            "the list of causes, e.g. 'Cause_order: 9'"
        ) from None
    if order < 1:
        raise ValueError(f"'Cause_order: {value}' must be 1 or more")
    return order


def order_causes(pages) -> tuple[list, list[tuple[object, str]]]:
    """Cause pages in reading order, plus (page, problem) pairs."""
    problems = []
    ordered = []
    for page in pages:
        raw = page.metadata.get("cause_order")
        if raw is None:
            problems.append((page, "missing 'Cause_order:'; cause pages need their place in the list, e.g. 'Cause_order: 9'"))
            continue
        try:
            ordered.append((parse_order(raw), page))
        except ValueError as error:
            problems.append((page, str(error)))
    ordered.sort(key=lambda pair: (pair[0], pair[1].title))
    seen: dict[int, object] = {}
    for order, page in ordered:
        if order in seen:
            problems.append((page, f"'Cause_order: {order}' is also used by {seen[order].source_path}; give each cause its own number"))
        seen.setdefault(order, page)
    return [page for _, page in ordered], problems


def link_neighbours(causes: list) -> None:
    for index, page in enumerate(causes):
        page.previous_cause = causes[index - 1] if index > 0 else None
        page.next_cause = causes[index + 1] if index + 1 < len(causes) else None
        page.cause_number = index + 1


def breadcrumb_trail(page, home, pages_by_url: dict) -> list[Crumb]:
    """Home > each parent folder's page that exists > this page."""
    trail = [Crumb("Home", home.url if home else "")]
    parts = page.url.strip("/").split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        parent = pages_by_url.get("/".join(parts[:depth]) + "/")
        if parent is not None and parent is not page:
            trail.append(Crumb(nav_title(parent), parent.url))
    trail.append(Crumb(nav_title(page), page.url))
    return trail


# Section headings only, not the titles of editor's notes.
_HEADING_ID = re.compile(r'<h[1-6](?![^>]*callout__title)[^>]*\sid="([^"]+)"')
# Where a page says how many causes there are; filled in from the cause pages,
# so adding one never leaves the hub saying "eight".
COUNT_MARKERS = {"{cause_count}": str.lower, "{Cause_count}": str.capitalize}
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def check_guide_section(section: str, guide) -> str | None:
    """Why `Guide_section:` names no heading of the guide, listing the ones it could name."""
    ids = _HEADING_ID.findall(guide._content or "")
    if section in ids:
        return None
    close = difflib.get_close_matches(section, ids, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        f"'Guide_section: {section}' matches no heading id in the guide ({os.path.basename(guide.source_path)}); "
        f"{hint}the guide's section ids are: {', '.join(ids)}. "
        "Remove the line if the guide has no section on this cause"
    )


def fill_cause_count(page, count: int) -> None:
    word = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    for marker, case in COUNT_MARKERS.items():
        if page._content and marker in page._content:
            page._content = page._content.replace(marker, case(word))
        summary = page.metadata.get("summary")
        if summary and marker in summary:
            page.metadata["summary"] = page._summary = summary.replace(marker, case(word))
