"""Admin for import runs: a read-only record of what came in, from which file, and what was rejected."""

from __future__ import annotations

from django.contrib import admin

from membersuccess.accounts.admin import ReadOnlyAdmin
from membersuccess.ingest.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at", "kind", "file_name", "status",
        "rows_read", "rows_created", "rows_updated", "rows_unchanged", "rows_rejected",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["started_by"]
    search_fields = ["file_name", "file_sha256", "error"]
    date_hierarchy = "started_at"
