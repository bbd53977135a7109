"""/api/v1/potential: send applicants and prospects, read them back with their fit, and the fit model."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, Field

from membersuccess.accounts.models import Role
from membersuccess.api.auth import RoleSession, TokenAuth
from membersuccess.api.models import ApiToken
from membersuccess.api.problems import QUERY_PROBLEMS, InvalidRequest
from membersuccess.ingest.services import import_items
from membersuccess.potential.models import FitBand
from membersuccess.potential.selectors import applicants_with_fit, latest_fit_model

MAX_ITEMS = 5_000
MAX_LIMIT = 500
router = Router(tags=["potential"])
# Applicants come from the membership team's systems (ingest token) or the people who work them.
WRITE_AUTH = [TokenAuth(ApiToken.Scope.INGEST), RoleSession(Role.ADMIN, Role.SUCCESS_MANAGER)]
# Applicants are not members yet: the roles that see the whole membership see them too.
READ_AUTH = [TokenAuth(ApiToken.Scope.READ), RoleSession(Role.ADMIN, Role.SUCCESS_MANAGER, Role.EXECUTIVE)]

Scalar = str | int | float | None


class ApplicantItem(BaseModel):
    """One applicant; the same columns as the `applicants` import file (docs/import-formats.md)."""

    model_config = ConfigDict(extra="allow")
    external_id: Scalar = Field(None, description="Required. Re-sending it updates the applicant.")
    name: Scalar = Field(None, description="Required.")
    applied_on: Scalar = Field(None, description="Required. ISO 8601 date, not in the future.")
    required_outcome: Scalar = Field(None, description="Required. The stated required outcome's code.")
    acquisition_channel: Scalar = Field(None, description="Required. e.g. `referral`, `paid-social`.")
    campaign: Scalar = Field(None, description="Optional campaign, e.g. `autumn-2024`.")
    segment: Scalar = Field(None, description="Optional segment code.")
    kind: Scalar = Field(None, description="`individual` (default) or `organization`.")
    email: Scalar = None
    country: Scalar = Field(None, description="ISO 3166 alpha-2.")
    status: Scalar = Field(None, description="`prospect`, `applied` (default), `accepted`, `declined`, `joined`.")
    attributes: dict[str, Any] | None = Field(None, description="Declared attributes only; extra fields land here.")


# Named apart from the interactions batch: the schema's components are named by class, and two
# classes of one name would document one operation with the other's fields.
class ApplicantBatchIn(Schema):
    items: list[ApplicantItem] = Field(..., description=f"At most {MAX_ITEMS:,} applicants.")


class ApplicantError(Schema):
    index: int = Field(..., description="0-based position of the item in `items`.")
    field: str
    reason: str


class ApplicantBatchOut(Schema):
    received: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[ApplicantError]


class Rejected(Schema):
    detail: str
    errors: list[ApplicantError]


class Problem(Schema):
    detail: str


class ApplicantOut(Schema):
    external_id: str
    name: str
    applied_on: date
    status: str
    required_outcome: str
    acquisition_channel: str
    campaign: str
    segment: str | None
    band: str = Field(..., description="`strong`, `moderate` or `poor`.")
    chance: float | None = Field(..., description="Chance of reaching the first-year milestones; null with no model.")
    reasons: list[str] = Field(..., description="Why, in words: failed criteria first, then the model's reasons.")


class ModelOut(Schema):
    trained_at: datetime
    as_of: date
    cv_auc: float = Field(..., description="Cross-validated AUC: 0.5 is chance, 1 is perfect.")
    cv_auc_spread: float
    folds: int
    members_used: int
    members_reached: int


@router.post(
    "/applicants",
    response={200: ApplicantBatchOut, 400: Problem, 413: Problem, 422: Rejected | InvalidRequest},
    auth=WRITE_AUTH,
    summary="Add or update applicants and prospects",
    description=f"Up to {MAX_ITEMS:,} items a request. Valid items are stored and invalid ones listed in `errors` "
    "with the field and reason; when no item is valid the answer is 422. Needs an ingest token or an admin or "
    "Member Success Manager session.",
)
def applicants_add(request: HttpRequest, payload: ApplicantBatchIn) -> Status[dict[str, Any]]:
    if len(payload.items) > MAX_ITEMS:
        raise HttpError(413, f"{len(payload.items):,} items: at most {MAX_ITEMS:,} are accepted per request")
    caller = getattr(request, "auth", None)
    label = f"API token {caller.name}" if isinstance(caller, ApiToken) else "API session"
    user = None if isinstance(caller, ApiToken) else caller
    items = [item.model_dump(exclude_none=True) for item in payload.items]
    result, errors = import_items(kind="applicants", items=items, label=label, started_by=user)
    errors.sort(key=lambda error: error["index"])
    if items and result.rows_kept == 0:
        first = errors[0] if errors else {"field": "", "reason": "no valid item"}
        detail = f"no applicant was stored: item {first.get('index', 0)}, {first['field']}: {first['reason']}"
        return Status(422, {"detail": detail, "errors": errors})
    return Status(200, {
        "received": len(items),
        "created": result.rows_created,
        "updated": result.rows_updated,
        "unchanged": result.rows_unchanged,
        "rejected": result.rows_rejected,
        "errors": errors,
    })


@router.get(
    "/applicants",
    response={200: list[ApplicantOut], 400: Problem, **QUERY_PROBLEMS},
    auth=READ_AUTH,
    summary="Applicants with their fit band, chance and reasons",
)
def applicants_list(
    request: HttpRequest, band: str = "", channel: str = "", limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    if band and band not in FitBand.values:
        raise HttpError(400, f"unknown band {band!r}; use one of {', '.join(FitBand.values)}")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise HttpError(400, f"limit must be 1–{MAX_LIMIT} and offset 0 or more")
    rows = applicants_with_fit(band=band, channel=channel)[offset : offset + limit]
    return [
        {
            "external_id": row.applicant.external_id,
            "name": row.applicant.name,
            "applied_on": row.applicant.applied_on,
            "status": row.applicant.status,
            "required_outcome": row.applicant.required_outcome.code,
            "acquisition_channel": row.applicant.acquisition_channel,
            "campaign": row.applicant.campaign,
            "segment": row.applicant.segment.code if row.applicant.segment else None,
            "band": row.fit.band,
            "chance": row.fit.chance,
            "reasons": row.fit.reasons,
        }
        for row in rows
    ]


@router.get(
    "/model",
    response={200: ModelOut, 404: Problem},
    auth=READ_AUTH,
    summary="The newest fit model: when it was trained and its cross-validated AUC",
)
def fit_model(request: HttpRequest) -> Status[Any]:
    model = latest_fit_model()
    if model is None:
        return Status(404, {"detail": "no fit model is trained yet (msm potential train, or the fit criteria page)"})
    return Status(200, model)
