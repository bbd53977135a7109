"""Admin for journeys with their Success Milestones, and for recorded achievements."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from membersuccess.journeys.models import Journey, MilestoneAchievement, SuccessMilestone


class SuccessMilestoneInline(admin.StackedInline):
    model = SuccessMilestone
    extra = 0
    ordering = ["order"]
    fields = [("order", "name"), "description", ("due_offset_days", "due_from", "grace_days"), "rule", "manual"]
    # Several milestones sit on one page: keep each one compact.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})},
        models.JSONField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})},
    }


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "required_outcome", "segment", "milestone_count"]
    list_filter = ["required_outcome", "segment"]
    list_select_related = ["required_outcome", "segment"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["required_outcome", "segment"]
    inlines = [SuccessMilestoneInline]

    @admin.display(description="Milestones")
    def milestone_count(self, journey: Journey) -> int:
        """How many milestones the journey has."""
        return journey.milestones.count()


@admin.register(SuccessMilestone)
class SuccessMilestoneAdmin(admin.ModelAdmin):
    list_display = ["name", "journey", "order", "due_offset_days", "due_from", "grace_days", "manual"]
    list_filter = ["journey", "due_from", "manual"]
    list_select_related = ["journey"]
    search_fields = ["name", "journey__name"]
    ordering = ["journey__name", "order"]


@admin.register(MilestoneAchievement)
class MilestoneAchievementAdmin(admin.ModelAdmin):
    list_display = ["member", "milestone", "achieved_on", "source", "confirmed_by"]
    list_filter = ["source", "milestone__journey"]
    list_select_related = ["member", "milestone", "confirmed_by"]
    search_fields = ["member__name", "member__external_id", "milestone__name"]
    autocomplete_fields = ["member", "milestone", "confirmed_by"]
    show_full_result_count = False
