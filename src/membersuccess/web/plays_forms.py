"""Forms of the plays, tasks, saves and outreach pages: parsing and validating what the request carries."""

from __future__ import annotations

from django import forms

from membersuccess.accounts.models import Team
from membersuccess.journeys.models import SuccessMilestone
from membersuccess.plays.models import Play, Resource, Task
from membersuccess.plays.outreach import SUBJECT_MAX
from membersuccess.plays.services import TITLE_MAX


class TaskForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, label="What to do")
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), label="Team", to_field_name="code",
                                  error_messages={"invalid_choice": "There is no such team; pick one from the list."})
    due_on = forms.DateField(label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteTaskForm(forms.Form):
    status = forms.ChoiceField(choices=[(Task.Status.DONE, "Done"), (Task.Status.CANCELLED, "Cancelled")],
                               label="Close as")
    outcome_note = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="What came of it: the next person reads this.")


class SaveForm(forms.Form):
    reason = forms.CharField(label="Why they wanted to leave, and what kept them",
                             widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label="The plan to get back on track", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Steps toward the next milestone, with dates.")


class OutreachForm(forms.Form):
    subject = forms.CharField(max_length=SUBJECT_MAX, label="Subject", required=False)
    body = forms.CharField(label="Draft", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                           help_text="Carry value: the next milestone, a plan with a date, or a resource link.")


class PlayForm(forms.Form):
    name = forms.CharField(max_length=160)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="Why this play helps, in words staff understand.")
    trigger = forms.ChoiceField(choices=Play.Trigger.choices)
    trigger_value = forms.CharField(
        required=False, max_length=40, label="Trigger value",
        help_text="A status (off_track, drifting, on_track, too_early), a flag (off_track, drifting, quiet, "
        "saved_at_risk, renewal_at_risk) or a number of days; empty for the other triggers.",
    )
    toward = forms.ModelChoiceField(
        queryset=SuccessMilestone.objects.select_related("journey").order_by("journey__name", "order"),
        required=False, empty_label="The member's next milestone", label="Moves the member toward",
    )
    resources = forms.ModelMultipleChoiceField(queryset=Resource.objects.order_by("name"), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One step a line: team code | what to do | due in days, e.g. "
        "“events | Reserve a seat at the chapter dinner | 5”.",
    )
    message_template = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Message template",
        help_text="{{ member_name }}, {{ next_milestone }}, {{ resource_name }}, {{ resource_url }}; it must "
        "carry value ({{ next_milestone }} or {{ resource_url }}).",
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
