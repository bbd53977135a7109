"""Journeys pages: the journeys and their Success Milestones (admins edit, everyone reads), and the member
page's forms to record a desired outcome, change a member's journey and confirm a milestone.

Views only parse the request and call one service; who may do what is in journeys/access.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from membersuccess.journeys.access import may_change_member_journey, may_edit_journeys, may_record_for_member
from membersuccess.journeys.models import Journey, SuccessMilestone
from membersuccess.journeys.rules import MilestoneInputError, describe_rule
from membersuccess.journeys.selectors import imported_kinds, journey_rows, next_milestone
from membersuccess.journeys.services import (
    JourneyError,
    journey_create,
    journey_update,
    member_journey_change,
    milestone_add,
    milestone_confirm,
    milestone_move,
    milestone_remove,
    milestone_update,
)
from membersuccess.members.models import DesiredOutcome, Member
from membersuccess.members.selectors import visible_members
from membersuccess.members.services import DesiredOutcomeError, desired_outcome_record
from membersuccess.web.journey_forms import (
    ConfirmMilestoneForm,
    DesiredOutcomeForm,
    JourneyForm,
    MemberJourneyForm,
    MilestoneForm,
)


def _require_editor(request: HttpRequest) -> None:
    if not may_edit_journeys(request.user):
        raise PermissionDenied("Only admins change journeys and milestones.")


def _add_errors(form: Form, errors: dict[str, str]) -> None:
    """Put each service message next to its field (or above the form when no field has that name)."""
    for name, problem in errors.items():
        message = problem[:1].upper() + problem[1:]
        form.add_error(name if name in form.fields else None, message)


# ---------------------------------------------------------------------------------------------------
# The journeys and their milestones


def journeys(request: HttpRequest) -> HttpResponse:
    """Every journey by required outcome and segment, with its milestones and members."""
    context = {"rows": journey_rows(), "may_edit": may_edit_journeys(request.user)}
    return render(request, "web/journeys/list.html", context)


def journey(request: HttpRequest, pk: int) -> HttpResponse:
    """One journey's milestones in order, each with its due date, grace and achievement rule in words."""
    found = get_object_or_404(Journey.objects.select_related("required_outcome", "segment"), pk=pk)
    steps = [
        {"milestone": m, "rule": describe_rule(m.rule, manual=m.manual), "first": i == 0, "last": False}
        for i, m in enumerate(found.milestones.order_by("order"))
    ]
    if steps:
        steps[-1]["last"] = True
    context = {
        "journey": found,
        "steps": steps,
        "member_count": found.members.count(),
        "may_edit": may_edit_journeys(request.user),
    }
    return render(request, "web/journeys/detail.html", context)


@require_http_methods(["GET", "POST"])
def journey_new(request: HttpRequest) -> HttpResponse:
    """Create a journey (admins)."""
    _require_editor(request)
    form = JourneyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = journey_create(by=request.user, **form.cleaned_data)
        except JourneyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"Journey “{created.name}” created. Add its milestones below.")
            return HttpResponseRedirect(reverse("journey", args=[created.pk]))
    return render(request, "web/journeys/journey_form.html", {"form": form, "journey": None})


@require_http_methods(["GET", "POST"])
def journey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a journey or change its required outcome or segment (admins)."""
    _require_editor(request)
    found = get_object_or_404(Journey, pk=pk)
    form = JourneyForm(request.POST) if request.method == "POST" else JourneyForm.for_journey(found)
    if request.method == "POST" and form.is_valid():
        try:
            journey_update(journey=found, by=request.user, **form.cleaned_data)
        except JourneyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Journey saved.")
            return HttpResponseRedirect(reverse("journey", args=[found.pk]))
    return render(request, "web/journeys/journey_form.html", {"form": form, "journey": found})


def _milestone_page(request: HttpRequest, *, journey: Journey, milestone: SuccessMilestone | None) -> HttpResponse:
    kinds, sources = imported_kinds()
    if request.method == "POST":
        form = MilestoneForm(request.POST)
    else:
        form = MilestoneForm.for_milestone(milestone) if milestone is not None else MilestoneForm()
    if request.method == "POST" and form.is_valid():
        try:
            if milestone is None:
                milestone_add(journey=journey, data=form.to_input(), by=request.user,
                              known_kinds=kinds, known_sources=sources)
            else:
                milestone_update(milestone=milestone, data=form.to_input(), by=request.user,
                                 known_kinds=kinds, known_sources=sources)
        except MilestoneInputError as error:
            _add_errors(form, error.errors)
        else:
            messages.success(request, "Milestone saved. Scoring uses it from the next run.")
            return HttpResponseRedirect(reverse("journey", args=[journey.pk]))
    context = {"form": form, "journey": journey, "milestone": milestone, "known_kinds": sorted(kinds)}
    return render(request, "web/journeys/milestone_form.html", context)


@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a milestone at the end of a journey (admins)."""
    _require_editor(request)
    return _milestone_page(request, journey=get_object_or_404(Journey, pk=pk), milestone=None)


@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a milestone's due date, grace or achievement rule (admins)."""
    _require_editor(request)
    found = get_object_or_404(SuccessMilestone.objects.select_related("journey"), pk=pk)
    return _milestone_page(request, journey=found.journey, milestone=found)


@require_POST
def milestone_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a milestone one place up or down (admins)."""
    _require_editor(request)
    found = get_object_or_404(SuccessMilestone, pk=pk)
    try:
        milestone_move(milestone=found, direction=request.POST.get("direction", ""), by=request.user)
    except JourneyError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("journey", args=[found.journey_id]))


@require_http_methods(["GET", "POST"])
def milestone_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove a milestone and the achievements recorded for it (admins)."""
    _require_editor(request)
    found = get_object_or_404(SuccessMilestone.objects.select_related("journey"), pk=pk)
    if request.method == "POST":
        journey_pk, name = found.journey_id, found.name
        removed = milestone_remove(milestone=found, by=request.user)
        messages.success(
            request, f"Milestone “{name}” removed with {removed} achievement{'' if removed == 1 else 's'}."
        )
        return HttpResponseRedirect(reverse("journey", args=[journey_pk]))
    context = {"milestone": found, "achievements": found.achievements.count()}
    return render(request, "web/journeys/milestone_remove.html", context)


# ---------------------------------------------------------------------------------------------------
# A member's journey, desired outcome and confirmations


def _visible_member(request: HttpRequest, pk: int) -> Member:
    try:
        return visible_members(user=request.user).select_related("journey", "segment").get(pk=pk)
    except Member.DoesNotExist:
        raise Http404("No member with this ID is visible to you.") from None


@require_http_methods(["GET", "POST"])
def member_journey(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a member on another journey, with the reason (admins and Member Success Managers)."""
    member = _visible_member(request, pk)
    if not may_change_member_journey(request.user):
        raise PermissionDenied("Only admins and Member Success Managers change a member's journey.")
    form = MemberJourneyForm(request.POST) if request.method == "POST" else MemberJourneyForm(
        initial={"journey": member.journey}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_journey_change(
                member=member, journey=form.cleaned_data["journey"], reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except JourneyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Journey changed; the audit log records why.")
            return HttpResponseRedirect(reverse("member", args=[member.pk]) + "#journey")
    return render(request, "web/journeys/member_journey.html", {"member": member, "form": form})


@require_http_methods(["GET", "POST"])
def member_desired_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The onboarding form: what the member must achieve and how they want to get there."""
    member = _visible_member(request, pk)
    if not may_record_for_member(request.user):
        raise PermissionDenied("Executives read desired outcomes; staff who work with the member record them.")
    current = DesiredOutcome.objects.filter(member=member, is_current=True).select_related("required_outcome").first()
    form = DesiredOutcomeForm(request.POST) if request.method == "POST" else DesiredOutcomeForm.for_outcome(current)
    if request.method == "POST" and form.is_valid():
        try:
            desired_outcome_record(member=member, by=request.user, **form.values())  # type: ignore[arg-type]
        except DesiredOutcomeError as error:
            _add_errors(form, error.errors)
        else:
            messages.success(request, "Desired outcome recorded.")
            return HttpResponseRedirect(reverse("member", args=[member.pk]) + "#desired-outcome")
    context = {"member": member, "form": form, "current": current}
    return render(request, "web/journeys/desired_outcome_form.html", context)


@require_http_methods(["GET", "POST"])
def member_milestone_confirm(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Confirm a member reached a milestone, with the evidence (anyone working with the member)."""
    member = _visible_member(request, pk)
    if not may_record_for_member(request.user):
        raise PermissionDenied("Executives read milestones; staff who work with the member confirm them.")
    milestone = get_object_or_404(SuccessMilestone, pk=milestone_pk, journey_id=member.journey_id)
    form = ConfirmMilestoneForm(request.POST or None, initial={"achieved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            milestone_confirm(
                member=member, milestone=milestone, achieved_on=form.cleaned_data["achieved_on"],
                evidence=form.cleaned_data["evidence"], by=request.user,
            )
        except JourneyError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"“{milestone.name}” confirmed.")
            return HttpResponseRedirect(reverse("member", args=[member.pk]) + "#journey")
    context = {
        "member": member, "milestone": milestone, "form": form,
        "next": next_milestone(member=member, as_of=timezone.localdate()),
    }
    return render(request, "web/journeys/confirm_milestone.html", context)
