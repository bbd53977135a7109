"""The pages: each view parses the request, asks a selector, and renders a template."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from membersuccess.accounts.forms import LoginForm
from membersuccess.accounts.roles import sees_all_members
from membersuccess.members.models import Member
from membersuccess.members.selectors import (
    MEMBERS_PER_PAGE,
    SORT_CHOICES,
    member_360,
    member_counts_by_status,
    members_for_list,
    terms_ending_soon,
)
from membersuccess.plays.panel import member_plays_panel
from membersuccess.potential.selectors import member_fit_at_joining
from membersuccess.renewals.selectors import member_renewal
from membersuccess.scoring.selectors import (
    comparison_run,
    filter_members_by_vector,
    latest_run,
    member_vector,
    with_vector,
)
from membersuccess.web.forms import MemberFilterForm
from membersuccess.web.privacy_views import may_manage_member_data

RENEWAL_WINDOW_DAYS = 90
RENEWALS_SHOWN = 25


@dataclass(frozen=True)
class SortHeader:
    """A sortable column header: the sort it links to and how the column is sorted now."""

    key: str
    label: str
    link_sort: str
    aria_sort: str  # "ascending", "descending" or "none"


def sort_headers(current: str) -> dict[str, SortHeader]:
    """Headers for each sortable column; clicking the sorted column reverses its direction."""
    headers = {}
    for key, label in SORT_CHOICES.items():
        if current == key:
            headers[key] = SortHeader(key, label, f"-{key}", "ascending")
        elif current == f"-{key}":
            headers[key] = SortHeader(key, label, key, "descending")
        else:
            headers[key] = SortHeader(key, label, key, "none")
    return headers


class MemberSuccessLoginView(LoginView):
    """The login page; someone already signed in goes straight on."""

    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm


def home(request: HttpRequest) -> HttpResponse:
    """The start page: members by status and the terms that end soon."""
    today = timezone.localdate()
    status_counts = member_counts_by_status(user=request.user)
    ending = terms_ending_soon(user=request.user, as_of=today, days=RENEWAL_WINDOW_DAYS)
    context = {
        "status_counts": status_counts,
        "member_total": sum(count for _, _, count in status_counts),
        "ending_terms": list(ending[:RENEWALS_SHOWN]),
        "ending_count": ending.count(),
        "renewal_window_days": RENEWAL_WINDOW_DAYS,
        "today": today,
        "sees_all": sees_all_members(request.user),
    }
    return render(request, "web/home.html", context)


def members(request: HttpRequest) -> HttpResponse:
    """The members list: search, filter by segment, status, success status and flag, sort, page."""
    form = MemberFilterForm(request.GET)
    criteria = form.criteria()
    vector_criteria = form.vector_criteria()
    run = latest_run()
    previous = comparison_run(run=run) if run is not None and vector_criteria["was"] else None
    queryset = members_for_list(user=request.user, **criteria)
    queryset = filter_members_by_vector(queryset, run=run, previous=previous, **vector_criteria)
    queryset = with_vector(queryset, run=run)
    vector_filtered = any(vector_criteria.values())
    page = Paginator(queryset, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": criteria["sort"],
        "sort_headers": sort_headers(criteria["sort"]),
        "is_filtered": bool(
            criteria["query"] or criteria["segment"] or criteria["status"] or criteria["journey"] or vector_filtered
        ),
        "vector_run": run,
        "vector_filtered": vector_filtered,
        "was": vector_criteria["was"],
        "was_run": previous,
    }
    return render(request, "web/members/list.html", context)


def member(request: HttpRequest, pk: int) -> HttpResponse:
    """The member 360: profile, desired outcome, journey, interactions, tickets, terms and surveys."""
    try:
        view = member_360(member_id=pk, user=request.user, interaction_page=request.GET.get("page") or 1)
    except Member.DoesNotExist:
        # Members outside the user's portfolio get the same answer as members that do not exist.
        raise Http404("No member with this ID is visible to you.") from None
    context = {"m": view, "member": view.member, "vector": member_vector(member=view.member)}
    context["potential_fit"] = member_fit_at_joining(member=view.member)
    context["plays_panel"] = member_plays_panel(member=view.member, user=request.user, as_of=view.as_of)
    context["renewal"] = member_renewal(member=view.member, as_of=view.as_of)
    context["may_manage_member_data"] = may_manage_member_data(request.user)
    return render(request, "web/members/detail.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring (public, no data)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
