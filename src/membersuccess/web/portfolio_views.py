"""The portfolio dashboard: members by Success Vector status, what changed since last week, and the flags."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from membersuccess.accounts.roles import sees_all_members
from membersuccess.members.selectors import journey_gaps
from membersuccess.scoring.selectors import (
    comparison_run,
    failed_since_latest,
    latest_run,
    low_band_of,
    portfolio_summary,
    portfolio_trend,
    run_in_progress,
    status_changes,
)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Where the user's members stand in the latest scoring run; before any run, how to get one."""
    run = latest_run()
    context: dict[str, object] = {
        "run": run,
        "running": run_in_progress(),
        "failed": failed_since_latest(run=run),
        "sees_all": sees_all_members(request.user),
        "journey_gaps": journey_gaps(user=request.user, as_of=timezone.localdate()),
    }
    if run is not None:
        previous = comparison_run(run=run)
        context.update(
            portfolio=portfolio_summary(user=request.user, run=run),
            changes=None if previous is None else status_changes(user=request.user, run=run, previous=previous),
            trend=portfolio_trend(user=request.user),
            low_band=low_band_of(run),
        )
    return render(request, "web/vector/dashboard.html", context)
