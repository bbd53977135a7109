"""Template context shared by every page: the product name, the navigation and who is signed in."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from membersuccess.accounts.roles import may_use_admin, role_label
from membersuccess.web.imports import may_import
from membersuccess.web.potential_views import may_see_potential
from membersuccess.web.report_views import may_read_report

PRODUCT_NAME = "Member Success"


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation; `current` marks the section the page belongs to."""

    label: str
    url: str
    current: bool


# Which named pages belong to which navigation section.
_SECTIONS = {
    "home": {"home"},
    "members": {"members", "member"},
    "tasks": {"tasks", "tasks_team", "task", "plays", "play", "play_new", "play_edit", "saves"},
    "portfolio": {"dashboard"},
    "signals": {"signals", "signals_edit", "signals_import", "signals_version"},
    "report": {"report"},
    "renewals": {"renewals", "renewals_expansion", "renewals_retention"},
    "journeys": {"journeys", "journey", "journey_new", "journey_edit", "milestone_new", "milestone_edit",
                 "milestone_remove"},
}


def navigation(request: HttpRequest) -> dict[str, object]:
    """The header's navigation, marking the current section, with Admin only for admins."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"product_name": PRODUCT_NAME, "nav_items": [], "user_role": ""}
    match = request.resolver_match
    url_name = match.url_name if match else None
    items = [
        NavItem("Home", reverse("home"), url_name in _SECTIONS["home"]),
        NavItem("Portfolio", reverse("dashboard"), url_name in _SECTIONS["portfolio"]),
        NavItem("Members", reverse("members"), url_name in _SECTIONS["members"]),
        NavItem("Tasks", reverse("tasks"), url_name in _SECTIONS["tasks"]),
        NavItem("Signals", reverse("signals"), url_name in _SECTIONS["signals"]),
        NavItem("Journeys", reverse("journeys"), url_name in _SECTIONS["journeys"]),
        NavItem("Renewals", reverse("renewals"), url_name in _SECTIONS["renewals"]),
    ]
    if may_import(user):
        items.append(NavItem("Imports", reverse("imports"), bool(url_name and url_name.startswith("import"))))
    if may_see_potential(user):
        items.append(NavItem("Potential", reverse("potential_applicants"), (url_name or "").startswith("potential")))
    if may_read_report(user):
        items.append(NavItem("Report", reverse("report"), url_name in _SECTIONS["report"]))
    if may_use_admin(user):
        items.append(NavItem("Admin", reverse("admin:index"), False))
    return {"product_name": PRODUCT_NAME, "nav_items": items, "user_role": role_label(user)}
