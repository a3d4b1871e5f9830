"""Dates in page headers: ISO only, and the `Reviewed:` date on medical pages.

Pelican reads `Date: 05/11/2026` as 11 May, whatever the site's language, and
publishes it without a word. Only YYYY-MM-DD (with an optional HH:MM) is
unambiguous, so `Date:`, `Modified:` and `Reviewed:` accept nothing else.
"""

from __future__ import annotations

import datetime as dt
import re

from pelican.utils import get_date

DATE_KEYS = ("date", "modified", "reviewed")
_ISO = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?))?$")
_FIELD = {"date": "Date", "modified": "Modified", "reviewed": "Reviewed"}


class ReviewedDateError(ValueError):
    pass


def iso_date_problem(key: str, value: str) -> str | None:
    """Why ``Key: value`` is not an ISO date, with the line to write instead; None if fine."""
    field = _FIELD.get(key.lower(), key)
    value = value.strip()
    match = _ISO.match(value)
    if match:
        try:
            dt.date.fromisoformat(match.group("day"))
            if match.group("time"):
                dt.time.fromisoformat(match.group("time"))
            return None
        except ValueError:
            return f"'{field}: {value}' is not a date (no such day or time); write it as '{field}: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM')"
    return f"'{field}: {value}' is not an ISO date; write it as '{field}: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM'){_example(field, value)}"


def _example(field: str, value: str) -> str:
    """For day/month/year or month/day/year, spell out both readings: the author picks."""
    parts = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if not parts:
        return ", e.g. '" + field + ": 2026-11-24'"
    first, second, year = (int(p) for p in parts.groups())
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(dt.date(year, month, day))
        except ValueError:
            continue
    options = " or ".join(f"'{field}: {d.isoformat()}' for {d.day} {d:%B}" for d in dict.fromkeys(readings))
    return f": {options}" if options else ""


def parse_reviewed(value, *, required: bool) -> dt.datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewedDateError(
                "missing 'Reviewed:' date; add a line such as 'Reviewed: 2026-11-24' to the "
                "metadata at the top of the file (the date a clinician last checked the page)"
            )
        return None
    if isinstance(value, dt.datetime):
        return value
    if iso_date_problem("reviewed", str(value)):
        # The header check names this line already; report it once.
        return None
    return get_date(str(value).strip())
