"""Renewal pages: the pipeline and its CSV export, expansion readiness, and recording renewals and lapses.

Views parse the request and hand over to the renewals selectors and services."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry, Role, Team
from membersuccess.accounts.roles import AnyUser, role_of
from membersuccess.exports import spreadsheet_safe
from membersuccess.members.models import Member, Segment
from membersuccess.members.selectors import visible_members
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.pipeline import (
    DEFAULT_SORT,
    DEFAULT_WINDOW,
    SORTS,
    UNSCORED,
    WINDOWS,
    Pipeline,
    parse_as_of,
    parse_sort,
    parse_window,
)
from membersuccess.renewals.retention import BY_CHOICES
from membersuccess.renewals.selectors import (
    MemberRenewal,
    Retention,
    expansion_opportunities,
    member_renewal,
    renewal_pipeline,
    retention,
)
from membersuccess.renewals.services import record_lapse, record_renewal, record_return
from membersuccess.scoring.models import VectorSnapshot
from membersuccess.web.renewal_forms import LapseForm, NextTermForm, ReturnForm

ROWS_PER_PAGE = 50
CSV_COLUMNS = [
    "member_id", "member", "segment", "success_manager", "term_ends_on", "days_left", "offering", "dues",
    "success_status", "score", "renewal_probability", "value_at_risk", "plan_status", "plan_held_by",
]


def _pipeline_from(request: HttpRequest) -> tuple[Pipeline | None, dict[str, str], dict[str, str]]:
    """The pipeline the query string asks for, the criteria as given, and errors by field."""
    given = {key: request.GET.get(key, "").strip() for key in ("window", "status", "segment", "team", "sort", "as_of")}
    errors: dict[str, str] = {}
    try:
        as_of = parse_as_of(given["as_of"], default=timezone.localdate())
        window = parse_window(given["window"])
        sort = parse_sort(given["sort"])
        pipeline = renewal_pipeline(
            as_of=as_of, user=request.user, window=window, status=given["status"],
            segment=given["segment"], team=given["team"], sort=sort,
        )
    except RenewalError as error:
        errors[error.field or "window"] = str(error)
        return None, given, errors
    return pipeline, given, errors


def pipeline(request: HttpRequest) -> HttpResponse:
    """Members whose term ends in the next 30/60/90/180 days, with success status, probability and money."""
    result, given, errors = _pipeline_from(request)
    page = Paginator(result.rows if result else [], ROWS_PER_PAGE).get_page(request.GET.get("page"))
    sort = given["sort"] or DEFAULT_SORT
    context = {
        "pipeline": result,
        "page": page,
        "given": given,
        "errors": errors,
        "windows": WINDOWS,
        "window": given["window"] or str(DEFAULT_WINDOW),
        "statuses": [*VectorSnapshot.Status.choices, (UNSCORED, "Not scored")],
        "segments": Segment.objects.order_by("name"),
        "teams": Team.objects.order_by("name"),
        "sorts": [(key, label) for key, label in SORTS.items()],
        "sort": sort,
        "is_filtered": bool(given["status"] or given["segment"] or given["team"]),
    }
    return render(request, "web/renewals/pipeline.html", context, status=400 if errors else 200)


def pipeline_csv(request: HttpRequest) -> HttpResponse:
    """The pipeline as it is filtered and sorted on the page, as CSV guarded against formula injection."""
    result, _given, errors = _pipeline_from(request)
    if result is None:
        return HttpResponse("; ".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        writer.writerow([spreadsheet_safe(str(cell)) for cell in (
            row.external_id, row.member_name, row.segment, row.success_manager, row.ends_on.isoformat(),
            row.days_left, row.offering, row.dues, row.vector_status or UNSCORED,
            "" if row.score is None else f"{row.score:.1f}",
            "" if row.probability is None else f"{row.probability:.3f}",
            "" if row.value_at_risk is None else row.value_at_risk,
            row.plan.status if row.plan else "", row.plan.assignee if row.plan else "",
        )])
    AuditEntry.objects.create(
        actor=request.user if request.user.is_authenticated else None, action="renewal_pipeline_exported",
        object_type="renewal_pipeline", detail={"rows": len(result.rows), "window": result.window,
                                                "as_of": result.as_of.isoformat()},
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="renewal-pipeline-{result.as_of.isoformat()}-{result.window}d.csv"'
    )
    return response


def expansion(request: HttpRequest) -> HttpResponse:
    """Offerings that serve members' desired outcomes: ready for members on track, held back for the rest."""
    errors: dict[str, str] = {}
    result = None
    try:
        as_of = parse_as_of(request.GET.get("as_of", "").strip(), default=timezone.localdate())
        result = expansion_opportunities(as_of=as_of, user=request.user)
    except RenewalError as error:
        errors[error.field or "as_of"] = str(error)
    context = {
        "expansion": result,
        "errors": errors,
        "ready": Paginator(result.ready if result else [], ROWS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "web/renewals/expansion.html", context, status=400 if errors else 200)


def may_record(user: AnyUser) -> bool:
    """Whether the user may record renewals and lapses: anyone on staff but executives, who read."""
    role = role_of(user)
    return role is not None and role != Role.EXECUTIVE


def member_renewal_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a renewal (or upgrade, downgrade), a lapse, or a return for one member."""
    member = get_object_or_404(visible_members(user=request.user), pk=pk)
    allowed = may_record(request.user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied("Executives read renewals; someone on staff records them.")
    renewal = member_renewal(member=member, as_of=timezone.localdate())
    action = request.POST.get("action", "") if request.method == "POST" else ""
    renew_form = NextTermForm(request.POST if action == "renew" else None, prefix="renew")
    lapse_form = LapseForm(request.POST if action == "lapse" else None, prefix="lapse")
    return_form = ReturnForm(request.POST if action == "return" else None, prefix="return")
    if request.method == "POST":
        try:
            done = _record(action=action, request=request, member=member, renewal=renewal,
                           forms=(renew_form, lapse_form, return_form))
        except RenewalError as error:
            form = {"renew": renew_form, "lapse": lapse_form, "return": return_form}.get(action)
            if form is None:
                return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if done:
                messages.success(request, done)
                return redirect("member", pk=member.pk)
    context = {
        "member": member, "renewal": renewal, "may_record": allowed,
        "renew_form": renew_form, "lapse_form": lapse_form, "return_form": return_form,
    }
    invalid = request.method == "POST"
    return render(request, "web/renewals/record.html", context, status=400 if invalid else 200)


def _record(
    *, action: str, request: HttpRequest, member: Member, renewal: MemberRenewal,
    forms: tuple[NextTermForm, LapseForm, ReturnForm],
) -> str:
    """Run the write the form asks for; returns the message to show, or "" when a form is invalid."""
    renew_form, lapse_form, return_form = forms
    if action not in ("renew", "lapse", "return"):
        raise RenewalError(f"unknown action {action!r}; use renew, lapse or return")
    if action in ("renew", "lapse") and renewal.term is None:
        raise RenewalError(f"{member.name} has no active term to record an outcome for", field="__all__")
    if action == "renew" and renewal.term is not None:
        if not renew_form.is_valid():
            return ""
        new = record_renewal(term=renewal.term, by=request.user, next_term=renew_form.next_term())
        renewal.term.refresh_from_db()
        return (f"Recorded: {renewal.term.get_status_display().lower()} — the new term runs "
                f"{new.start_on:%-d %b %Y} to {new.end_on:%-d %b %Y}.")
    if action == "lapse" and renewal.term is not None:
        if not lapse_form.is_valid():
            return ""
        data = lapse_form.cleaned_data
        term = record_lapse(term=renewal.term, by=request.user, reason=data["reason"],
                            cancelled=data["outcome"] == "cancelled")
        return f"Recorded: the term ending {term.end_on:%-d %b %Y} {term.get_status_display().lower()}."
    if not return_form.is_valid():
        return ""
    new = record_return(member=member, by=request.user, next_term=return_form.next_term())
    return f"Recorded: {member.name} is back, from {new.start_on:%-d %b %Y}."


def retention_page(request: HttpRequest) -> HttpResponse:
    """Gross and net revenue retention and member retention over a period, overall and by a grouping."""
    today = timezone.localdate()
    given = {key: request.GET.get(key, "").strip() for key in ("start", "end", "by")}
    errors: dict[str, str] = {}
    overall: list[Retention] = []
    groups: list[Retention] = []
    start = end = None
    try:
        end = parse_date(given["end"], default=today, field="end")
        start = parse_date(given["start"], default=a_year_before(end), field="start")
        overall = retention(start=start, end=end)
        groups = retention(start=start, end=end, by=given["by"] or "status")
    except RenewalError as error:
        errors[error.field or "start"] = str(error)
    context = {
        "given": given, "errors": errors, "start": start, "end": end, "overall": overall[0] if overall else None,
        "groups": groups, "by": given["by"] or "status", "by_choices": BY_CHOICES,
    }
    return render(request, "web/renewals/retention.html", context, status=400 if errors else 200)


def parse_date(raw: str, *, default: date, field: str) -> date:
    """An ISO date from the query string, with the field named in the error."""
    try:
        return parse_as_of(raw, default=default)
    except RenewalError as error:
        raise RenewalError(str(error), field=field) from None


def a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return date(day.year - 1, 2, 28)
