"""The signals page: what the Success Vector is made of, its versions, and (for admins) editing it.

Everyone signed in may read how the score is computed — an explainable score is one staff can trust —
while only the admin role changes it. Every save, import or restore makes a new version."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from membersuccess.accounts.audit import audit_record
from membersuccess.accounts.models import Role
from membersuccess.accounts.roles import AnyUser, role_of
from membersuccess.engine.params import ScoringParams
from membersuccess.engine.signals import SignalConfigError
from membersuccess.evidence.learn import evidence_summary
from membersuccess.scoring.models import SignalSet
from membersuccess.scoring.selectors import signal_set_by_version, signal_set_versions
from membersuccess.scoring.services import signal_set_active, signal_set_save
from membersuccess.web.signal_forms import (
    AGGREGATION_LABELS,
    EDITABLE_PARAMS,
    SIGNAL_MAIN_FIELDS,
    BaseSignalFormSet,
    ParamsForm,
    SignalForm,
    SignalFormSet,
    SignalsImportForm,
)

VERSIONS_SHOWN = 50
MILESTONE_INPUT_LABEL = "Milestones reached on time"
# "signal 'events_attended', field 'weight': must be ..." — the engine's message names signal and field.
_SIGNAL_ERROR = re.compile(r"^signal '(?P<signal>[^']+)', field '(?P<field>[^']+)': (?P<problem>.+)$")


def may_edit_signals(user: AnyUser) -> bool:
    """Only the admin role changes signals and weights; everyone else reads them."""
    return role_of(user) == Role.ADMIN


def _require_editor(request: HttpRequest) -> None:
    if not may_edit_signals(request.user):
        raise PermissionDenied("Only admins change signals and weights.")


@dataclass(frozen=True)
class InputRow:
    """One input of the vector as the signals page shows it."""

    name: str
    label: str
    what: str
    window_days: int | None
    direction: str
    target: object
    target_from_segment: bool
    weight: float
    share: float  # of the total weight, 0–1
    description: str


def _number(value: object, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def _what(row: Mapping[str, object]) -> str:
    aggregation = str(row.get("aggregation", ""))
    parts = [AGGREGATION_LABELS.get(aggregation, aggregation)]
    for key, word in (("kinds", "kinds"), ("sources", "from")):
        values = row.get(key)
        if isinstance(values, list) and values:
            parts.append(f"{word}: {', '.join(str(v) for v in values)}")
    return " · ".join(parts)


def input_rows(definition: object) -> list[InputRow]:
    """The milestone input and every signal of a definition, with each one's share of the weight."""
    document = definition if isinstance(definition, Mapping) else {}
    signals = [row for row in document.get("signals") or [] if isinstance(row, Mapping)]
    milestone_weight = _number(_params(definition).get("milestone_weight"))
    weights = [milestone_weight, *(_number(row.get("weight")) for row in signals)]
    total = sum(weights) or 1.0
    rows = [
        InputRow(
            name="milestone_position",
            label=MILESTONE_INPUT_LABEL,
            what="Due milestones reached ÷ milestones due on the member's journey",
            window_days=None,
            direction="helps",
            target=1,
            target_from_segment=False,
            weight=milestone_weight,
            share=milestone_weight / total,
            description="The key input: is the member on the path to their required outcome?",
        )
    ]
    for row, weight in zip(signals, weights[1:], strict=True):
        window = row.get("window_days")
        rows.append(
            InputRow(
                name=str(row.get("name", "")),
                label=str(row.get("label", "")),
                what=_what(row),
                window_days=window if isinstance(window, int) else None,
                direction=str(row.get("direction", "")),
                target=row.get("target"),
                target_from_segment=bool(row.get("target_from_segment")),
                weight=weight,
                share=weight / total,
                description=str(row.get("description", "")),
            )
        )
    return rows


def _params(definition: object) -> dict[str, object]:
    """The scoring parameters of a definition, the defaults filling in any it leaves out."""
    params = definition.get("params") if isinstance(definition, Mapping) else None
    return {**asdict(ScoringParams()), **(params if isinstance(params, Mapping) else {})}


def _display(value: object) -> str:
    """A parameter's value as staff read it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _versions() -> list[tuple[SignalSet, str]]:
    """The latest saved versions, newest first, each with the evidence kept beside it in one line."""
    return [(v, evidence_summary(v.evidence)) for v in signal_set_versions()[:VERSIONS_SHOWN]]


def _page_context(request: HttpRequest, signal_set: SignalSet) -> dict[str, object]:
    return {
        "signal_set": signal_set,
        "evidence": evidence_summary(signal_set.evidence),
        "inputs": input_rows(signal_set.definition),
        "params": [(key, _display(value)) for key, value in sorted(_params(signal_set.definition).items())],
        "may_edit": may_edit_signals(request.user),
    }


def signals(request: HttpRequest) -> HttpResponse:
    """The active signals and weights, the saved versions, and the export and import."""
    active = signal_set_active()
    context = _page_context(request, active)
    context.update(
        versions=_versions(),
        import_form=SignalsImportForm() if context["may_edit"] else None,
    )
    return render(request, "web/signals/index.html", context)


def signals_version(request: HttpRequest, version: int) -> HttpResponse:
    """One saved version, read-only, with its export and (for admins) a way back to it."""
    try:
        signal_set = signal_set_by_version(version=version)
    except SignalSet.DoesNotExist:
        raise Http404("No such version of the signals.") from None
    return render(request, "web/signals/version.html", _page_context(request, signal_set))


def signals_export(request: HttpRequest, version: int) -> HttpResponse:
    """A version as the JSON file admins keep, share and import again."""
    try:
        signal_set = signal_set_by_version(version=version)
    except SignalSet.DoesNotExist:
        raise Http404("No such version of the signals.") from None
    body = json.dumps(signal_set.definition, indent=2, ensure_ascii=False) + "\n"
    audit_record(action="signal_set_exported", actor=request.user, object_type="signal_set",
                 object_id=signal_set.version, request=request)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="member-success-signals-v{signal_set.version}.json"'
    return response


def _attach_error(formset: object, message: str) -> bool:
    """Show an engine error next to the field it names; False when it names no field on the form."""
    match = _SIGNAL_ERROR.match(message)
    if match is None:
        return False
    for form in getattr(formset, "forms", []):
        if form.cleaned_data.get("name") == match["signal"] and match["field"] in form.fields:
            form.add_error(match["field"], match["problem"])
            return True
    return False


def _saved(request: HttpRequest, signal_set: SignalSet, how: str) -> HttpResponseRedirect:
    messages.success(
        request,
        f"{how} as version {signal_set.version}, now active. The next scoring run (daily, or msm score) uses it.",
    )
    return HttpResponseRedirect(reverse("signals"))


@require_http_methods(["GET", "POST"])
def signals_edit(request: HttpRequest) -> HttpResponse:
    """Admins edit the signals, their weights and the main parameters; saving makes a new version."""
    _require_editor(request)
    active = signal_set_active()
    params = _params(active.definition)
    error = ""
    if request.method == "POST":
        formset = SignalFormSet(request.POST, prefix="signals")
        params_form = ParamsForm(request.POST)
        assert isinstance(formset, BaseSignalFormSet)
        if formset.is_valid() and params_form.is_valid():
            edited = {key: params_form.cleaned_data[key] for key in EDITABLE_PARAMS}
            definition = {
                "version": active.definition.get("version", 1),
                "signals": formset.rows(),
                "params": {**params, **edited},
            }
            try:
                saved = signal_set_save(
                    definition=definition, created_by=request.user, note=params_form.cleaned_data["note"].strip()
                )
            except SignalConfigError as exc:
                if not _attach_error(formset, str(exc)):
                    error = str(exc)
            else:
                return _saved(request, saved, "Saved")
    else:
        rows = [row for row in active.definition.get("signals") or [] if isinstance(row, Mapping)]
        formset = SignalFormSet(initial=[SignalForm.initial_from(row) for row in rows], prefix="signals")
        params_form = ParamsForm(initial={key: params.get(key) for key in EDITABLE_PARAMS})
    context = {
        "signal_set": active,
        "formset": formset,
        "params_form": params_form,
        "error": error,
        "main_fields": SIGNAL_MAIN_FIELDS,
    }
    return render(request, "web/signals/edit.html", context, status=400 if request.method == "POST" else 200)


@require_POST
def signals_import(request: HttpRequest) -> HttpResponse:
    """Admins import a signals file; it becomes a new active version, or the errors say what to fix."""
    _require_editor(request)
    active = signal_set_active()
    form = SignalsImportForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        document = dict(form.cleaned_data["file"])
        document.setdefault("params", _params(active.definition))
        name = form.file_name
        note = form.cleaned_data["note"].strip() or f"Imported from {name}"
        try:
            saved = signal_set_save(definition=document, created_by=request.user, note=note)
        except SignalConfigError as exc:
            error = f"{name}: {exc}"
        else:
            return _saved(request, saved, f"Imported {name}")
    context = _page_context(request, active)
    context.update(versions=_versions(), import_form=form, import_error=error)
    return render(request, "web/signals/index.html", context, status=400)


@require_POST
def signals_restore(request: HttpRequest, version: int) -> HttpResponse:
    """Admins make an older version active again, as a new version that says where it came from."""
    _require_editor(request)
    try:
        old = signal_set_by_version(version=version)
    except SignalSet.DoesNotExist:
        raise Http404("No such version of the signals.") from None
    try:
        saved = signal_set_save(definition=old.definition, created_by=request.user, note=f"Restored version {version}")
    except SignalConfigError as exc:
        messages.error(request, f"Version {version} cannot be used any more: {exc}")
        return HttpResponseRedirect(reverse("signals_version", args=[version]))
    return _saved(request, saved, f"Restored version {version}")
