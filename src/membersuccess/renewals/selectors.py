"""Reads on renewals and expansion, for pages, the API and reports. Every function is keyword-only.

`user=None` reads the whole membership (reports, commands); with a user, only the members they may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from membersuccess.accounts.roles import AnyUser
from membersuccess.members.models import Member, MembershipTerm
from membersuccess.renewals.expansion import Expansion, Opportunity, expansion_opportunities
from membersuccess.renewals.pipeline import (
    DEFAULT_WINDOW,
    UNSCORED,
    Pipeline,
    PipelineRow,
    PlanState,
    plan_states,
    renewal_pipeline,
)
from membersuccess.renewals.probability import RenewalModel, renewal_model
from membersuccess.renewals.retention import Retention, retention

__all__ = [
    "Expansion",
    "MemberRenewal",
    "Opportunity",
    "Pipeline",
    "PipelineRow",
    "PlanState",
    "RenewalModel",
    "Retention",
    "ValueAtRisk",
    "expansion_opportunities",
    "member_renewal",
    "renewal_model",
    "renewal_pipeline",
    "retention",
    "value_at_risk",
]


@dataclass(frozen=True)
class ValueAtRisk:
    """Terms ending in the window for members of one Success Vector status, and the money on them."""

    status: str  # a VectorSnapshot status or "unscored"
    terms: int
    dues_at_stake: Decimal
    value_at_risk: Decimal  # over terms whose renewal probability is known
    unknown_probability: int


def value_at_risk(*, as_of: date, window: int = DEFAULT_WINDOW, user: AnyUser | None = None) -> list[ValueAtRisk]:
    """Dues at stake and value at risk (dues × (1 − probability)) by Success Vector status, worst status first."""
    pipeline = renewal_pipeline(as_of=as_of, window=window, user=user, sort="status")
    groups: dict[str, list[PipelineRow]] = defaultdict(list)
    for row in pipeline.rows:
        groups[row.vector_status or UNSCORED].append(row)
    return [
        ValueAtRisk(
            status=status,
            terms=len(rows),
            dues_at_stake=sum((r.dues for r in rows), Decimal("0.00")),
            value_at_risk=sum((r.value_at_risk for r in rows if r.value_at_risk is not None), Decimal("0.00")),
            unknown_probability=sum(1 for r in rows if r.probability is None),
        )
        for status, rows in groups.items()
    ]


@dataclass(frozen=True)
class MemberRenewal:
    """What the member 360 shows about renewal: the term up for renewal, its success plan, the last outcome."""

    term: MembershipTerm | None  # the member's active term that ends first
    days_left: int | None
    plan: PlanState | None
    last_decided: MembershipTerm | None  # the latest term whose outcome is recorded


def member_renewal(*, member: Member, as_of: date) -> MemberRenewal:
    """The member's renewal at a glance (the caller has already checked the member is visible)."""
    term = (
        member.terms.filter(status=MembershipTerm.Status.ACTIVE).select_related("offering").order_by("end_on").first()
    )
    plans = plan_states(term_ids=[term.pk]) if term else {}
    last_decided = (
        member.terms.exclude(status=MembershipTerm.Status.ACTIVE).select_related("offering")
        .order_by("-end_on", "-pk").first()
    )
    return MemberRenewal(
        term=term,
        days_left=(term.end_on - as_of).days if term else None,
        plan=plans.get(term.pk) if term else None,
        last_decided=last_decided,
    )
