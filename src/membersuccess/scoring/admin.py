"""Admin for scoring: a read-only record of signal versions, scoring runs and vectors.

Signals are changed on the Signals page, where every save is validated and becomes a new version;
runs and vectors are written only by scoring. Here they can be looked up, never edited."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from membersuccess.accounts.admin import ReadOnlyAdmin
from membersuccess.scoring.models import DailyScoring, ScoreRun, SignalSet, VectorSnapshot


@admin.register(SignalSet)
class SignalSetAdmin(ReadOnlyAdmin):
    list_display = ["version", "is_active", "note", "created_by", "created_at", "signals_page"]
    list_filter = ["is_active"]
    list_select_related = ["created_by"]
    search_fields = ["note"]

    @admin.display(description="Signals page")
    def signals_page(self, obj: SignalSet) -> str:
        return format_html('<a href="{}">View and edit</a>', reverse("signals_version", args=[obj.version]))


@admin.register(ScoreRun)
class ScoreRunAdmin(ReadOnlyAdmin):
    list_display = ["as_of", "status", "engine", "signal_set", "members_scored", "started_at", "finished_at"]
    list_filter = ["status", "engine"]
    list_select_related = ["signal_set"]
    search_fields = ["error"]
    date_hierarchy = "as_of"


@admin.register(VectorSnapshot)
class VectorSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["member", "as_of", "score", "status", "velocity", "confidence", "run"]
    list_filter = ["status", "as_of"]
    list_select_related = ["member", "run"]
    search_fields = ["member__name", "member__external_id"]
    raw_id_fields = ["member", "run", "next_milestone"]
    # A large association has millions of snapshots: don't count them all on every page.
    show_full_result_count = False


@admin.register(DailyScoring)
class DailyScoringAdmin(ReadOnlyAdmin):
    list_display = ["as_of", "status", "note", "attempts", "worker", "run", "enqueued_at", "started_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["run"]
    date_hierarchy = "as_of"
