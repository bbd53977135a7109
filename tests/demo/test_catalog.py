"""The demo configuration: segments, outcomes, offerings, journeys with milestones, departments and staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model

from membersuccess.accounts.models import AuditEntry, Role, StaffProfile, Team
from membersuccess.demo.blueprint import DEMO_PASSWORD, DEMO_USERNAME
from membersuccess.demo.catalog import install_demo_catalog
from membersuccess.journeys.models import Journey, SuccessMilestone
from membersuccess.members.models import Offering, RequiredOutcome, Segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fast_password_hasher")]
CONFIGURATION = (Segment, RequiredOutcome, Offering, Journey, SuccessMilestone, Team, StaffProfile, AuditEntry)


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model._default_manager.count() for model in CONFIGURATION}
    counts["User"] = get_user_model()._default_manager.count()
    counts["serves"] = Offering.serves.through.objects.count()
    return counts


def test_installing_twice_creates_nothing_twice():
    first = install_demo_catalog()
    before = row_counts()
    second = install_demo_catalog()
    assert first.created > 0
    assert second.created == 0
    assert row_counts() == before


def test_the_catalog_has_several_segments_outcomes_and_kinds_of_offering():
    install_demo_catalog()
    assert Segment.objects.count() >= 4
    assert set(RequiredOutcome.objects.values_list("code", flat=True)) >= {
        "earn-certification", "stay-current-ce", "grow-network", "find-a-job", "business-leads", "advocacy",
    }
    assert set(Offering.objects.values_list("kind", flat=True)) == set(Offering.Kind.values)
    assert not Offering.objects.filter(kind=Offering.Kind.DUES_TIER, price__lte=0).exists()


def test_every_required_outcome_has_a_default_journey_and_offerings_that_serve_it():
    install_demo_catalog()
    for outcome in RequiredOutcome.objects.all():
        assert outcome.journeys.filter(segment__isnull=True).exists(), outcome.code
        assert outcome.offerings.exists(), outcome.code
    assert Journey.objects.filter(segment__isnull=False).exists()


def test_every_journey_has_three_to_five_milestones_with_well_formed_rules():
    install_demo_catalog()
    for journey in Journey.objects.prefetch_related("milestones"):
        milestones = list(journey.milestones.all())
        assert 3 <= len(milestones) <= 5, journey.name
        assert [m.order for m in milestones] == list(range(1, len(milestones) + 1))
        assert sum(m.manual for m in milestones) <= 1, journey.name
        for m in milestones:
            assert m.due_offset_days > 0 and m.grace_days > 0
            if m.manual:
                assert m.rule == {}
                continue
            assert set(m.rule) == {"kinds", "aggregation", "threshold", "window"}
            assert m.rule["aggregation"] in {"count", "sum", "distinct_days"}
            assert m.rule["window"] in {"join", "term_start"} and m.rule["window"] == m.due_from
            assert m.rule["threshold"] > 0 and m.rule["kinds"]


def test_staff_work_in_at_least_five_departments_in_every_role():
    install_demo_catalog()
    departments = StaffProfile.objects.values_list("team__code", flat=True).distinct()
    assert len(set(departments)) >= 5
    assert set(StaffProfile.objects.values_list("role", flat=True)) == set(Role.values)


def test_the_demo_login_signs_in_as_a_success_manager():
    install_demo_catalog()
    user = authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None
    assert user.staff_profile.role == Role.SUCCESS_MANAGER


def test_a_changed_demo_password_is_set_back_so_the_printed_login_works():
    install_demo_catalog()
    user = get_user_model()._default_manager.get(username=DEMO_USERNAME)
    user.set_password("something-else")
    user.save()
    install_demo_catalog()
    assert authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD) is not None
