"""A small association built in code, as the engine's input tables: explicit members, terms and facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pyarrow as pa

from membersuccess.engine.inputs import arrow_schema, day_number

AS_OF = date(2024, 6, 30)


def days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


@dataclass
class Association:
    """Rows of each input table; `tables()` turns them into Arrow."""

    members: list[dict[str, object]] = field(default_factory=list)
    terms: list[dict[str, object]] = field(default_factory=list)
    interactions: list[dict[str, object]] = field(default_factory=list)
    tickets: list[dict[str, object]] = field(default_factory=list)
    achievements: list[dict[str, object]] = field(default_factory=list)
    previous: list[dict[str, object]] | None = None

    def member(
        self,
        member_id: int,
        *,
        joined: date = date(2022, 1, 1),
        journey_id: int | None = None,
        segment_id: int | None = 1,
        status: str = "active",
        term: tuple[date, date] | None = (date(2024, 1, 1), date(2024, 12, 31)),
        term_status: str = "active",
    ) -> int:
        self.members.append({
            "member_id": member_id, "segment_id": segment_id, "journey_id": journey_id,
            "joined_day": day_number(joined), "status": status,
        })
        if term is not None:
            self.term(member_id, start=term[0], end=term[1], status=term_status)
        return member_id

    def term(self, member_id: int, *, start: date, end: date, status: str = "active") -> None:
        self.terms.append({
            "member_id": member_id, "start_day": day_number(start), "end_day": day_number(end), "status": status,
        })

    def touch(
        self, member_id: int, kind: str, source: str, on: date, *, times: int = 1, value: float | None = None
    ) -> None:
        for _ in range(times):
            self.interactions.append({
                "member_id": member_id, "source": source, "kind": kind, "day": day_number(on), "value": value,
            })

    def event(self, member_id: int, on: date, *, times: int = 1) -> None:
        self.touch(member_id, "event_attended", "events", on, times=times)

    def login(self, member_id: int, on: date) -> None:
        self.touch(member_id, "login", "portal", on)

    def ticket(self, member_id: int, *, opened: date, resolved_after_hours: float | None = None,
               severity: str = "normal") -> None:
        opened_s = day_number(opened) * 86_400 + 9 * 3600
        resolved = None if resolved_after_hours is None else opened_s + int(resolved_after_hours * 3600)
        self.tickets.append({"member_id": member_id, "severity": severity, "opened_s": opened_s,
                             "resolved_s": resolved})

    def confirm(self, member_id: int, milestone_id: int, on: date) -> None:
        self.achievements.append({"member_id": member_id, "milestone_id": milestone_id,
                                  "achieved_day": day_number(on)})

    def tables(self) -> dict[str, pa.Table]:
        names = ("members", "terms", "interactions", "tickets", "achievements")
        out = {name: pa.Table.from_pylist(getattr(self, name), schema=arrow_schema(name)) for name in names}
        if self.previous is not None:
            out["previous"] = pa.Table.from_pylist(self.previous, schema=arrow_schema("previous"))
        return out
