"""Admin for imports: a read-only record of each run, and the saved column mappings."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from membersuccess.accounts.admin import ReadOnlyAdmin
from membersuccess.ingest.models import ColumnMapping, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at", "kind", "file_name", "status",
        "rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["started_by"]
    search_fields = ["file_name", "original_name", "file_sha256", "error"]
    date_hierarchy = "started_at"


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    """Mappings are edited on the Imports pages; here they can be reviewed, fixed as JSON, or deleted."""

    list_display = ["name", "kind", "created_by", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fields = ["name", "kind", "mapping", "created_by", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: ColumnMapping, form: object, change: bool) -> None:
        if not change and obj.created_by is None and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
