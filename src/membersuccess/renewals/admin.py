"""Admin for renewal plans (read mostly: they are raised by `msm renewals plan`)."""

from __future__ import annotations

from django.contrib import admin

from membersuccess.renewals.models import RenewalPlan


@admin.register(RenewalPlan)
class RenewalPlanAdmin(admin.ModelAdmin):
    list_display = ["term", "vector_status", "score", "raised_on", "task"]
    list_filter = ["vector_status"]
    list_select_related = ["term", "term__member", "task"]
    search_fields = ["term__member__name", "term__member__external_id"]
    readonly_fields = ["term", "task", "vector_status", "score", "raised_on", "created_at"]
