"""API tokens: scoped keys for systems that push data (ingest) or read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        INGEST = "ingest", "Ingest only: push interactions"
        READ = "read", "Read members and scores"

    name = models.CharField(max_length=120, help_text="Which system uses it, e.g. 'Event platform'")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.INGEST)
    # Only a hash is stored; the token itself is shown once, when it is created.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope})"
