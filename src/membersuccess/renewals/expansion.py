"""Expansion readiness: offerings that serve a member's desired outcome and that they do not have yet.

An offer is part of the member's success only when it serves what they are trying to achieve, so the
catalog decides (Offering.serves maps offerings to required outcomes). Members on track are ready; offers
to members who are off track or drifting are held back until a success plan is in motion for them, and
members too early to tell or never scored are held back too — each with the reason in words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from membersuccess.accounts.roles import AnyUser
from membersuccess.members.models import DesiredOutcome, Member, MembershipTerm, Offering
from membersuccess.members.selectors import visible_members
from membersuccess.renewals.pipeline import PlanState, latest_vectors, plan_states
from membersuccess.scoring.models import ScoreRun, VectorSnapshot
from membersuccess.scoring.selectors import latest_run

UPSELL = "upsell"  # a higher membership tier
CROSS_SELL = "cross_sell"  # a course, certification, event or publication

ON_TRACK = VectorSnapshot.Status.ON_TRACK.value
NEEDS_PLAN = (VectorSnapshot.Status.OFF_TRACK.value, VectorSnapshot.Status.DRIFTING.value)


@dataclass(frozen=True)
class Opportunity:
    """One offering for one member, ready to offer or held back, and why."""

    member_id: int
    member_name: str
    external_id: str
    segment: str
    vector_status: str | None
    score: float | None
    required_outcome: str
    offering_code: str
    offering_name: str
    offering_kind: str
    price: Decimal
    kind: str  # UPSELL or CROSS_SELL
    held_back: bool
    reason: str
    plan: PlanState | None

    @property
    def status_label(self) -> str:
        return "Not scored" if self.vector_status is None else str(VectorSnapshot.Status(self.vector_status).label)


@dataclass(frozen=True)
class Expansion:
    """Opportunities ready to offer (best prepared first) and those held back."""

    as_of: date
    run: ScoreRun | None
    ready: list[Opportunity]
    held_back: list[Opportunity]


def _held_offerings(member_ids: list[int], as_of: date) -> tuple[dict[int, set[int]], dict[int, MembershipTerm]]:
    """Offerings each member has (the current term's, and any course, event... ever taken) and their current term."""
    held: dict[int, set[int]] = defaultdict(set)
    current: dict[int, MembershipTerm] = {}
    terms = (
        MembershipTerm.objects.filter(member_id__in=member_ids).select_related("offering").order_by("start_on", "pk")
    )
    for term in terms:
        running = term.start_on <= as_of <= term.end_on
        if running:
            current[term.member_id] = term  # the latest started one wins
        offering = term.offering
        if offering is not None and (running or offering.kind != Offering.Kind.DUES_TIER):
            held[term.member_id].add(offering.pk)
    return held, current


def _why_ready(*, score: float | None, outcome: str, offering: Offering, kind: str, term: MembershipTerm) -> str:
    have = f"they hold {term.offering.name} ({term.dues:.2f})" if term.offering else f"they pay {term.dues:.2f}"
    what = (
        f"the {offering.name} tier ({offering.price:.2f}) serves it and {have}"
        if kind == UPSELL
        else f"{offering.name} serves it and they do not have it yet"
    )
    return f"On track (score {score:.0f}) toward “{outcome}”: {what}."


def _why_held(*, status: str | None, plan: PlanState | None, snapshot_reason: str) -> tuple[bool, str]:
    """(held back?, reason) for a member who is not on track."""
    because = f" {snapshot_reason}" if snapshot_reason else ""
    if status is None:
        return True, "Held back: not scored yet, so nobody can say they are on the path to their outcome."
    if status == VectorSnapshot.Status.TOO_EARLY:
        return True, "Held back: too early to tell — nothing is due on their journey yet."
    label = str(VectorSnapshot.Status(status).label).lower()
    if plan is not None and plan.in_motion:
        holder = f", held by {plan.assignee}" if plan.assignee else ""
        return False, (
            f"{label.capitalize()}, but a success plan is in motion (task {plan.status_label.lower()}{holder}): "
            "offer it only as part of that plan."
        )
    return True, (
        f"Held back: {label}.{because} Offers wait until a success plan is in motion — "
        "raise one first (msm renewals plan)."
    )


def expansion_opportunities(*, as_of: date, user: AnyUser | None = None) -> Expansion:
    """Offerings serving each member's current desired outcome that they do not have, ranked, with reasons."""
    members = Member.objects.all() if user is None else visible_members(user=user)
    outcomes = list(
        DesiredOutcome.objects.filter(member__in=members, is_current=True)
        .exclude(member__status__in=[Member.Status.LAPSED, Member.Status.CANCELLED])
        .select_related("member", "member__segment", "required_outcome")
    )
    serving: dict[int, list[Offering]] = defaultdict(list)
    for offering in Offering.objects.filter(serves__in={o.required_outcome_id for o in outcomes}).prefetch_related(
        "serves"
    ).distinct():
        for required in offering.serves.all():
            serving[required.pk].append(offering)
    member_ids = [o.member_id for o in outcomes]
    held, current = _held_offerings(member_ids, as_of)
    run = latest_run()
    vectors = latest_vectors(run=run, member_ids=member_ids)
    reasons = _first_reasons(run=run, member_ids=member_ids)
    plans_by_term = plan_states(term_ids=[t.pk for t in current.values()])
    ready: list[tuple[tuple[float, str, int], Opportunity]] = []
    held_back: list[Opportunity] = []
    for outcome in outcomes:
        member = outcome.member
        term = current.get(member.pk)
        if term is None:
            continue  # no membership running today: a return, not an expansion
        status, score = vectors.get(member.pk, (None, None))
        plan = plans_by_term.get(term.pk)
        for offering in sorted(serving.get(outcome.required_outcome_id, []), key=lambda o: (o.price, o.name)):
            if offering.pk in held[member.pk]:
                continue
            kind = UPSELL if offering.kind == Offering.Kind.DUES_TIER else CROSS_SELL
            if kind == UPSELL and offering.price <= term.dues:
                continue  # a cheaper or equal tier is not expansion
            if status == ON_TRACK and score is not None:
                is_held, reason = False, _why_ready(
                    score=score, outcome=outcome.required_outcome.name, offering=offering, kind=kind, term=term
                )
            else:
                is_held, reason = _why_held(status=status, plan=plan, snapshot_reason=reasons.get(member.pk, ""))
            opportunity = Opportunity(
                member_id=member.pk, member_name=member.name, external_id=member.external_id,
                segment=member.segment.name if member.segment else "", vector_status=status, score=score,
                required_outcome=outcome.required_outcome.name, offering_code=offering.code,
                offering_name=offering.name, offering_kind=offering.get_kind_display(), price=offering.price,
                kind=kind, held_back=is_held, reason=reason, plan=plan,
            )
            if is_held:
                held_back.append(opportunity)
            else:
                # On-track members first, best score first; members with a plan in motion after them.
                rank = (0.0 if status == ON_TRACK else 1.0) * 1000 - (score or 0.0)
                ready.append(((rank, member.name.casefold(), len(ready)), opportunity))
    ready.sort(key=lambda pair: pair[0])
    held_back.sort(key=lambda o: (o.member_name.casefold(), o.offering_name))
    return Expansion(as_of=as_of, run=run, ready=[o for _, o in ready], held_back=held_back)


def _first_reasons(*, run: ScoreRun | None, member_ids: list[int]) -> dict[int, str]:
    """The vector's most important reason, in words, per member."""
    if run is None:
        return {}
    rows = VectorSnapshot.objects.filter(run=run, member_id__in=member_ids)
    return {
        member_id: str(reasons[0])
        for member_id, reasons in rows.values_list("member_id", "reasons")
        if isinstance(reasons, list) and reasons
    }
