"""Forms for recording renewals, lapses and returns: only parsing what the request carries."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from membersuccess.members.models import Offering
from membersuccess.renewals.services import NextTerm
from membersuccess.renewals.terms import REASON_MAX


class NextTermForm(forms.Form):
    """The new term of a renewal or a return; blank fields take the previous term's values or a year."""

    offering = forms.ModelChoiceField(
        label="Membership tier", queryset=Offering.objects.filter(kind=Offering.Kind.DUES_TIER).order_by("price"),
        to_field_name="code", required=False, empty_label="Same as before",
    )
    dues = forms.DecimalField(
        label="Dues", required=False, min_value=Decimal(0), max_digits=10, decimal_places=2,
        help_text="More than before records an upgrade, less a downgrade. Blank: the same dues.",
    )
    start_on = forms.DateField(label="New term starts", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="Blank: the day after the current term ends.")
    end_on = forms.DateField(label="New term ends", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                             help_text="Blank: a year after it starts.")

    def next_term(self) -> NextTerm:
        data = self.cleaned_data
        return NextTerm(start_on=data.get("start_on"), end_on=data.get("end_on"), dues=data.get("dues"),
                        offering=data.get("offering"))


class ReturnForm(NextTermForm):
    """A member who left joins again: the start date is required."""

    start_on = forms.DateField(label="New term starts", widget=forms.DateInput(attrs={"type": "date"}))


class LapseForm(forms.Form):
    """The member did not renew, or cancelled, and why."""

    outcome = forms.ChoiceField(
        label="What happened", choices=[("lapsed", "Did not renew (lapsed)"), ("cancelled", "Cancelled")],
    )
    reason = forms.CharField(label="Reason they gave", max_length=REASON_MAX, required=False)
