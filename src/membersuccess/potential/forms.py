"""Forms for Success Potential pages: an applicant, a fit criterion. Services do the real checks;
their errors land next to the field they name."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from membersuccess.members.models import Member, RequiredOutcome, Segment
from membersuccess.potential.models import Applicant, DeclaredAttribute, FitBand, FitCriterion


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class ApplicantForm(forms.Form):
    name = forms.CharField(max_length=200)
    required_outcome = forms.ChoiceField(label="Stated required outcome",
                                         help_text="What they say they must achieve with us.")
    acquisition_channel = forms.CharField(max_length=60, help_text="Where they came from, e.g. referral, paid-social.")
    campaign = forms.CharField(max_length=120, required=False)
    applied_on = forms.DateField(label="Applied on", help_text="As 2025-03-31.")
    segment = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(choices=Member.Kind.choices, initial=Member.Kind.INDIVIDUAL)
    email = forms.EmailField(required=False)
    country = forms.CharField(max_length=2, required=False, help_text="Two letters, e.g. US.")
    status = forms.ChoiceField(choices=Applicant.Status.choices, initial=Applicant.Status.APPLIED)
    external_id = forms.CharField(max_length=64, required=False, label="Applicant ID",
                                  help_text="Your CRM's id; left empty, one is made up.")
    attributes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='A JSON object of declared attributes, e.g. {"years_experience": 3}.',
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "required_outcome", [("", "—"), *RequiredOutcome.objects.values_list("code", "name")])
        _choices(self, "segment", [("", "—"), *Segment.objects.values_list("code", "name")])
        declared = list(DeclaredAttribute.objects.values_list("name", flat=True))
        if declared:
            self.fields["attributes"].help_text += " Declared: " + ", ".join(declared) + "."
        else:
            self.fields["attributes"].help_text += " No attributes are declared yet."

    def clean_attributes(self) -> object:
        raw = self.cleaned_data["attributes"].strip()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"is not valid JSON ({exc.msg} at character {exc.pos + 1})") from None


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(choices=FitCriterion.Kind.choices, label="Criterion")
    segments = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text="For the segment criteria.")
    attribute = forms.ChoiceField(required=False, help_text="For “a declared attribute is given”.")
    effect = forms.ChoiceField(choices=FitCriterion.Effect.choices, initial=FitCriterion.Effect.POOR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "segments", list(Segment.objects.values_list("code", "name")))
        _choices(self, "attribute", [("", "—"), *DeclaredAttribute.objects.values_list("name", "label")])


class ApplicantFilterForm(forms.Form):
    band = forms.ChoiceField(choices=[("", "Any fit"), *FitBand.choices], required=False)
    channel = forms.ChoiceField(required=False, label="Acquisition channel")

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "channel", [("", "Any channel")] + [(c, c) for c in channels])
