"""Forms of the web pages: only parsing and validating what the request carries."""

from __future__ import annotations

from typing import TypedDict

from django import forms

from membersuccess.members.models import Member, Segment
from membersuccess.members.selectors import JOURNEY_FILTERS, MAX_QUERY_LENGTH, SORT_CHOICES
from membersuccess.scoring.models import VectorSnapshot
from membersuccess.scoring.selectors import FLAGS

SORT_VALUES = [*SORT_CHOICES, *(f"-{key}" for key in SORT_CHOICES)]
DEFAULT_SORT = "name"


class MemberCriteria(TypedDict):
    """The members list's search, segment, status, sort and journey filter, as plain strings."""

    query: str
    segment: str
    status: str
    sort: str
    journey: str


class MemberFilterForm(forms.Form):
    """Search, segment, status and sort of the members list (all optional, read from GET)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Name, email or member ID", "autocomplete": "off"}),
    )
    segment = forms.ModelChoiceField(
        label="Segment",
        queryset=Segment.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="All segments",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *Member.Status.choices]
    )
    vector_status = forms.ChoiceField(
        label="Success status", required=False, choices=[("", "Any success status"), *VectorSnapshot.Status.choices]
    )
    flag = forms.ChoiceField(
        label="Flag", required=False, choices=[("", "Any flag"), *((f.code, f.label) for f in FLAGS)]
    )
    journey = forms.ChoiceField(
        label="Journey", required=False, choices=[("", "Any journey state"), *JOURNEY_FILTERS.items()]
    )
    # Set by the portfolio's "what changed" links: the status a week earlier.
    was = forms.ChoiceField(required=False, choices=[("", ""), *VectorSnapshot.Status.choices])
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(value, value) for value in SORT_VALUES]
    )

    def criteria(self) -> MemberCriteria:
        """The valid criteria as plain strings; an invalid value counts as not given."""
        self.is_valid()  # invalid fields are left out of cleaned_data
        data = self.cleaned_data
        segment = data.get("segment")
        return MemberCriteria(
            query=data.get("q") or "",
            segment=segment.code if isinstance(segment, Segment) else "",
            status=data.get("status") or "",
            sort=data.get("sort") or DEFAULT_SORT,
            journey=data.get("journey") or "",
        )

    def vector_criteria(self) -> dict[str, str]:
        """The Success Vector status, flag and earlier status asked for, empty when not given."""
        self.is_valid()
        data = self.cleaned_data
        return {"status": data.get("vector_status") or "", "flag": data.get("flag") or "", "was": data.get("was") or ""}
