"""The success plan raised for a member's renewal: one per membership term, so raising plans is idempotent."""

from __future__ import annotations

from django.db import models

from membersuccess.members.models import MembershipTerm
from membersuccess.plays.models import Task


class RenewalPlan(models.Model):
    """A success-plan task raised early for a term whose member is not on track (never a discount offer)."""

    term = models.OneToOneField(MembershipTerm, on_delete=models.CASCADE, related_name="renewal_plan")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    # What the member looked like when the plan was raised, so staff see why it exists.
    vector_status = models.CharField(max_length=20)
    score = models.FloatField(null=True, blank=True)
    raised_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Renewal plan for {self.term}"
