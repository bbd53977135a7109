"""Writes on members: recording what a member is trying to achieve with us (their Desired Outcome)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.journeys.services import Actor, journey_for, member_journey_change
from membersuccess.members.experience import CADENCES, CHANNELS, FORMATS, MAX_HOURS_PER_MONTH
from membersuccess.members.models import DesiredOutcome, Member, RequiredOutcome

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


class DesiredOutcomeError(ValueError):
    """A desired outcome that cannot be recorded; `errors` maps each wrong field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in errors.items()))


def _words(
    values: Sequence[str], *, allowed: dict[str, str], what: str, errors: dict[str, str], name: str
) -> list[str]:
    words = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    unknown = [w for w in words if w not in allowed]
    if unknown:
        errors[name] = f"unknown {what} {unknown[0]!r}; use {', '.join(allowed)}"
    return words


@transaction.atomic
def desired_outcome_record(
    *,
    member: Member,
    required_outcome: RequiredOutcome | None,
    channels: Sequence[str] = (),
    formats: Sequence[str] = (),
    cadence: str = "",
    language: str = "",
    accessibility: str = "",
    time_budget_hours_per_month: int | None = None,
    source: str = DesiredOutcome.Source.STATED,
    target_date: date | None = None,
    by: Actor,
    today: date | None = None,
) -> DesiredOutcome:
    """Record the member's current Desired Outcome (the earlier one is kept as history) and fit their journey.

    When the member has no journey, or their journey leads to another required outcome, they are put
    on the journey for the new outcome and their segment (else the outcome's segment-less journey)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if required_outcome is None:
        errors["required_outcome"] = "choose what the member must achieve with us"
    channels = _words(channels, allowed=CHANNELS, what="channel", errors=errors, name="channels")
    formats = _words(formats, allowed=FORMATS, what="format", errors=errors, name="formats")
    cadence = cadence.strip()
    if cadence and cadence not in CADENCES:
        errors["cadence"] = f"unknown cadence {cadence!r}; use {', '.join(CADENCES)}"
    language = language.strip()
    if language and (len(language) > 20 or not _LANGUAGE.match(language)):
        errors["language"] = f"{language[:30]!r} is not a language code; use e.g. en, fr or pt-BR"
    accessibility = accessibility.strip()
    if len(accessibility) > 200:
        errors["accessibility"] = "at most 200 characters"
    if time_budget_hours_per_month is not None and not 0 <= time_budget_hours_per_month <= MAX_HOURS_PER_MONTH:
        errors["time_budget_hours_per_month"] = f"give the hours a month, from 0 to {MAX_HOURS_PER_MONTH}"
    if source not in DesiredOutcome.Source.values:
        errors["source"] = f"unknown source {source!r}; use {', '.join(DesiredOutcome.Source.values)}"
    if target_date is not None and target_date < today:
        errors["target_date"] = f"the target date {target_date:%d %b %Y} is already past"
    if errors:
        raise DesiredOutcomeError(errors)
    assert required_outcome is not None
    previous = DesiredOutcome.objects.select_for_update().filter(member=member, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    outcome = DesiredOutcome.objects.create(
        external_id=f"staff-{uuid.uuid4().hex[:20]}",
        member=member,
        required_outcome=required_outcome,
        channels=channels,
        formats=formats,
        cadence=cadence,
        language=language,
        accessibility=accessibility,
        time_budget_hours_per_month=time_budget_hours_per_month,
        source=source,
        target_date=target_date,
        recorded_on=today,
        is_current=True,
    )
    AuditEntry.objects.create(
        actor_id=by.pk if by is not None and by.is_authenticated else None,
        action="desired_outcome_recorded",
        object_type="member",
        object_id=str(member.pk),
        detail={
            "required_outcome": required_outcome.code,
            "previous": previous.required_outcome.code if previous is not None else None,
            "source": source,
        },
    )
    current = member.journey
    if current is None or current.required_outcome_id != required_outcome.pk:
        fitting = journey_for(required_outcome=required_outcome, segment=member.segment)
        if fitting is not None and fitting.pk != member.journey_id:
            member_journey_change(
                member=member, journey=fitting, by=by,
                reason=f"Desired outcome recorded: {required_outcome.name}",
            )
    return outcome
