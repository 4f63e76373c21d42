"""Dates as records write them: ISO 8601 calendar dates of reduced precision."""

from __future__ import annotations

import re
from typing import Any

from .records import resolve_pointer

DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
DATE_FIELDS = ("/date", "/end_date", "/source/published")
DATETIME_FIELDS = ("/annotation/created", "/annotation/updated")
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def real_date(text: str) -> bool:
    """Whether `text` (YYYY, YYYY-MM or YYYY-MM-DD) names a real calendar date."""
    match = DATE.fullmatch(text)
    if not match:
        return False
    year, month, day = match.groups()  # digits, compared as text: the same order for two
    if year == "0000" or (month is not None and not "01" <= month <= "12"):
        return False
    return day is None or "01" <= day and int(day) <= _days_in(int(year), int(month))


def _days_in(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS_IN_MONTH[month] + (month == 2 and leap)


def real_datetime(text: str) -> bool:
    """Whether `text` is a real ISO 8601 date and time."""
    from datetime import datetime

    try:
        datetime.fromisoformat(text.replace("z", "Z").replace(" ", "T", 1))
    except ValueError:
        return False
    return True


def bounds(date: str) -> tuple[str, str]:
    """The first and last day a reduced-precision date may mean (as text)."""
    low = date + "-01-01"[len(date) - 4 :] if len(date) < 10 else date
    high = date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date
    month = DATE.fullmatch(date)
    if month and month[2] and not month[3] and 1 <= int(month[2]) <= 12:
        high = f"{date}-{_days_in(int(month[1]), int(month[2])):02d}"  # 2026-02 ends on the 28th
    return low, high


_PRECISION = {4: "year", 7: "month"}


def precision(date: str) -> str:
    """How precise a date is by its length: year (2026), month (2026-02), else day."""
    return _PRECISION.get(len(date), "day")


def normalize_dates(data: dict[str, Any]) -> None:
    """A year written as a bare number (`date: 2026`) becomes the string "2026"."""
    for pointer in DATE_FIELDS:
        parent_pointer, key = pointer.rsplit("/", 1)
        parent = resolve_pointer(data, parent_pointer, None)
        if isinstance(parent, dict):
            value = parent.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
                parent[key] = f"{value:04d}"
