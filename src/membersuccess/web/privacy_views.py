"""A member's data on request, for the admin role: download everything about them, or erase it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser, role_of
from membersuccess.members.models import Member
from membersuccess.members.privacy import (
    MAX_REASON_CHARS,
    PrivacyError,
    export_json,
    member_data_export,
    member_erase,
)


def may_manage_member_data(user: AnyUser) -> bool:
    """Whether the user may export or erase a member's data on request (the admin role)."""
    return role_of(user) == Role.ADMIN


def _require_admin(request: HttpRequest) -> None:
    if not may_manage_member_data(request.user):
        raise PermissionDenied("Exporting and erasing a member's data is for the admin role.")


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label="Type the member's ID to confirm", max_length=64,
        help_text="Erasing cannot be undone.",
    )
    reason = forms.CharField(
        label="Reason", max_length=MAX_REASON_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. the request's reference and date. Kept in the audit log: do not name the person.",
    )

    def __init__(self, *args: object, member: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member

    def clean_confirm(self) -> str:
        typed = str(self.cleaned_data["confirm"]).strip()
        if typed != self.member.external_id:
            raise forms.ValidationError(f"Type {self.member.external_id} exactly to confirm the erasure.")
        return typed


@require_GET
def member_data_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the member as one JSON download, recorded in the audit log."""
    _require_admin(request)
    member = get_object_or_404(Member, pk=pk)
    document = member_data_export(member, by=request.user, request=request)
    response = HttpResponse(export_json(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="member-{member.pk}-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def member_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm with the member's ID typed out and a reason, then erase the member for good."""
    _require_admin(request)
    member = get_object_or_404(Member, pk=pk)
    form = EraseForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = member_erase(member, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except PrivacyError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                f"Member {form.cleaned_data['confirm']} and {sum(erasure.erased.values()) - 1:,} records about them "
                f"were erased (audit entry {erasure.audit_entry_id}).",
            )
            return redirect("members")
    counts = {
        "interactions": member.interactions.count(), "tickets": member.tickets.count(),
        "surveys": member.survey_responses.count(), "contacts": member.contacts.count(),
        "terms": member.terms.count(), "tasks": member.tasks.count(),
    }
    return render(request, "web/members/erase.html", {"member": member, "form": form, "counts": counts})
