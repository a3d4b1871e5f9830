"""The `Reviewed:` date: required on medical pages, shown as "Last reviewed"."""

from __future__ import annotations

import datetime as dt

from pelican.utils import get_date


class ReviewedDateError(ValueError):
    pass


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
    try:
        return get_date(str(value).strip())
    except (ValueError, OverflowError):
        raise ReviewedDateError(
            f"'Reviewed: {value}' is not a date; write it as YYYY-MM-DD, e.g. 'Reviewed: 2026-11-24'"
        ) from None
