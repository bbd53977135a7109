"""POST /api/v1/interactions/batch: push interactions from another system, idempotently."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, Field

from membersuccess.api.auth import INGEST_AUTH
from membersuccess.api.models import ApiToken
from membersuccess.api.problems import BODY_PROBLEMS
from membersuccess.ingest.services import import_items

MAX_ITEMS = 10_000
router = Router(tags=["interactions"])

Scalar = str | int | float | None


class InteractionItem(BaseModel):
    """One interaction; the same columns as the `interactions` import file (docs/import-formats.md)."""

    model_config = ConfigDict(extra="allow")
    external_id: Scalar = Field(None, description="Required. Unique within `source`; re-sending it adds nothing.")
    source: Scalar = Field(None, description="Required. The system it came from, e.g. `events`.")
    member_id: Scalar = Field(None, description="Required. The member's external id.")
    kind: Scalar = Field(None, description="Required. e.g. `event_attended`, `course_completed`, `login`.")
    occurred_at: Scalar = Field(None, description="Required. ISO 8601 timestamp; no zone means the org's zone.")
    value: Scalar = Field(None, description="Optional number ≥ 0, e.g. CE credits or an amount.")
    attributes: dict[str, Any] | None = Field(None, description="Optional JSON object; extra fields land here too.")


class BatchIn(Schema):
    items: list[InteractionItem] = Field(..., description=f"At most {MAX_ITEMS:,} interactions.")


class ItemError(Schema):
    index: int = Field(..., description="0-based position of the item in `items`.")
    field: str
    reason: str


class BatchOut(Schema):
    received: int
    created: int
    unchanged: int = Field(..., description="Already stored (same source and external_id): nothing added.")
    rejected: int
    errors: list[ItemError]


class TooLarge(Schema):
    detail: str


@router.post(
    "/batch",
    response={200: BatchOut, 413: TooLarge, **BODY_PROBLEMS},
    auth=INGEST_AUTH,
    summary="Add a batch of interactions",
    description=f"Up to {MAX_ITEMS:,} items a request. Valid items are stored, invalid ones are listed in "
    "`errors` with the reason; sending the same batch again adds nothing. Needs an ingest token "
    "(`Authorization: Bearer msm_...`) or an admin session.",
)
def interactions_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    if len(payload.items) > MAX_ITEMS:
        raise HttpError(413, f"{len(payload.items):,} items: at most {MAX_ITEMS:,} are accepted per request")
    caller = getattr(request, "auth", None)
    label = f"API token {caller.name}" if isinstance(caller, ApiToken) else "API session"
    user = None if isinstance(caller, ApiToken) else caller
    items = [item.model_dump(exclude_none=True) for item in payload.items]
    result, errors = import_items(kind="interactions", items=items, label=label, started_by=user)
    return {
        "received": len(items),
        "created": result.rows_created,
        "unchanged": result.rows_unchanged,
        "rejected": result.rows_rejected,
        "errors": errors,
    }
