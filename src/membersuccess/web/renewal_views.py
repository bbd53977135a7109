"""Renewal pages: the pipeline and its CSV export. Views parse the request and hand over to renewals selectors."""

from __future__ import annotations

import csv
import io

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry, Team
from membersuccess.exports import spreadsheet_safe
from membersuccess.members.models import Segment
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
from membersuccess.renewals.selectors import expansion_opportunities, renewal_pipeline
from membersuccess.scoring.models import VectorSnapshot

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
