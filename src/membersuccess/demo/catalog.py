"""Install the demo association's configuration (DESIGN.md §2) into the database, idempotently.

Configuration is what staff set up in the admin, not something an AMS exports, so it is
written through the ORM; members and everything they did come in through the import path."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from membersuccess.accounts.models import AuditEntry, Role, StaffProfile, Team
from membersuccess.demo.blueprint import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    JOURNEYS,
    OFFERINGS,
    OUTCOMES,
    SEGMENTS,
    STAFF,
    TEAMS,
)
from membersuccess.journeys.models import Journey, SuccessMilestone
from membersuccess.members.models import Offering, RequiredOutcome, Segment

M = TypeVar("M", bound=models.Model)


@dataclass
class InstalledCatalog:
    """What the demo configuration holds after installing, and how many rows this run created."""

    segments: int = 0
    required_outcomes: int = 0
    offerings: int = 0
    journeys: int = 0
    milestones: int = 0
    teams: int = 0
    staff: int = 0
    created: int = 0


@transaction.atomic
def install_demo_catalog() -> InstalledCatalog:
    """Create or update segments, outcomes, offerings, journeys, teams and staff of the demo association.

    The catalog does not depend on the seed: a second `msm demo` with another seed updates
    the same configuration instead of adding a second one beside it."""
    installed = InstalledCatalog()
    segments = {}
    for spec in SEGMENTS:
        segments[spec.code] = _upsert(installed, Segment, {"code": spec.code},
                                      {"name": spec.name, "description": spec.description})
    outcomes = {}
    for o in OUTCOMES:
        outcomes[o.code] = _upsert(installed, RequiredOutcome, {"code": o.code},
                                   {"name": o.name, "description": o.description})
    for offering_spec in OFFERINGS:
        offering = _upsert(installed, Offering, {"code": offering_spec.code}, {
            "name": offering_spec.name, "kind": offering_spec.kind, "price": Decimal(offering_spec.price),
        })
        offering.serves.set([outcomes[code] for code in offering_spec.serves])
    for journey_spec in JOURNEYS:
        journey = _upsert(
            installed, Journey,
            {"required_outcome": outcomes[journey_spec.required_outcome],
             "segment": segments[journey_spec.segment] if journey_spec.segment else None},
            {"name": journey_spec.name, "description": journey_spec.description},
        )
        for order, m in enumerate(journey_spec.milestones, start=1):
            _upsert(installed, SuccessMilestone, {"journey": journey, "order": order}, {
                "name": m.name,
                "description": m.description,
                "due_offset_days": m.due_offset_days,
                "due_from": m.due_from,
                "grace_days": m.grace_days,
                "rule": {} if m.rule is None else m.rule.as_json(),
                "manual": m.manual,
            })
        journey.milestones.filter(order__gt=len(journey_spec.milestones)).delete()
    teams = {t.code: _upsert(installed, Team, {"code": t.code}, {"name": t.name}) for t in TEAMS}
    _install_staff(installed, teams)
    installed.segments, installed.required_outcomes = len(SEGMENTS), len(OUTCOMES)
    installed.offerings, installed.journeys = len(OFFERINGS), len(JOURNEYS)
    installed.milestones = sum(len(j.milestones) for j in JOURNEYS)
    installed.teams, installed.staff = len(TEAMS), len(STAFF)
    return installed


def _upsert(
    installed: InstalledCatalog, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> M:
    obj, created = model._default_manager.update_or_create(defaults=values, **lookup)
    installed.created += int(created)
    return obj


def _install_staff(installed: InstalledCatalog, teams: dict[str, Team]) -> None:
    """Staff personas in several departments; all sign in with the demo password.

    Hashing a password is deliberately slow, so the hash is computed once and shared, and
    only for users this run creates."""
    user_model = get_user_model()
    usernames = [s.username for s in STAFF]
    existing = {u.get_username(): u for u in user_model._default_manager.filter(username__in=usernames)}
    shared_hash: str | None = None
    for spec in STAFF:
        user = existing.get(spec.username)
        if user is None:
            shared_hash = shared_hash or make_password(DEMO_PASSWORD)
            user = user_model._default_manager.create(
                username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                email=f"{spec.username}@association.example", password=shared_hash,
                is_staff=spec.role == Role.ADMIN, is_superuser=spec.role == Role.ADMIN,
            )
            installed.created += 1
            AuditEntry.objects.create(action="user_created", object_type="user", object_id=str(user.pk),
                                      detail={"role": spec.role, "by": "msm demo"})
        elif spec.username == DEMO_USERNAME and not user.check_password(DEMO_PASSWORD):
            # The printed demo login must work even if someone changed it in an earlier run.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        _upsert(installed, StaffProfile, {"user": user},
                {"role": spec.role, "team": teams[spec.team], "title": spec.title})
