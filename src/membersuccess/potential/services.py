"""Writes for Success Potential: applicants, the admin's fit criteria, and training the fit model.
Every caller (web, API, CLI, import) goes through these."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from membersuccess.accounts.models import AuditEntry
from membersuccess.ingest.cells import EARLIEST_DATE
from membersuccess.members.models import Member, RequiredOutcome, Segment
from membersuccess.potential import fit as fit_model
from membersuccess.potential.assessment import assess, subject_features
from membersuccess.potential.attributes import AttributeError_, attribute_rules
from membersuccess.potential.criteria import criteria_context
from membersuccess.potential.history import members_at_joining
from membersuccess.potential.models import Applicant, DeclaredAttribute, FitCriterion, FitModel, MemberFit


class PotentialError(ValueError):
    """Something staff asked for that cannot be done; `field` names the input at fault, if one is."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _known_codes(model: type[Segment] | type[RequiredOutcome]) -> str:
    codes = list(model.objects.values_list("code", flat=True)[:12])
    return ", ".join(codes) if codes else "none are set up yet"


def applicant_create(
    *,
    name: str,
    required_outcome: str,
    acquisition_channel: str,
    applied_on: date,
    external_id: str = "",
    campaign: str = "",
    segment: str = "",
    kind: str = Member.Kind.INDIVIDUAL,
    email: str = "",
    country: str = "",
    status: str = Applicant.Status.APPLIED,
    attributes: object = None,
) -> Applicant:
    """Record one applicant or prospect; PotentialError names the field at fault."""
    if not name.strip():
        raise PotentialError("a name is required", field="name")
    if not acquisition_channel.strip():
        raise PotentialError("the acquisition channel is required: where did this applicant come from?",
                             field="acquisition_channel")
    outcome = RequiredOutcome.objects.filter(code=required_outcome).first()
    if outcome is None:
        raise PotentialError(
            f"required outcome {required_outcome!r} is not set up (known: {_known_codes(RequiredOutcome)})",
            field="required_outcome",
        )
    found_segment = None
    if segment:
        found_segment = Segment.objects.filter(code=segment).first()
        if found_segment is None:
            raise PotentialError(f"segment {segment!r} is not set up (known: {_known_codes(Segment)})",
                                 field="segment")
    latest = timezone.localdate() + timedelta(days=1)
    if not EARLIEST_DATE <= applied_on <= latest:
        raise PotentialError(f"applied on {applied_on} is not between {EARLIEST_DATE} and {latest}",
                             field="applied_on")
    try:
        cleaned = attribute_rules().clean(attributes)
    except AttributeError_ as error:
        raise PotentialError(str(error), field="attributes") from None
    external_id = external_id.strip() or f"APP-{uuid.uuid4().hex[:10]}"
    if Applicant.objects.filter(external_id=external_id).exists():
        raise PotentialError(f"an applicant with id {external_id!r} already exists", field="external_id")
    return Applicant.objects.create(
        external_id=external_id,
        name=name.strip(),
        email=email,
        kind=kind,
        segment=found_segment,
        country=country.upper(),
        required_outcome=outcome,
        acquisition_channel=acquisition_channel.strip(),
        campaign=campaign.strip(),
        applied_on=applied_on,
        status=status,
        attributes=cleaned,
    )


def criterion_create(
    *,
    kind: str,
    effect: str = FitCriterion.Effect.POOR,
    segments: list[str] | None = None,
    attribute: str = "",
    by: User | None = None,
) -> FitCriterion:
    """Add a fit criterion (admins); segment codes and the attribute must exist."""
    if kind not in FitCriterion.Kind.values:
        raise PotentialError(f"unknown kind of criterion {kind!r}", field="kind")
    if effect not in FitCriterion.Effect.values:
        raise PotentialError(f"unknown effect {effect!r}; use poor or moderate", field="effect")
    segments = [s.strip() for s in segments or [] if s.strip()]
    if kind in (FitCriterion.Kind.SEGMENT_IN, FitCriterion.Kind.SEGMENT_NOT_IN):
        if not segments:
            raise PotentialError("choose at least one segment", field="segments")
        unknown = sorted(set(segments) - set(Segment.objects.filter(code__in=segments).values_list("code", flat=True)))
        if unknown:
            raise PotentialError(f"segment(s) {', '.join(unknown)} are not set up (known: {_known_codes(Segment)})",
                                 field="segments")
    else:
        segments = []
    if kind == FitCriterion.Kind.ATTRIBUTE_GIVEN:
        if not DeclaredAttribute.objects.filter(name=attribute).exists():
            raise PotentialError(f"attribute {attribute!r} is not declared", field="attribute")
    else:
        attribute = ""
    criterion = FitCriterion.objects.create(kind=kind, effect=effect, segments=segments, attribute=attribute)
    _audit(by, "fit_criterion_added", criterion, {"kind": kind, "effect": effect, "segments": segments,
                                                  "attribute": attribute})
    return criterion


def criterion_set_active(criterion: FitCriterion, *, active: bool, by: User | None = None) -> None:
    """Switch a criterion on or off; it is kept so its history stays readable."""
    criterion.is_active = active
    criterion.save(update_fields=["is_active"])
    _audit(by, "fit_criterion_switched_on" if active else "fit_criterion_switched_off", criterion, {})


def _audit(by: User | None, action: str, criterion: FitCriterion, detail: dict[str, object]) -> None:
    AuditEntry.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        object_type="fit_criterion",
        object_id=str(criterion.pk),
        detail=detail,
    )


def fit_model_train(
    *, as_of: date | None = None, by: User | None = None, folds: int = fit_model.DEFAULT_FOLDS
) -> FitModel:
    """Learn the fit model from members whose first year is over, and store every member's fit at
    joining. Members the model learned from get their out-of-fold chance."""
    as_of = as_of or timezone.localdate()
    declared = set(DeclaredAttribute.objects.values_list("name", flat=True))
    history = members_at_joining(as_of=as_of, declared=declared)
    known = [h for h in history if h.reached is not None]
    try:
        learned = fit_model.learn_fit(
            [subject_features(h.subject) for h in known], [bool(h.reached) for h in known], folds=folds
        )
    except fit_model.NotEnoughHistory as error:
        raise PotentialError(f"cannot train the fit model as of {as_of}: {error}") from None
    out_of_fold = {h.member.pk: p for h, p in zip(known, learned.out_of_fold, strict=True)}
    context = criteria_context()
    with transaction.atomic():
        model = FitModel.objects.create(
            trained_by=by if by is not None and by.is_authenticated else None,
            as_of=as_of,
            members_used=learned.members_used,
            members_reached=learned.members_reached,
            cv_auc=learned.cv_auc,
            cv_auc_spread=learned.cv_auc_spread,
            folds=learned.folds,
            intercept=learned.intercept,
            weights=learned.weights,
            poor_below=learned.poor_below,
            strong_from=learned.strong_from,
        )
        MemberFit.objects.all().delete()
        fits = []
        for h in history:
            result = assess(h.subject, model=model, context=context, chance=out_of_fold.get(h.member.pk))
            fits.append(
                MemberFit(
                    member=h.member,
                    model=model,
                    chance=result.chance or 0.0,
                    band=result.band,
                    reasons=result.reasons,
                    reached_first_year=h.reached,
                    out_of_fold=h.member.pk in out_of_fold,
                )
            )
        MemberFit.objects.bulk_create(fits, batch_size=2000)
        AuditEntry.objects.create(
            actor=model.trained_by, action="fit_model_trained", object_type="fit_model", object_id=str(model.pk),
            detail={"as_of": as_of.isoformat(), "cv_auc": round(learned.cv_auc, 4), "members": learned.members_used},
        )
    return model

