"""The one date rule of page headers and comment files: ISO only.

Pelican reads `Date: 05/11/2026` as 11 May, whatever the site's language, and
publishes it without a word. Only YYYY-MM-DD (with an optional HH:MM) is
unambiguous, so `Date:`, `Modified:` and `Reviewed:` in a page and `Date:` in a
comment file accept nothing else, and a mistake reads the same in both.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^(?P<day>\d{4}-\d{2}-\d{2})(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?))?$")
_WRITE_IT = "write it as '{field}: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM')"
_FIELD = {"date": "Date", "modified": "Modified", "reviewed": "Reviewed"}


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
            return no_such_date(key, value)
    return f"'{field}: {value}' is not an ISO date; {_WRITE_IT.format(field=field)}{_example(field, value)}"


def no_such_date(key: str, value: str) -> str:
    """The message for an ISO-shaped date that does not exist (2026-02-30, 25:00)."""
    field = _FIELD.get(key.lower(), key)
    return f"'{field}: {value.strip()}' is not a date (no such day or time); {_WRITE_IT.format(field=field)}"


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
