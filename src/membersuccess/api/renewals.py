"""GET /api/v1/renewals/...: the renewal pipeline and expansion opportunities, for other systems and reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser
from membersuccess.api.auth import RoleSession, TokenAuth
from membersuccess.api.models import ApiToken
from membersuccess.api.problems import QUERY_PROBLEMS
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.pipeline import DEFAULT_SORT, DEFAULT_WINDOW, SORTS, WINDOWS, parse_as_of, parse_window
from membersuccess.renewals.selectors import Opportunity, expansion_opportunities, renewal_pipeline

router = Router(tags=["renewals"])
# Reading: a system with a read token (the whole membership) or anyone on staff (the members they may see).
READ_AUTH = [TokenAuth(ApiToken.Scope.READ), RoleSession(*Role.values)]


class Problem(Schema):
    detail: str


class PipelineQuery(Schema):
    window: str = Field(str(DEFAULT_WINDOW), description=f"Days ahead: one of {', '.join(map(str, WINDOWS))}.")
    status: str = Field("", description="Success Vector status: on_track, drifting, off_track, too_early, unscored.")
    segment: str = Field("", description="A segment code.")
    team: str = Field("", description="A team code: members whose success manager is on it or who have its tasks.")
    sort: str = Field(DEFAULT_SORT, description=f"One of {', '.join(SORTS)}; prefix - for descending.")
    as_of: str = Field("", description="Count the window from this day (YYYY-MM-DD); default today.")


class PlanOut(Schema):
    task_id: int
    status: str = Field(..., description="The success-plan task: open, done or cancelled.")
    held_by: str = Field(..., description="Who holds the task (assignee, else team); empty when nobody does.")
    raised_on: date


class PipelineRowOut(Schema):
    member_id: str = Field(..., description="The member's external id.")
    member: str
    segment: str
    success_manager: str
    term_ends_on: date
    days_left: int
    offering: str
    dues: Decimal
    success_status: str | None = Field(..., description="From the latest scoring run; null when not scored.")
    score: float | None
    renewal_probability: float | None = Field(..., description="Null when there is no history to estimate it.")
    value_at_risk: Decimal | None = Field(..., description="dues × (1 − renewal_probability).")
    plan: PlanOut | None


class ModelOut(Schema):
    method: str
    method_label: str
    decisions: int
    renewals: int
    cross_validated_auc: float | None


class PipelineOut(Schema):
    as_of: date
    window: int
    dues_at_stake: Decimal
    value_at_risk: Decimal
    renewal_model: ModelOut
    rows: list[PipelineRowOut]


def reader(request: HttpRequest) -> AnyUser | None:
    """None (the whole membership) for a read token; the signed-in user otherwise."""
    return None if isinstance(getattr(request, "auth", None), ApiToken) else request.user


@router.get(
    "/pipeline",
    response={200: PipelineOut, 400: Problem, **QUERY_PROBLEMS},
    auth=READ_AUTH,
    summary="Renewal pipeline",
    description="Active membership terms ending within the window, with the member's Success Vector status, "
    "renewal probability, dues at stake, value at risk and whether a success plan is in motion. "
    "Needs a read token or a staff session (staff see the members they work with).",
)
def pipeline(request: HttpRequest, query: Query[PipelineQuery]) -> PipelineOut:
    try:
        result = renewal_pipeline(
            as_of=parse_as_of(query.as_of, default=timezone.localdate()), user=reader(request),
            window=parse_window(query.window), status=query.status, segment=query.segment, team=query.team,
            sort=query.sort,
        )
    except RenewalError as error:
        raise HttpError(400, str(error)) from error
    model = result.model
    return PipelineOut(
        as_of=result.as_of,
        window=result.window,
        dues_at_stake=result.dues_at_stake,
        value_at_risk=result.value_at_risk,
        renewal_model=ModelOut(
            method=model.method, method_label=model.method_label, decisions=model.decisions,
            renewals=model.renewals, cross_validated_auc=model.cross_validated_auc,
        ),
        rows=[
            PipelineRowOut(
                member_id=row.external_id, member=row.member_name, segment=row.segment,
                success_manager=row.success_manager, term_ends_on=row.ends_on, days_left=row.days_left,
                offering=row.offering, dues=row.dues, success_status=row.vector_status, score=row.score,
                renewal_probability=row.probability, value_at_risk=row.value_at_risk,
                plan=None if row.plan is None else PlanOut(
                    task_id=row.plan.task_id, status=row.plan.status, held_by=row.plan.assignee,
                    raised_on=row.plan.raised_on,
                ),
            )
            for row in result.rows
        ],
    )


class OpportunityOut(Schema):
    member_id: str = Field(..., description="The member's external id.")
    member: str
    segment: str
    success_status: str | None
    score: float | None
    required_outcome: str = Field(..., description="What the member is trying to achieve.")
    offering: str = Field(..., description="The offering's code.")
    offering_name: str
    kind: str = Field(..., description="`upsell` (a higher membership tier) or `cross_sell`.")
    price: Decimal
    held_back: bool
    reason: str = Field(..., description="Why it is ready, or why it is held back, in words.")


class ExpansionOut(Schema):
    as_of: date
    ready: list[OpportunityOut] = Field(..., description="Best prepared first: on track, highest score.")
    held_back: list[OpportunityOut]


class ExpansionQuery(Schema):
    as_of: str = Field("", description="As of this day (YYYY-MM-DD); default today.")


def _opportunity(o: Opportunity) -> OpportunityOut:
    return OpportunityOut(
        member_id=o.external_id, member=o.member_name, segment=o.segment, success_status=o.vector_status,
        score=o.score, required_outcome=o.required_outcome, offering=o.offering_code,
        offering_name=o.offering_name, kind=o.kind, price=o.price, held_back=o.held_back, reason=o.reason,
    )


@router.get(
    "/expansion",
    response={200: ExpansionOut, 400: Problem, **QUERY_PROBLEMS},
    auth=READ_AUTH,
    summary="Expansion opportunities",
    description="Offerings that serve each member's desired outcome and that they do not have: ready for "
    "members on track, held back (with the reason) for members who are not, until a success plan is in motion. "
    "Needs a read token or a staff session (staff see the members they work with).",
)
def expansion(request: HttpRequest, query: Query[ExpansionQuery]) -> ExpansionOut:
    try:
        result = expansion_opportunities(
            as_of=parse_as_of(query.as_of, default=timezone.localdate()), user=reader(request)
        )
    except RenewalError as error:
        raise HttpError(400, str(error)) from error
    return ExpansionOut(
        as_of=result.as_of,
        ready=[_opportunity(o) for o in result.ready],
        held_back=[_opportunity(o) for o in result.held_back],
    )
