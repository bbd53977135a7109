"""Forms of the journeys pages and of the member page's journey and desired-outcome forms.

They only read what the request carries; the services check it (journeys/rules.py,
members/services.py) and their messages are put next to the fields."""

from __future__ import annotations

from datetime import date

from django import forms

from membersuccess.engine.milestones import RULE_AGGREGATIONS
from membersuccess.journeys.models import Journey, SuccessMilestone
from membersuccess.journeys.rules import AGGREGATION_LABELS, WINDOW_LABELS, MilestoneInput, split_codes
from membersuccess.members.experience import CADENCES, CHANNELS, FORMATS, MAX_HOURS_PER_MONTH
from membersuccess.members.models import DesiredOutcome, RequiredOutcome, Segment


class JourneyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=160)
    required_outcome = forms.ModelChoiceField(
        label="Required outcome", queryset=RequiredOutcome.objects.order_by("name"),
        empty_label="Choose the outcome this journey leads to",
    )
    segment = forms.ModelChoiceField(
        label="Segment", queryset=Segment.objects.order_by("name"), required=False,
        empty_label="Every member without a journey of their own segment",
        help_text="A segment's own journey wins over the one for everyone.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_journey(cls, journey: Journey) -> JourneyForm:
        return cls(initial={
            "name": journey.name, "required_outcome": journey.required_outcome, "segment": journey.segment,
            "description": journey.description,
        })


class _Choice(forms.Select):
    """A select whose value the service checks, so an unknown value gets the service's clear message."""


class MilestoneForm(forms.Form):
    # Nothing is required here: the service says what is missing, in its own words, next to the field.
    name = forms.CharField(label="Name", max_length=200, required=False)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_offset_days = forms.CharField(
        label="Due after (days)", max_length=12, required=False, widget=forms.NumberInput(attrs={"min": 0}),
        help_text="Days after the anchor below by which it is due.",
    )
    due_from = forms.CharField(
        label="Counted from", max_length=20, initial="join", required=False,
        widget=_Choice(choices=[(value, str(label)) for value, label in SuccessMilestone.DueFrom.choices]),
    )
    grace_days = forms.CharField(
        label="Grace (days)", max_length=12, initial="30", required=False, widget=forms.NumberInput(attrs={"min": 0}),
        help_text="After the due date and its grace, the milestone is overdue and the member off track.",
    )
    achieved_by = forms.CharField(
        label="Reached when", max_length=10, initial="rule", required=False,
        widget=forms.RadioSelect(choices=[
            ("rule", "the member's interactions meet a rule"),
            ("manual", "staff confirm it, with evidence"),
        ]),
    )
    kinds = forms.CharField(
        label="Interaction kinds", required=False, max_length=2000,
        help_text="One or more, separated by commas, e.g. course_completed, exam_passed.",
    )
    aggregation = forms.CharField(
        label="Measured as", max_length=20, required=False, initial="count",
        widget=_Choice(choices=[(a, AGGREGATION_LABELS.get(a, a)) for a in RULE_AGGREGATIONS]),
    )
    threshold = forms.CharField(label="At least", max_length=30, required=False, initial="1")
    window = forms.CharField(
        label="Counting interactions", max_length=20, required=False, initial="join",
        widget=_Choice(choices=list(WINDOW_LABELS.items())),
    )
    sources = forms.CharField(
        label="Only from sources", required=False, max_length=2000,
        help_text="Optional, e.g. lms. Leave empty for any source.",
    )

    @classmethod
    def for_milestone(cls, milestone: SuccessMilestone) -> MilestoneForm:
        rule = milestone.rule or {}
        return cls(initial={
            "name": milestone.name, "description": milestone.description,
            "due_offset_days": milestone.due_offset_days, "due_from": milestone.due_from,
            "grace_days": milestone.grace_days, "achieved_by": "manual" if milestone.manual else "rule",
            "kinds": ", ".join(rule.get("kinds", [])), "aggregation": rule.get("aggregation", "count"),
            "threshold": rule.get("threshold", 1), "window": rule.get("window", "join"),
            "sources": ", ".join(rule.get("sources", [])),
        })

    def to_input(self) -> MilestoneInput:
        """What was typed, for the service to check; call after is_valid()."""
        data = self.cleaned_data
        return MilestoneInput(
            name=data.get("name") or "",
            description=data.get("description") or "",
            due_offset_days=data.get("due_offset_days") or "",
            due_from=data.get("due_from") or "",
            grace_days=data.get("grace_days") or "",
            achieved_by=data.get("achieved_by") or "",
            kinds=split_codes(data.get("kinds") or ""),
            aggregation=data.get("aggregation") or "",
            threshold=data.get("threshold") or "",
            window=data.get("window") or "",
            sources=split_codes(data.get("sources") or ""),
        )


class MemberJourneyForm(forms.Form):
    journey = forms.ModelChoiceField(
        label="Journey", queryset=Journey.objects.select_related("required_outcome", "segment").order_by("name"),
        required=False, empty_label="No journey",
    )
    reason = forms.CharField(
        label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the audit log with your name.",
    )


class ConfirmMilestoneForm(forms.Form):
    achieved_on = forms.DateField(label="Reached on", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(
        label="Evidence", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What shows it was reached, e.g. a certificate number or who saw it.",
    )


class DesiredOutcomeForm(forms.Form):
    required_outcome = forms.ModelChoiceField(
        label="Required outcome", queryset=RequiredOutcome.objects.order_by("name"),
        empty_label="What must the member achieve with us?",
    )
    channels = forms.MultipleChoiceField(
        label="Channels", required=False, choices=list(CHANNELS.items()), widget=forms.CheckboxSelectMultiple
    )
    formats = forms.MultipleChoiceField(
        label="Formats", required=False, choices=list(FORMATS.items()), widget=forms.CheckboxSelectMultiple
    )
    cadence = forms.ChoiceField(label="Cadence", required=False, choices=[("", "Unknown"), *CADENCES.items()])
    language = forms.CharField(label="Language", required=False, max_length=20, help_text="e.g. en, fr, pt-BR")
    accessibility = forms.CharField(label="Accessibility needs", required=False, max_length=200)
    time_budget_hours_per_month = forms.IntegerField(
        label="Time budget (hours a month)", required=False, min_value=0, max_value=MAX_HOURS_PER_MONTH
    )
    source = forms.ChoiceField(
        label="Source", choices=DesiredOutcome.Source.choices, initial=DesiredOutcome.Source.STATED,
        widget=forms.RadioSelect,
    )
    target_date = forms.DateField(
        label="Target date", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the member wants to have achieved it.",
    )

    @classmethod
    def for_outcome(cls, outcome: DesiredOutcome | None) -> DesiredOutcomeForm:
        if outcome is None:
            return cls()
        return cls(initial={
            "required_outcome": outcome.required_outcome, "channels": outcome.channels, "formats": outcome.formats,
            "cadence": outcome.cadence, "language": outcome.language, "accessibility": outcome.accessibility,
            "time_budget_hours_per_month": outcome.time_budget_hours_per_month, "source": outcome.source,
            "target_date": outcome.target_date,
        })

    def values(self) -> dict[str, object]:
        """The cleaned values as the service's keyword arguments."""
        data = self.cleaned_data
        target: date | None = data.get("target_date")
        return {
            "required_outcome": data.get("required_outcome"),
            "channels": data.get("channels") or [],
            "formats": data.get("formats") or [],
            "cadence": data.get("cadence") or "",
            "language": data.get("language") or "",
            "accessibility": data.get("accessibility") or "",
            "time_budget_hours_per_month": data.get("time_budget_hours_per_month"),
            "source": data.get("source") or DesiredOutcome.Source.STATED,
            "target_date": target,
        }
