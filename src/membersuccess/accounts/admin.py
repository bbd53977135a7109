"""Admin for staff: teams, users with their role and team, and the read-only audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from membersuccess.accounts.forms import AdminLoginForm
from membersuccess.accounts.models import AuditEntry, StaffProfile, Team

User = get_user_model()
# The admin's sign-in counts towards, and is refused by, the same login rate limit as the app's.
admin.site.login_form = AdminLoginForm


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    verbose_name_plural = "Role and team"
    fields = ["role", "team", "title"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "team", "title"]
    list_filter = ["role", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "title"]
    autocomplete_fields = ["user"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """The standard user admin with the staff member's role and team on the same page."""

    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]
    list_filter = ["staff_profile__role", "staff_profile__team", "is_active", "is_staff"]
    list_select_related = ["staff_profile", "staff_profile__team"]

    @admin.display(description="Role", ordering="staff_profile__role")
    def role(self, user: object) -> str:
        """The role label, or a dash for users without a staff profile."""
        profile = getattr(user, "staff_profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="Team", ordering="staff_profile__team__name")
    def team(self, user: object) -> str:
        """The team name, or a dash."""
        profile = getattr(user, "staff_profile", None)
        return str(profile.team) if profile and profile.team else "—"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by the application: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor"]
    search_fields = ["action", "object_type", "object_id", "actor__username"]
    date_hierarchy = "at"
