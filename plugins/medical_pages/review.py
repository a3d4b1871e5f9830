"""Who reviews a medical page and when its next clinical review is due.

The next review is `Reviewed:` plus MEDICAL_REVIEW_INTERVAL_MONTHS, unless the
page sets its own `Next_review:` date. A production build fails on a page whose
next review date has passed (MEDICAL_REVIEW_OVERDUE_FAILS), so a page that says
"Last reviewed" never goes out with a review that is long out of date.
"""

from __future__ import annotations

import calendar
import datetime as dt

from pelican.utils import get_date

from comment_core.dates import iso_date_problem


class ReviewScheduleError(ValueError):
    pass


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
    if iso_date_problem("reviewed", str(value)):
        # The header check names this line already; report it once.
        return None
    return get_date(str(value).strip())


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(reviewed: dt.datetime | None, override, interval_months: int) -> dt.date | None:
    """The date the next review is due, from `Next_review:` or the interval."""
    if override is None or (isinstance(override, str) and not override.strip()):
        return add_months(reviewed.date(), interval_months) if reviewed else None
    try:
        due = override if isinstance(override, dt.datetime) else get_date(str(override).strip())
    except (ValueError, OverflowError):
        raise ReviewScheduleError(
            f"'Next_review: {override}' is not a date; write it as YYYY-MM-DD, e.g. 'Next_review: 2027-11-24'"
        ) from None
    if reviewed and due.date() <= reviewed.date():
        raise ReviewScheduleError(
            f"'Next_review: {override}' is not after 'Reviewed: {reviewed.date().isoformat()}'; "
            "the next review must come after the last one"
        )
    return due.date()


def overdue_problem(due: dt.date | None, today: dt.date, date_format: str) -> str | None:
    """The problem to report when the next review date has passed, else None."""
    if due is None or due >= today:
        return None
    return (
        f"the next clinical review was due on {due.strftime(date_format)} and has not been recorded; "
        "have a clinician review the page, then update its 'Reviewed:' date (or set 'Next_review:')"
    )
