"""Renewal plays: a member who is not on track gets a success-plan task well before their term ends.

Renewal is part of the member's success, so the play is a plan to get them back on the path to their
desired outcome (their next milestone), raised early — by default 120 days before the term ends —
and never a discount offer. One plan per term: raising plans again adds nothing twice."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from membersuccess.accounts.models import AuditEntry, Team
from membersuccess.members.models import DesiredOutcome, MembershipTerm
from membersuccess.plays.services import task_create
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.models import RenewalPlan
from membersuccess.scoring.models import VectorSnapshot
from membersuccess.scoring.selectors import latest_run

DEFAULT_LEAD_DAYS = 120
MAX_LEAD_DAYS = 365
# The plan should be agreed quickly: the task is due this many days after it is raised (never after the term ends).
PLAN_DUE_DAYS = 14
# Who holds the plan when the member has no success manager: this team, if the organization has it.
FALLBACK_TEAM_CODE = "membership"
# Members the Success Vector says are not on the path. "Too early" members have nothing due yet, and
# members never scored have no evidence either way: neither gets a plan from this play.
NOT_ON_TRACK = (VectorSnapshot.Status.OFF_TRACK.value, VectorSnapshot.Status.DRIFTING.value)


def plan_lead_days() -> int:
    """How many days before a term ends plans are raised: settings.RENEWAL_PLAN_LEAD_DAYS, else
    $MSM_RENEWAL_PLAN_LEAD_DAYS, else 120."""
    raw = getattr(settings, "RENEWAL_PLAN_LEAD_DAYS", None) or os.environ.get("MSM_RENEWAL_PLAN_LEAD_DAYS") or ""
    return parse_lead_days(raw) if raw != "" else DEFAULT_LEAD_DAYS


def parse_lead_days(raw: str | int) -> int:
    """Lead days between 1 and 365; raises RenewalError otherwise."""
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_LEAD_DAYS:
        raise RenewalError(
            f"the lead time must be a whole number of days from 1 to {MAX_LEAD_DAYS}, not {raw!r}", field="lead_days"
        )
    return days


@dataclass
class PlansRaised:
    """What one pass of raising renewal plans did."""

    as_of: date
    lead_days: int
    considered: int = 0  # active terms ending within the lead time
    raised: list[RenewalPlan] = field(default_factory=list)
    already_planned: int = 0
    on_track_or_unscored: int = 0
    skipped: list[str] = field(default_factory=list)  # why a member who needs a plan did not get one


def _task_text(*, term: MembershipTerm, snapshot: VectorSnapshot) -> tuple[str, str]:
    member = term.member
    title = f"Success plan with {member.name} before their renewal on {term.end_on:%-d %b %Y}"
    outcome = (
        DesiredOutcome.objects.filter(member=member, is_current=True).select_related("required_outcome").first()
    )
    lines = [
        f"{member.name} is {snapshot.get_status_display().lower()} (score {snapshot.score:.0f}) and their term "
        f"ends on {term.end_on:%-d %b %Y}.",
    ]
    if outcome is not None:
        lines.append(f"What they are trying to achieve: {outcome.required_outcome.name}.")
    if snapshot.next_milestone is not None:
        due = f", due {snapshot.next_milestone_due_on:%-d %b %Y}" if snapshot.next_milestone_due_on else ""
        lines.append(f"Next milestone: {snapshot.next_milestone.name}{due}.")
    reasons = [str(r) for r in (snapshot.reasons or [])[:3]]
    if reasons:
        lines.append("Why: " + " ".join(reasons))
    lines.append(
        "Agree a plan with the member to reach the next milestone, with resources that fit how they like to "
        "work. Renewing is worth it to them when they are on the path to their outcome: this is not a "
        "discount offer."
    )
    return title[:200], "\n".join(lines)


def raise_renewal_plans(*, as_of: date, lead_days: int | str | None = None, by: Any = None) -> PlansRaised:
    """Raise a success-plan task for every active term ending within `lead_days` of `as_of` whose member is
    off track or drifting in the latest scoring run; terms that already have a plan are left alone."""
    lead_days = plan_lead_days() if lead_days is None else parse_lead_days(lead_days)
    result = PlansRaised(as_of=as_of, lead_days=lead_days)
    run = latest_run()
    terms = list(
        MembershipTerm.objects.filter(
            status=MembershipTerm.Status.ACTIVE, end_on__gte=as_of, end_on__lte=as_of + timedelta(days=lead_days)
        )
        .select_related("member", "member__success_manager")
        .order_by("end_on", "pk")
    )
    result.considered = len(terms)
    snapshots = (
        {}
        if run is None
        else {
            s.member_id: s
            for s in VectorSnapshot.objects.filter(run=run, member_id__in=[t.member_id for t in terms])
            .select_related("next_milestone")
        }
    )
    planned = set(RenewalPlan.objects.filter(term__in=terms).values_list("term_id", flat=True))
    fallback_team = Team.objects.filter(code=FALLBACK_TEAM_CODE).first()
    for term in terms:
        snapshot = snapshots.get(term.member_id)
        if snapshot is None or snapshot.status not in NOT_ON_TRACK:
            result.on_track_or_unscored += 1
            continue
        if term.pk in planned:
            result.already_planned += 1
            continue
        manager = term.member.success_manager
        if manager is None and fallback_team is None:
            result.skipped.append(
                f"{term.member.name} ({term.member.external_id}): no success manager and no team "
                f"with code {FALLBACK_TEAM_CODE!r} to hold the plan"
            )
            continue
        plan = _raise_one(term=term, snapshot=snapshot, as_of=as_of, by=by,
                          assignee=manager, team=None if manager else fallback_team)
        if plan is None:
            result.already_planned += 1
        else:
            result.raised.append(plan)
    return result


def _raise_one(
    *, term: MembershipTerm, snapshot: VectorSnapshot, as_of: date, by: Any, assignee: Any, team: Team | None
) -> RenewalPlan | None:
    """One plan and its task, atomically; None when another process raised it first."""
    title, description = _task_text(term=term, snapshot=snapshot)
    due_on = min(as_of + timedelta(days=PLAN_DUE_DAYS), term.end_on)
    try:
        with transaction.atomic():
            task = task_create(
                title=title, by=by, member=term.member, team=team, assignee=assignee, due_on=due_on,
                description=description, today=as_of, notify=False,
            )
            plan = RenewalPlan.objects.create(
                term=term, task=task, vector_status=snapshot.status, score=snapshot.score, raised_on=as_of
            )
            AuditEntry.objects.create(
                actor=by if getattr(by, "pk", None) else None, action="renewal_plan_raised",
                object_type="membership_term", object_id=str(term.pk),
                detail={"member": term.member.external_id, "task": task.pk, "status": snapshot.status,
                        "term_ends_on": term.end_on.isoformat()},
            )
    except IntegrityError:
        return None
    return plan
