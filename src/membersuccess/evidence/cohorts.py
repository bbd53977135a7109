"""Cohort survival for the retention model: from a `period,active` file, or from the membership terms.

From the database, a cohort is the members who joined in one calendar year; a member is still active
after t periods (years) when their unbroken run of terms — each starting no later than the previous
one's end plus the lapse grace — reaches past half of year t + 1 after their first term started. The
half-year test tells "renewed for year t + 1" from "not renewed" whatever the terms' end-date
convention (31 December or 1 January). Period t of a cohort counts only once its last member's
t-th renewal is known: the end of the join year plus t years plus the grace lies on or before the
as-of date."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from membersuccess.evidence.errors import EvidenceError, EvidenceFileError

COHORT_COLUMNS = ("period", "active")
HALF_YEAR_DAYS = 183
# The same grace the engine gives a renewal that is late (ScoringParams.lapse_grace_days).
LAPSE_GRACE_DAYS = 60
ALL_MEMBERS = "All members"


@dataclass(frozen=True)
class CohortSurvival:
    """Members still active at periods 0, 1, … for each cohort of one group (a segment, or everyone)."""

    name: str
    cohorts: dict[str, list[int]]  # cohort label (join year) -> active at period 0, 1, …
    mean_dues: float | None = None  # average dues of one term, where known

    @property
    def members(self) -> int:
        return sum(active[0] for active in self.cohorts.values() if active)


def read_cohort_file(path: Path) -> list[int]:
    """Members active at periods 0, 1, … from a CSV/XLSX/Parquet/JSON-lines file with columns period,active."""
    from membersuccess.ingest.errors import ImportFileError
    from membersuccess.ingest.readers import open_rows

    try:
        opened = open_rows(path, looks_like_header=lambda labels: "period" in [x.lower() for x in labels])
    except ImportFileError as error:
        raise EvidenceFileError(path, error.reason) from error
    header = {name.strip().lower(): name for name in opened.header}
    missing = [c for c in COHORT_COLUMNS if c not in header]
    if missing:
        found = ", ".join(opened.header) or "nothing"
        raise EvidenceFileError(
            path, f"missing column {missing[0]!r}: the header must have period,active (found {found})",
            line=1, column=missing[0],
        )
    label = opened.line_label
    rows: list[tuple[int, int, int]] = []  # (line, period, active)
    for batch in opened.batches:
        for raw in batch:
            if raw.problem:
                raise EvidenceFileError(path, f"{label} {raw.line} {raw.problem}")
            period = _whole(raw.cells.get(header["period"]), path=path, line=raw.line, column="period")
            active = _whole(raw.cells.get(header["active"]), path=path, line=raw.line, column="active")
            rows.append((raw.line, period, active))
    return _checked_survival(rows, path=path)


def _whole(value: Any, *, path: Path, line: int, column: str) -> int:
    text = "" if value is None else str(value).strip()
    if text == "":
        raise EvidenceFileError(path, "is empty: a whole number is needed", line=line, column=column)
    try:
        number = float(text)
    except ValueError:
        raise EvidenceFileError(path, f"{text!r} is not a number", line=line, column=column) from None
    if not math.isfinite(number) or not number.is_integer():
        raise EvidenceFileError(path, f"{text!r} is not a whole number", line=line, column=column)
    if number < 0:
        raise EvidenceFileError(path, f"{text} is negative", line=line, column=column)
    return int(number)


def _checked_survival(rows: list[tuple[int, int, int]], *, path: Path) -> list[int]:
    if len(rows) < 2:
        raise EvidenceFileError(
            path, "needs at least two rows (period 0 and period 1) to see anyone renew or lapse"
        )
    rows = sorted(rows, key=lambda row: row[1])
    active: list[int] = []
    for index, (line, period, count) in enumerate(rows):
        if period != index:
            expected = "0" if index == 0 else f"{index} (after {index - 1})"
            raise EvidenceFileError(
                path, f"periods must run 0, 1, 2, … without gaps or repeats: expected {expected}, found {period}",
                line=line, column="period",
            )
        if index == 0 and count == 0:
            raise EvidenceFileError(path, "period 0 has no members: the cohort must start with its members",
                                    line=line, column="active")
        if active and count > active[-1]:
            raise EvidenceFileError(
                path, f"{count} active is more than the {active[-1]} in period {index - 1}: "
                "a cohort's survivors can only stay level or fall", line=line, column="active",
            )
        active.append(count)
    return active


@dataclass(frozen=True)
class MemberTerms:
    """What the cohort count needs of one member: segment, join date, and their terms in order."""

    segment: str | None
    joined_on: date
    terms: list[tuple[date, date, float]]  # (start_on, end_on, dues)


def survival_by_cohort(
    members: Iterable[MemberTerms], *, as_of: date, grace_days: int = LAPSE_GRACE_DAYS
) -> dict[str, dict[str, list[int]]]:
    """Per segment name (and ALL_MEMBERS), per join year, members active at periods 0, 1, … known by as_of."""
    counts: dict[str, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for member in members:
        if not member.terms or member.joined_on > as_of:
            continue
        year = member.joined_on.year
        first_start = member.terms[0][0]
        chain_end = _unbroken_end(member.terms, grace_days=grace_days)
        periods = _observable_periods(year, as_of=as_of, grace_days=grace_days)
        for group in (ALL_MEMBERS, member.segment):
            if group is None:
                continue
            counts[group][year][0] += 1
            for t in range(1, periods + 1):
                if chain_end >= _anniversary(first_start, t) + timedelta(days=HALF_YEAR_DAYS):
                    counts[group][year][t] += 1
    result: dict[str, dict[str, list[int]]] = {}
    for group, years in counts.items():
        result[group] = {}
        for year in sorted(years):
            periods = _observable_periods(year, as_of=as_of, grace_days=grace_days)
            result[group][str(year)] = [years[year][t] for t in range(periods + 1)]
    return result


def _unbroken_end(terms: list[tuple[date, date, float]], *, grace_days: int) -> date:
    """The end of the member's first unbroken run of terms: a return after a lapse is a new membership."""
    ordered = sorted(terms)
    end = ordered[0][1]
    for start, stop, _dues in ordered[1:]:
        if start > end + timedelta(days=grace_days):
            break
        end = max(end, stop)
    return end


def _observable_periods(year: int, *, as_of: date, grace_days: int) -> int:
    """How many renewal periods of the join-year cohort are known for all its members by as_of."""
    periods = 0
    while date(year + periods + 1, 12, 31) + timedelta(days=grace_days) <= as_of:
        periods += 1
    return periods


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def require_cohorts(groups: dict[str, dict[str, list[int]]]) -> None:
    """Raise a clear error when no cohort has a full renewal period observed."""
    everyone = groups.get(ALL_MEMBERS, {})
    if not any(len(active) >= 2 for active in everyone.values()):
        raise EvidenceError(
            "no join-year cohort has been a member for a full year plus the renewal grace yet: "
            "import membership terms going back further, or use --cohort FILE"
        )
