"""POST /api/v1/outreach/check: does an outreach draft carry value for the member?"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from membersuccess.accounts.models import Role
from membersuccess.api.auth import RoleSession, TokenAuth
from membersuccess.api.models import ApiToken
from membersuccess.api.problems import BODY_PROBLEMS
from membersuccess.members.models import Member
from membersuccess.members.selectors import visible_members
from membersuccess.outreach.checks import MAX_DRAFT_CHARS, DraftTooLong, check_draft
from membersuccess.outreach.selectors import UnknownMember, member_by_external_id, outreach_context

router = Router(tags=["outreach"])
# Anyone on staff writes to members; a system with a read token may check drafts too.
OUTREACH_AUTH = [TokenAuth(ApiToken.Scope.READ), RoleSession(*Role.values)]


class DraftIn(Schema):
    text: str = Field(..., description=f"The draft, as plain text (HTML is read as text). At most "
                      f"{MAX_DRAFT_CHARS:,} characters.")
    member_id: str | None = Field(
        None, description="The member's external id: naming their next milestone counts, and the advice names it."
    )


class ValueItemOut(Schema):
    kind: str = Field(..., description="`next_milestone`, `plan` (a step and its date) or `resource_link`.")
    text: str = Field(..., description="What was found, as written in the draft.")


class EmptyPhraseOut(Schema):
    text: str = Field(..., description="The empty contact phrase as written, e.g. “Just checking in”.")
    start: int = Field(..., description="Where it starts in `text` (0-based character offset).")
    end: int = Field(..., description="Where it ends (exclusive).")


class DraftCheckOut(Schema):
    passes: bool = Field(..., description="True when the draft carries at least one value item.")
    reasons: list[str] = Field(..., description="Why it does not pass and what to add; empty when it passes.")
    value_items: list[ValueItemOut]
    empty_phrases: list[EmptyPhraseOut] = Field(..., description="Found even when the draft passes.")


class Problem(Schema):
    detail: str


@router.post(
    "/check",
    response={200: DraftCheckOut, 404: Problem, 413: Problem, **BODY_PROBLEMS},
    auth=OUTREACH_AUTH,
    summary="Check an outreach draft carries value",
    description="A draft passes only when it carries a value item: a resource link (an http(s) URL), a plan "
    "(a step the member takes and its date), or — with `member_id` — the member's next milestone by name. "
    "“Just checking in”, “touch base” and the like, without a value item, are rejected with what to add. "
    "Needs a read token (`Authorization: Bearer msm_...`) or a staff session.",
)
def outreach_check(request: HttpRequest, payload: DraftIn) -> dict[str, Any]:
    context = None
    if payload.member_id is not None:
        # A read token reads every member; a staff member checks drafts for the members they may see.
        caller = getattr(request, "auth", None)
        members = Member.objects.all() if isinstance(caller, ApiToken) else visible_members(user=request.user)
        try:
            member = member_by_external_id(external_id=payload.member_id, members=members)
        except UnknownMember as exc:
            raise HttpError(404, str(exc)) from exc
        context = outreach_context(member=member)
    try:
        result = check_draft(payload.text, member_context=context)
    except DraftTooLong as exc:
        raise HttpError(413, str(exc)) from exc
    return result.as_dict()
