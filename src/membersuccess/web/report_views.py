"""The executive report page and its PDF: read-only, for executives, Member Success Managers and admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from membersuccess.accounts.audit import audit_record
from membersuccess.accounts.roles import AnyUser, sees_all_members
from membersuccess.evidence.report.stored import latest_report


def may_read_report(user: AnyUser) -> bool:
    """The report names members across the whole membership: roles that see every member read it."""
    return sees_all_members(user)


def _require_reader(request: HttpRequest) -> None:
    if not may_read_report(request.user):
        raise PermissionDenied("The executive report is for executives, Member Success Managers and admins.")


@require_GET
def executive_report_page(request: HttpRequest) -> HttpResponse:
    """The report of the latest scoring run, with a link to its PDF; before any run, how to get one."""
    _require_reader(request)
    stored = latest_report()
    return render(request, "web/report/executive.html",
                  {"stored": stored, "fragment": stored.fragment() if stored else ""})


@require_GET
def executive_report_pdf(request: HttpRequest) -> HttpResponseBase:
    """The same report as a PDF download; before any scoring run, the page that says how to get one."""
    _require_reader(request)
    stored = latest_report()
    if stored is None:
        return redirect("report")
    audit_record(action="executive_report_downloaded", actor=request.user, object_type="score_run",
                 object_id=stored.run_id, request=request, detail={"as_of": stored.as_of.isoformat()})
    return FileResponse(stored.pdf_path.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"executive-report-{stored.as_of:%Y-%m-%d}.pdf")
