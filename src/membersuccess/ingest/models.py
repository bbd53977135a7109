"""The record of every import: who, when, which file, what came in and what was rejected;
and the column mappings an organization saves so its own export headers import as they are."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=500)
    file_sha256 = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveBigIntegerField(default=0)
    rows_created = models.PositiveBigIntegerField(default=0)
    rows_updated = models.PositiveBigIntegerField(default=0)
    rows_unchanged = models.PositiveBigIntegerField(default=0)
    rows_rejected = models.PositiveBigIntegerField(default=0)
    rejects_path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The name the file had on the uploader's computer; `file_name` is where it was stored.
    original_name = models.CharField(max_length=255, blank=True)
    # The saved column mapping the import used, by name as it was then.
    mapping_name = models.CharField(max_length=100, blank=True)
    # What the importer had to say about the file as a whole (unknown columns, encodings...).
    notes = models.JSONField(default=list, blank=True)
    # The process doing the import, so a run whose process died (a crash, kill -9) can be told
    # apart from one still going, and shown as interrupted.
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.display_name} ({self.status})"

    @property
    def display_name(self) -> str:
        """The file as the person who imported it knows it."""
        return self.original_name or self.file_name.replace("\\", "/").rsplit("/", 1)[-1]


class ColumnMapping(models.Model):
    """An organization's own column labels for one KIND, e.g. "Constituent Code" -> external_id."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    # {their column label: our column name}
    mapping = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="ingest_columnmapping_unique_kind_name",
                violation_error_message="A mapping with this name already exists for this kind of file.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def clean(self) -> None:
        from membersuccess.ingest.mappings import check_mapping

        check_mapping(kind=self.kind, name=self.name, mapping=self.mapping)
