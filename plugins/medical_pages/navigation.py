"""Breadcrumbs and the ordered list of cause pages (hub, previous/next).

Everything is derived from the pages themselves, so adding a cause is adding
one Markdown file to the causes folder: no template or setting to touch.
"""

from __future__ import annotations

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
