"""Admin for tasks: valuable next steps for anyone on staff."""

from __future__ import annotations

from django.contrib import admin

from membersuccess.plays.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "team", "assignee", "due_on", "status"]
    list_filter = ["status", "team"]
    list_select_related = ["member", "team", "assignee"]
    search_fields = ["title", "description", "member__name", "member__external_id"]
    autocomplete_fields = ["member", "team", "assignee"]
    readonly_fields = ["created_by", "created_at", "completed_at"]
    date_hierarchy = "due_on"
