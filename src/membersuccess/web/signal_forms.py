"""Forms of the signals page: one form per signal, the scoring parameters, the import file."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator

from membersuccess.engine.signals import AGGREGATIONS, DIRECTIONS

MAX_SIGNALS_FILE_BYTES = 256 * 1024

AGGREGATION_LABELS = {
    "count": "Count of interactions",
    "sum": "Sum of interaction values",
    "distinct_days": "Distinct days with an interaction",
    "days_since_last": "Days since the last interaction",
    "open_tickets": "Open support tickets",
    "tickets_opened": "Support tickets opened",
    "median_resolution_hours": "Median ticket resolution (hours)",
}
DIRECTION_LABELS = {"helps": "Helps (more is better)", "hurts": "Hurts (more is worse)"}

# The parameters staff tune most; the others are kept as they are when saving.
EDITABLE_PARAMS: dict[str, tuple[str, str]] = {
    "milestone_weight": ("Milestone position weight", "Weight of the share of due milestones reached on time."),
    "low_band": ("Low band", "Off track when the score is below this (0–100)."),
    "drift_delta": ("Drift threshold", "Drifting when the score fell by more than this over 30 days."),
    "quiet_days": ("Quiet after (days)", "Flag a member quiet after this many days without any interaction."),
}


# Shown for every signal on the edit page; the rest (what it counts) folds away until needed.
SIGNAL_MAIN_FIELDS = ("label", "weight", "target", "window_days", "direction")


def _codes(text: str) -> list[str]:
    """ "events, lms" → ["events", "lms"]."""
    return [part.strip() for part in re.split(r"[,\n]", text) if part.strip()]


class SignalForm(forms.Form):
    """One signal of the Success Vector as admins edit it."""

    name = forms.CharField(
        label="Code",
        max_length=60,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", "Use lowercase letters, digits and _, from a letter.")],
        help_text="Stable identifier, e.g. events_attended.",
    )
    label = forms.CharField(label="Label", max_length=120, help_text="The words staff read, e.g. “events attended”.")
    description = forms.CharField(label="Description", required=False, max_length=500)
    aggregation = forms.ChoiceField(
        label="Aggregation", choices=[("", "Choose…"), *((a, AGGREGATION_LABELS.get(a, a)) for a in AGGREGATIONS)]
    )
    sources = forms.CharField(label="Sources", required=False, help_text="Comma-separated; empty: every source.")
    kinds = forms.CharField(
        label="Kinds", required=False, help_text="Comma-separated interaction kinds (ticket signals: severities)."
    )
    window_days = forms.IntegerField(label="Window (days)", min_value=1, max_value=3650)
    # A blank first choice keeps the empty "add a signal" row unchanged until someone fills it in.
    direction = forms.ChoiceField(
        label="Direction", choices=[("", "Choose…"), *((d, DIRECTION_LABELS.get(d, d)) for d in DIRECTIONS)]
    )
    target = forms.FloatField(
        label="Target or limit", help_text="Helps: the value that counts fully. Hurts: the limit."
    )
    target_from_segment = forms.BooleanField(label="Target from the member's segment", required=False)
    weight = forms.FloatField(label="Weight", min_value=0)

    @classmethod
    def initial_from(cls, row: Mapping[str, object]) -> dict[str, object]:
        """Form values for a signal as stored in a definition."""
        initial = {key: row.get(key) for key in cls.base_fields}
        for key in ("sources", "kinds"):
            values = row.get(key)
            initial[key] = ", ".join(str(v) for v in values) if isinstance(values, list | tuple) else ""
        return initial

    def to_row(self) -> dict[str, object]:
        """The signal as a definition stores it."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "label": data["label"].strip(),
            "aggregation": data["aggregation"],
            "window_days": data["window_days"],
            "direction": data["direction"],
            "target": data["target"],
            "weight": data["weight"],
            "sources": _codes(data.get("sources") or ""),
            "kinds": _codes(data.get("kinds") or ""),
            "target_from_segment": bool(data.get("target_from_segment")),
            "description": (data.get("description") or "").strip(),
        }


class BaseSignalFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names: set[str] = set()
        kept = 0
        for form in self.forms:
            if not self._kept(form):
                continue
            kept += 1
            name = form.cleaned_data.get("name")
            if name in names:
                form.add_error("name", f"The code {name} is used by another signal; codes must be unique.")
            names.add(name)
        if kept == 0:
            raise forms.ValidationError("Keep at least one signal.")

    def _kept(self, form: forms.Form) -> bool:
        """Whether a form is a signal to save: neither marked for deletion nor the untouched blank row."""
        blank = form.empty_permitted and not form.has_changed()
        deleted = bool(getattr(form, "cleaned_data", {}).get("DELETE"))
        return not blank and not deleted

    def rows(self) -> list[dict[str, object]]:
        """The kept signals, in order, as a definition stores them."""
        return [form.to_row() for form in self.forms if isinstance(form, SignalForm) and self._kept(form)]


SignalFormSet = forms.formset_factory(SignalForm, formset=BaseSignalFormSet, extra=1, can_delete=True, max_num=60)


class ParamsForm(forms.Form):
    """The scoring parameters staff tune most, plus why this version is saved."""

    milestone_weight = forms.FloatField(label=EDITABLE_PARAMS["milestone_weight"][0], min_value=0)
    low_band = forms.FloatField(label=EDITABLE_PARAMS["low_band"][0], min_value=0, max_value=100)
    drift_delta = forms.FloatField(label=EDITABLE_PARAMS["drift_delta"][0], min_value=0)
    quiet_days = forms.IntegerField(label=EDITABLE_PARAMS["quiet_days"][0], min_value=1)
    note = forms.CharField(
        label="Why this change",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the version, e.g. “events matter more for early-career members”.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, (_, help_text) in EDITABLE_PARAMS.items():
            self.fields[key].help_text = help_text


class SignalsImportForm(forms.Form):
    file = forms.FileField(
        label="Signals file (JSON)",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text="A file exported from this page. A file without params keeps the current parameters.",
    )
    note = forms.CharField(label="Why this change", required=False, max_length=500)
    file_name = ""

    def clean_file(self) -> object:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or "the file"
        self.file_name = name
        if upload.size is not None and upload.size > MAX_SIGNALS_FILE_BYTES:
            limit = MAX_SIGNALS_FILE_BYTES // 1024
            raise forms.ValidationError(f"{name} is larger than {limit} KB; is it a signals file?")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(f"{name} is not UTF-8 text (byte {error.start}).") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"{name}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})."
            ) from None
        if not isinstance(document, dict) or not isinstance(document.get("signals"), list):
            raise forms.ValidationError(f'{name}: expected an object with a "signals" list, as this page exports.')
        return document
