"""Admin for plays, their steps and resources, tasks, saves and sent outreach."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from membersuccess.plays.models import OutreachMessage, Play, PlayStep, Resource, Save, Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "team", "assignee", "due_on", "status"]
    list_filter = ["status", "team"]
    list_select_related = ["member", "team", "assignee"]
    search_fields = ["title", "description", "member__name", "member__external_id"]
    autocomplete_fields = ["member", "team", "assignee"]
    readonly_fields = ["created_by", "created_at", "completed_at"]
    date_hierarchy = "due_on"


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    filter_horizontal = ["serves"]


class PlayStepInline(admin.TabularInline):
    model = PlayStep
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(Play)
class PlayAdmin(admin.ModelAdmin):
    list_display = ["name", "trigger", "trigger_value", "toward", "is_active", "ships_with_product"]
    list_filter = ["trigger", "is_active", "ships_with_product"]
    list_select_related = ["toward"]
    search_fields = ["name", "description"]
    filter_horizontal = ["resources"]
    inlines = [PlayStepInline]


@admin.register(PlayStep)
class PlayStepAdmin(admin.ModelAdmin):
    list_display = ["title", "play", "team"]
    list_select_related = ["play", "team"]
    search_fields = ["title", "play__name"]
    autocomplete_fields = ["play", "team"]


@admin.register(Save)
class SaveAdmin(admin.ModelAdmin):
    list_display = ["member", "saved_on", "milestone", "by"]
    list_select_related = ["member", "milestone", "by"]
    search_fields = ["member__name", "member__external_id", "reason", "plan"]
    autocomplete_fields = ["member"]
    date_hierarchy = "saved_on"


@admin.register(OutreachMessage)
class OutreachMessageAdmin(admin.ModelAdmin):
    """Sent outreach is a record: read it here, never edit it."""

    list_display = ["subject", "member", "sent_by", "sent_at"]
    list_select_related = ["member", "sent_by"]
    search_fields = ["subject", "body", "member__name", "member__external_id"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutreachMessage | None = None) -> bool:
        return False
