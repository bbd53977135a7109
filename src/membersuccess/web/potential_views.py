"""Success Potential pages: applicants with their fit, adding an applicant, the fit criteria and
model (admins edit and train), and the report on fit by acquisition channel and campaign.

Applicants are not members yet; the roles that see the whole membership see them. Executives read;
admins and Member Success Managers add applicants; only admins change criteria or train the model."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser, role_of
from membersuccess.potential.fit import MIN_USEFUL_AUC, feature_label
from membersuccess.potential.forms import ApplicantFilterForm, ApplicantForm, CriterionForm
from membersuccess.potential.models import DeclaredAttribute, FitCriterion
from membersuccess.potential.selectors import (
    AcquisitionRow,
    applicant_channels,
    applicants_with_fit,
    criteria_rows,
    latest_fit_model,
    potential_report,
)
from membersuccess.potential.services import (
    PotentialError,
    applicant_create,
    criterion_create,
    criterion_set_active,
    fit_model_train,
)
from membersuccess.web.charts import BarPart, stacked_bar

APPLICANTS_PER_PAGE = 50
WEIGHTS_SHOWN = 8


def may_see_potential(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMIN, Role.SUCCESS_MANAGER, Role.EXECUTIVE)


def may_add_applicants(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMIN, Role.SUCCESS_MANAGER)


def may_edit_criteria(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMIN


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@require_GET
def applicants(request: HttpRequest) -> HttpResponse:
    """Applicants and prospects, newest first, each with its fit band and reasons."""
    _require(may_see_potential(request.user), "Applicants are for admins, managers and executives.")
    form = ApplicantFilterForm(request.GET, channels=applicant_channels())
    band = channel = ""
    if form.is_valid():
        band, channel = form.cleaned_data["band"], form.cleaned_data["channel"]
    rows = applicants_with_fit(band=band, channel=channel)
    context = {
        "form": form,
        "page": Paginator(rows, APPLICANTS_PER_PAGE).get_page(request.GET.get("page")),
        "is_filtered": bool(band or channel),
        "model": latest_fit_model(),
        "min_useful_auc": MIN_USEFUL_AUC,
        "may_add": may_add_applicants(request.user),
    }
    return render(request, "web/potential/applicants.html", context)


@require_http_methods(["GET", "POST"])
def applicant_new(request: HttpRequest) -> HttpResponse:
    """Record one applicant or prospect; errors show next to the field."""
    _require(may_add_applicants(request.user), "Only admins and Member Success Managers add applicants.")
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = applicant_create(**form.cleaned_data)
        except PotentialError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{applicant.name} was added.")
            return HttpResponseRedirect(reverse("potential_applicants"))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/potential/applicant_form.html", {"form": form}, status=status)


@dataclass(frozen=True)
class WeightRow:
    label: str
    value: str
    weight: float


def _weight_rows(weights: dict[str, float]) -> list[WeightRow]:
    labels = dict(DeclaredAttribute.objects.values_list("name", "label"))
    ranked = sorted(weights.items(), key=lambda item: -abs(item[1]))[:WEIGHTS_SHOWN]
    rows = []
    for key, weight in ranked:
        name, value = key.split("=", 1)
        rows.append(WeightRow(feature_label(name, attribute_labels=labels), value, weight))
    return rows


def _criteria_page(request: HttpRequest, *, form: CriterionForm, status: int = 200) -> HttpResponse:
    model = latest_fit_model()
    context = {
        "rows": criteria_rows(),
        "form": form,
        "model": model,
        "weights": _weight_rows(model.weights) if model else [],
        "min_useful_auc": MIN_USEFUL_AUC,
        "attributes": list(DeclaredAttribute.objects.all()),
        "may_edit": may_edit_criteria(request.user),
    }
    return render(request, "web/potential/criteria.html", context, status=status)


@require_GET
def criteria(request: HttpRequest) -> HttpResponse:
    """The fit criteria in words and the learned model with its cross-validated AUC."""
    _require(may_see_potential(request.user), "Fit criteria are for admins, managers and executives.")
    return _criteria_page(request, form=CriterionForm())


@require_POST
def criterion_add(request: HttpRequest) -> HttpResponse:
    _require(may_edit_criteria(request.user), "Only admins change the fit criteria.")
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            criterion_create(**form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except PotentialError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The criterion was added; it applies to every fit from now on.")
            return HttpResponseRedirect(reverse("potential_criteria"))
    return _criteria_page(request, form=form, status=400)


@require_POST
def criterion_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require(may_edit_criteria(request.user), "Only admins change the fit criteria.")
    criterion = get_object_or_404(FitCriterion, pk=pk)
    criterion_set_active(criterion, active=not criterion.is_active, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Criterion {'switched on' if criterion.is_active else 'switched off'}.")
    return HttpResponseRedirect(reverse("potential_criteria"))


@require_POST
def train(request: HttpRequest) -> HttpResponse:
    _require(may_edit_criteria(request.user), "Only admins train the fit model.")
    try:
        model = fit_model_train(by=request.user)  # type: ignore[arg-type]
    except PotentialError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The fit model was trained: cross-validated AUC {model.cv_auc:.2f}.")
    return HttpResponseRedirect(reverse("potential_criteria"))


@dataclass(frozen=True)
class ChartRow:
    row: AcquisitionRow
    parts: list[BarPart]


def _chart(rows: list[AcquisitionRow]) -> list[ChartRow]:
    return [
        ChartRow(row, stacked_bar([("strong", "Strong", row.strong), ("moderate", "Moderate", row.moderate),
                                   ("poor", "Poor", row.poor)]))
        for row in rows
    ]


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Poor-fit share of acquisitions by channel and campaign; how strong- and poor-fit members did."""
    _require(may_see_potential(request.user), "The Success Potential report is for admins, managers and executives.")
    found = potential_report()
    context = {
        "report": found,
        "channels": _chart(found.by_channel),
        "campaigns": _chart(found.by_campaign),
        "min_useful_auc": MIN_USEFUL_AUC,
        "may_train": may_edit_criteria(request.user),
    }
    return render(request, "web/potential/report.html", context)
