"""The Imports pages: upload a file, the import history with rejects to download, saved column mappings.

Imports change the system of record, so every page here is for the admin role only (there is no
separate data role); everyone else gets 403. An upload is imported within the request, through the
same `run_import` as `msm import`; very large files are better imported with the CLI."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from functools import wraps
from typing import ParamSpec, TypeVar

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from membersuccess.accounts.models import AuditEntry, Role
from membersuccess.accounts.roles import AnyUser, role_of
from membersuccess.ingest.history import (
    RUNS_PER_PAGE,
    first_rejects,
    guarded_rejects_rows,
    import_runs,
    rejects_file,
)
from membersuccess.ingest.mappings import column_mapping_save
from membersuccess.ingest.models import ColumnMapping, ImportRun
from membersuccess.ingest.uploads import UploadError, import_upload
from membersuccess.web.import_forms import ColumnMappingForm, MappingKindForm, UploadForm

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def may_import(user: AnyUser) -> bool:
    """Whether the user may import data and see the import history (the admin role)."""
    return role_of(user) == Role.ADMIN


def import_access_required(view: Callable[P, R]) -> Callable[P, R]:
    """403 for anyone but an admin; the login middleware has already turned away anonymous visitors."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        assert isinstance(request, HttpRequest)
        if not may_import(request.user):
            raise PermissionDenied("Imports are for the admin role.")
        return view(*args, **kwargs)

    return guarded


@import_access_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Upload a file of one kind, optionally through a saved mapping; the recent runs below."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    failed_run: ImportRun | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = import_upload(
                kind=form.cleaned_data["kind"],
                chunks=upload.chunks(),
                original_name=upload.name or "",
                mapping=form.cleaned_data["mapping"],
                by=_user(request),
            )
        except UploadError as exc:
            form.add_error("file", exc.message)
            failed_run = ImportRun.objects.filter(pk=exc.run_id).first() if exc.run_id else None
        else:
            result = outcome.result
            messages.success(
                request,
                f"Imported {outcome.original_name}: {result.rows_read:,} rows read, {result.rows_created:,} created, "
                f"{result.rows_updated:,} updated, {result.rows_unchanged:,} unchanged, "
                f"{result.rows_rejected:,} rejected.",
            )
            return redirect("import_run", pk=outcome.run_id)
    context = {
        "form": form,
        "failed_run": failed_run,
        "recent_runs": list(import_runs()[:5]),
    }
    return render(request, "web/imports/upload.html", context, status=400 if form.errors else 200)


@import_access_required
@require_GET
def import_history(request: HttpRequest) -> HttpResponse:
    """Every import, newest first, paged."""
    page = Paginator(import_runs(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/imports/history.html", {"page": page})


@import_access_required
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its counts, what the importer noted, and its first rejected rows."""
    run = get_object_or_404(import_runs(), pk=pk)
    context = {
        "run": run,
        "rejects": first_rejects(run),
        "rejects_available": rejects_file(run) is not None,
    }
    return render(request, "web/imports/run.html", context)


@import_access_required
@require_GET
def import_rejects(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The run's rejects as a CSV attachment, every cell guarded against formula injection."""
    run = get_object_or_404(ImportRun, pk=pk)
    path = rejects_file(run)
    if path is None:
        raise Http404("This import has no rejects file to download.")
    AuditEntry.objects.create(
        actor=_user(request), action="rejects_downloaded", object_type="import_run", object_id=str(run.pk)
    )
    response = StreamingHttpResponse(_csv_lines(guarded_rejects_rows(path)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-{run.kind}-rejects.csv"'
    return response


class _Echo:
    """A write-only file whose write returns the text, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


@import_access_required
@require_GET
def mappings(request: HttpRequest) -> HttpResponse:
    """The saved column mappings, and the start of a new one."""
    context = {
        "mappings": list(ColumnMapping.objects.select_related("created_by").order_by("kind", "name")),
        "kind_form": MappingKindForm(),
    }
    return render(request, "web/imports/mappings.html", context)


@import_access_required
@require_http_methods(["GET", "POST"])
def mapping_new(request: HttpRequest) -> HttpResponse:
    """A new mapping for the kind chosen on the mappings page."""
    kind_form = MappingKindForm(request.GET)
    if not kind_form.is_valid():
        return redirect("import_mappings")
    kind = kind_form.cleaned_data["kind"]
    form = ColumnMappingForm(request.POST, kind=kind) if request.method == "POST" else ColumnMappingForm(kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            saved = column_mapping_save(
                kind=kind, name=form.cleaned_data["name"], labels=form.labels(), by=_user(request)
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Saved the {kind} mapping “{saved.name}”.")
            return redirect("import_mappings")
    return _mapping_page(request, form, kind=kind, mapping=None)


@import_access_required
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved mapping's name or labels; its kind stays."""
    mapping = get_object_or_404(ColumnMapping, pk=pk)
    if request.method == "POST":
        form = ColumnMappingForm(request.POST, kind=mapping.kind)
        if form.is_valid():
            try:
                column_mapping_save(
                    kind=mapping.kind, name=form.cleaned_data["name"], labels=form.labels(), existing=mapping
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Saved the {mapping.kind} mapping “{mapping.name}”.")
                return redirect("import_mappings")
    else:
        form = ColumnMappingForm(initial=ColumnMappingForm.initial_for(mapping), kind=mapping.kind)
    return _mapping_page(request, form, kind=mapping.kind, mapping=mapping)


@import_access_required
@require_POST
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a saved mapping; past imports keep its name in their record."""
    mapping = get_object_or_404(ColumnMapping, pk=pk)
    name, kind = mapping.name, mapping.kind
    mapping.delete()
    messages.success(request, f"Deleted the {kind} mapping “{name}”.")
    return redirect("import_mappings")


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _mapping_page(
    request: HttpRequest, form: ColumnMappingForm, *, kind: str, mapping: ColumnMapping | None
) -> HttpResponse:
    context = {"form": form, "kind": kind, "mapping": mapping}
    return render(request, "web/imports/mapping_form.html", context, status=400 if form.errors else 200)


def _add_errors(form: ColumnMappingForm, exc: ValidationError) -> None:
    """Errors of the service that the form could not see (a name taken meanwhile) go on the form."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
