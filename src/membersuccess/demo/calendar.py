"""Dates as whole days since 1970-01-01 (numpy int64), so a whole chunk of members moves at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]
EPOCH = date(1970, 1, 1)
SECONDS_PER_DAY = 86_400


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def add_years(days: Days, years: int | npt.NDArray[np.int64]) -> Days:
    """The same calendar day `years` later (29 February becomes 28 February in common years)."""
    moments = days.astype("datetime64[D]")
    month_start = moments.astype("datetime64[M]")
    day_of_month = (moments - month_start).astype(np.int64)
    months = month_start.astype(np.int64) + 12 * np.asarray(years, dtype=np.int64)
    target_month = months.astype("datetime64[M]")
    month_length = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(np.int64)
    clipped = np.minimum(day_of_month, month_length - 1)
    return (target_month.astype("datetime64[D]").astype(np.int64) + clipped).astype(np.int64)


def year_of(days: Days) -> npt.NDArray[np.int64]:
    """The calendar year of each day."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


@dataclass(frozen=True)
class EventCalendar:
    """The association's scheduled events: every webinar, meetup, fair, summit and conference day."""

    days: Days  # sorted
    codes: tuple[str, ...]  # one per day, e.g. "event-webinar-2024-03-12"

    def next_on_or_after(self, days: Days) -> npt.NDArray[np.int64]:
        """Index of the first event on or after each day (len(days) when there is none)."""
        return np.searchsorted(self.days, days, side="left").astype(np.int64)


# Annual events as (offering code, month, day, how many consecutive days).
_ANNUAL = (
    ("event-career-fair", 3, 14, 1),
    ("event-policy-summit", 4, 22, 1),
    ("event-annual-conference", 6, 10, 3),
    ("event-career-fair", 10, 16, 1),
)


def event_calendar(*, first_day: int, last_day: int) -> EventCalendar:
    """Fortnightly webinars, monthly chapter meetups and the annual events between two days."""
    entries: list[tuple[int, str]] = []
    for day in range(first_day - first_day % 14 + 1, last_day + 1, 14):
        entries.append((day, "event-webinar"))
    first_year = int(year_of(np.array([first_day], dtype=np.int64))[0])
    last_year = int(year_of(np.array([last_day], dtype=np.int64))[0])
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            entries.append((day_number(date(year, month, 20)), "event-chapter-meetup"))
        for code, month, day, length in _ANNUAL:
            start = day_number(date(year, month, day))
            entries.extend((start + offset, code) for offset in range(length))
    kept = sorted((day, code) for day, code in entries if first_day <= day <= last_day)
    days = np.array([day for day, _ in kept], dtype=np.int64)
    codes = tuple(f"{code}-{np.datetime64(int(day), 'D')}" for day, code in kept)
    return EventCalendar(days=days, codes=codes)


def survey_days(*, first_day: int, last_day: int) -> Days:
    """The annual NPS survey goes out every 15 November."""
    first_year = int(year_of(np.array([first_day], dtype=np.int64))[0])
    last_year = int(year_of(np.array([last_day], dtype=np.int64))[0])
    days = [day_number(date(year, 11, 15)) for year in range(first_year, last_year + 1)]
    return np.array([d for d in days if first_day <= d <= last_day], dtype=np.int64)
