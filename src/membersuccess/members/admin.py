"""Admin for the catalog (segments, required outcomes, offerings) and for members and their records."""

from __future__ import annotations

from django.contrib import admin

from membersuccess.members.models import (
    Contact,
    DesiredOutcome,
    Member,
    MembershipTerm,
    Offering,
    RequiredOutcome,
    Segment,
)


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(RequiredOutcome)
class RequiredOutcomeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "price"]
    list_filter = ["kind", "serves"]
    search_fields = ["name", "code"]
    filter_horizontal = ["serves"]
    prepopulated_fields = {"code": ["name"]}


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "email", "phone", "role", "is_primary"]


class DesiredOutcomeInline(admin.StackedInline):
    model = DesiredOutcome
    extra = 0
    autocomplete_fields = ["required_outcome"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "kind", "segment", "status", "joined_on", "success_manager"]
    list_filter = ["status", "kind", "segment", "journey"]
    list_select_related = ["segment", "success_manager"]
    search_fields = ["name", "email", "external_id"]
    autocomplete_fields = ["segment", "journey", "success_manager"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline, DesiredOutcomeInline]
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "email", "role", "is_primary"]
    list_select_related = ["member"]
    search_fields = ["name", "email", "member__name", "member__external_id"]
    autocomplete_fields = ["member"]


@admin.register(MembershipTerm)
class MembershipTermAdmin(admin.ModelAdmin):
    list_display = ["member", "offering", "start_on", "end_on", "dues", "status"]
    list_filter = ["status", "offering"]
    list_select_related = ["member", "offering"]
    search_fields = ["external_id", "member__name", "member__external_id"]
    autocomplete_fields = ["member", "offering"]
    date_hierarchy = "end_on"
    show_full_result_count = False


@admin.register(DesiredOutcome)
class DesiredOutcomeAdmin(admin.ModelAdmin):
    list_display = ["member", "required_outcome", "source", "recorded_on", "is_current"]
    list_filter = ["required_outcome", "source", "is_current"]
    list_select_related = ["member", "required_outcome"]
    search_fields = ["external_id", "member__name", "member__external_id"]
    autocomplete_fields = ["member", "required_outcome"]
    show_full_result_count = False
