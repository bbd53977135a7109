"""Staff: teams (departments), roles, and the audit log of who did what."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Team(models.Model):
    """A department of the organization; everyone on staff is in Member Success."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SUCCESS_MANAGER = "success_manager", "Member Success Manager"
    STAFF = "staff", "Staff"
    EXECUTIVE = "executive", "Executive"


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff")
    title = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


class AuditEntry(models.Model):
    """One recorded action: a login, a data change, an export, an import, an erasure."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
