"""The admin's fit criteria: each one explained in words, and judged against an applicant or a
member at joining."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from membersuccess.members.models import RequiredOutcome, Segment
from membersuccess.potential.models import DeclaredAttribute, FitCriterion


@dataclass(frozen=True)
class FitSubject:
    """An applicant, or a member as they were at joining."""

    required_outcome: RequiredOutcome | None
    segment: Segment | None
    acquisition_channel: str
    kind: str
    country: str
    attributes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionResult:
    criterion: FitCriterion
    explanation: str
    passed: bool
    reason: str  # why it failed, in words; empty when it passed


@dataclass(frozen=True)
class CriteriaContext:
    """What judging needs from the database, read once for many subjects."""

    criteria: list[FitCriterion]
    served_outcome_ids: set[int]
    segment_names: dict[str, str]
    attribute_labels: dict[str, str]


def criteria_context() -> CriteriaContext:
    served = RequiredOutcome.objects.filter(Q(journeys__isnull=False) | Q(offerings__isnull=False))
    return CriteriaContext(
        criteria=list(FitCriterion.objects.filter(is_active=True)),
        served_outcome_ids=set(served.values_list("pk", flat=True)),
        segment_names=dict(Segment.objects.values_list("code", "name")),
        attribute_labels=dict(DeclaredAttribute.objects.values_list("name", "label")),
    )


def _names(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes) or "(none)"


def explain(criterion: FitCriterion, context: CriteriaContext) -> str:
    """The criterion as a sentence a staff member or a board member reads."""
    effect = (
        "An applicant who fails it is a poor fit."
        if criterion.effect == FitCriterion.Effect.POOR
        else "An applicant who fails it is at best a moderate fit."
    )
    kind = criterion.kind
    if kind == FitCriterion.Kind.OUTCOME_SERVED:
        rule = "The stated required outcome is one we serve: it has a journey or an offering that serves it."
    elif kind == FitCriterion.Kind.SEGMENT_IN:
        rule = f"The segment is one of: {_names(criterion.segments, context.segment_names)}."
    elif kind == FitCriterion.Kind.SEGMENT_NOT_IN:
        rule = f"The segment is not one of: {_names(criterion.segments, context.segment_names)}."
    else:
        label = context.attribute_labels.get(criterion.attribute, criterion.attribute)
        rule = f"The applicant tells us “{label}”."
    return f"{rule} {effect}"


def _failure(criterion: FitCriterion, subject: FitSubject, context: CriteriaContext) -> str:
    kind = criterion.kind
    segment = subject.segment
    if kind == FitCriterion.Kind.OUTCOME_SERVED:
        if subject.required_outcome is None:
            return "No required outcome was stated"
        if subject.required_outcome.pk not in context.served_outcome_ids:
            return f"We have no journey or offering for the required outcome “{subject.required_outcome.name}”"
    elif kind == FitCriterion.Kind.SEGMENT_IN:
        wanted = _names(criterion.segments, context.segment_names)
        if segment is None:
            return f"No segment is given; we serve {wanted}"
        if segment.code not in criterion.segments:
            return f"Segment “{segment.name}” is not one we serve ({wanted})"
    elif kind == FitCriterion.Kind.SEGMENT_NOT_IN:
        if segment is not None and segment.code in criterion.segments:
            return f"Segment “{segment.name}” is one we do not serve"
    elif subject.attributes.get(criterion.attribute) in (None, ""):
        label = context.attribute_labels.get(criterion.attribute, criterion.attribute)
        return f"“{label}” is not given"
    return ""


def judge(subject: FitSubject, context: CriteriaContext) -> list[CriterionResult]:
    """Every active criterion, passed or failed, with the reason for each failure."""
    results = []
    for criterion in context.criteria:
        reason = _failure(criterion, subject, context)
        results.append(CriterionResult(criterion, explain(criterion, context), passed=not reason, reason=reason))
    return results
