"""Admin for interactions, support tickets and survey responses (mostly for looking things up)."""

from __future__ import annotations

from django.contrib import admin

from membersuccess.interactions.models import Interaction, SupportTicket, SurveyResponse


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "member", "source", "kind", "value"]
    list_filter = ["source", "kind"]
    list_select_related = ["member"]
    search_fields = ["external_id", "member__name", "member__external_id"]
    autocomplete_fields = ["member"]
    # Interactions can number in the millions: no full count, no date drill-down.
    show_full_result_count = False


@admin.register(SupportTicket)
class SupportTicketAdmin(admin.ModelAdmin):
    list_display = ["subject", "member", "severity", "category", "opened_at", "resolved_at"]
    list_filter = ["severity", "category"]
    list_select_related = ["member"]
    search_fields = ["external_id", "subject", "member__name", "member__external_id"]
    autocomplete_fields = ["member"]
    show_full_result_count = False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["responded_at", "member", "kind", "score"]
    list_filter = ["kind"]
    list_select_related = ["member"]
    search_fields = ["external_id", "comment", "member__name", "member__external_id"]
    autocomplete_fields = ["member"]
    show_full_result_count = False
