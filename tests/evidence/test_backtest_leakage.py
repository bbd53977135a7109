"""The backtest sees only what was known on its as-of date: anything dated later — an interaction, a
survey, a staff confirmation, a ticket or its resolution — leaves the result exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction

from membersuccess.evidence.backtest import measure, score_known
from membersuccess.interactions.models import SupportTicket
from tests.evidence.backtest_factories import AS_OF, SmallAssociation, build_small_association, confirm_mentor, noon
from tests.factories import make_interaction, make_survey, make_ticket

LATER = AS_OF + timedelta(days=10)
Results = tuple[dict, list]


def results() -> Results:
    """The backtest's figures, and every member's engine row as of the as-of date."""
    known = score_known(as_of=AS_OF)
    return measure(known, horizon_days=365).to_dict(), known.result.to_pylist()


@pytest.fixture(scope="module")
def known_before(django_db_setup, django_db_blocker) -> Iterator[tuple[SmallAssociation, Results]]:
    """The small association, built once for this module and rolled back at its end, and its results."""
    with django_db_blocker.unblock(), transaction.atomic():
        association = build_small_association()
        yield association, results()
        transaction.set_rollback(True)


@pytest.fixture
def association(known_before, db) -> SmallAssociation:
    return known_before[0]


@pytest.fixture
def before(known_before) -> Results:
    return known_before[1]


def test_the_association_gives_a_measurable_backtest(before):
    figures = before[0]
    assert figures["members"] == 8 and figures["renewal_rate"] == pytest.approx(5 / 8)
    assert figures["auc"] is not None


def test_a_future_interaction_is_not_seen(association, before):
    for member in association.members.values():
        make_interaction(member=member, occurred_at=noon(LATER))
        make_interaction(member=member, kind="login", source="portal", occurred_at=noon(LATER))
    assert results() == before


def test_a_future_survey_is_not_seen(association, before):
    for member in association.members.values():
        make_survey(member=member, score=0, responded_at=noon(LATER))
    assert results() == before


def test_a_future_staff_confirmation_of_a_milestone_is_not_seen(association, before):
    for name in association.members:
        confirm_mentor(association, name=name, on=LATER)
    assert results() == before


def test_a_ticket_resolved_after_the_as_of_date_was_still_open_then(association, before):
    ticket = make_ticket(member=association.members["Ada"], opened_at=noon(AS_OF - timedelta(days=5)))
    still_open = results()
    SupportTicket.objects.filter(pk=ticket.pk).update(resolved_at=noon(LATER))
    assert results() == still_open != before


def test_a_future_ticket_is_not_seen(association, before):
    make_ticket(member=association.members["Ada"], opened_at=noon(LATER))
    assert results() == before


def test_the_same_facts_dated_on_the_as_of_date_are_seen(association, before):
    # The control: the checks above would notice these facts if they were visible.
    confirm_mentor(association, name="Hal", on=AS_OF)
    make_interaction(member=association.members["Hal"], occurred_at=noon(AS_OF))
    make_survey(member=association.members["Hal"], score=0, responded_at=noon(AS_OF))
    figures, rows = results()
    assert rows != before[1]
    assert figures["baselines"] != before[0]["baselines"]
