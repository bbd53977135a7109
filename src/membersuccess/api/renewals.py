"""GET /api/v1/renewals/...: the renewal pipeline (and expansion opportunities) for other systems and reports."""

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
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.pipeline import DEFAULT_SORT, DEFAULT_WINDOW, SORTS, WINDOWS, parse_as_of, parse_window
from membersuccess.renewals.selectors import renewal_pipeline

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
    response={200: PipelineOut, 400: Problem},
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
