"""Recording renewals, upgrades, downgrades, lapses and returns: the same rows an import writes, audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from membersuccess.accounts.models import AuditEntry
from membersuccess.members.models import Member, MembershipTerm
from membersuccess.renewals.errors import RenewalError
from membersuccess.renewals.services import NextTerm, record_lapse, record_renewal, record_return
from tests.factories import make_member, make_offering, make_term

pytestmark = pytest.mark.django_db

RENEWED, UPGRADED, DOWNGRADED = (
    MembershipTerm.Status.RENEWED, MembershipTerm.Status.UPGRADED, MembershipTerm.Status.DOWNGRADED
)


@pytest.fixture
def term() -> MembershipTerm:
    member = make_member(external_id="M-ADA")
    return make_term(member=member, start_on=date(2024, 7, 1), end_on=date(2025, 6, 30), dues="200.00",
                     offering=make_offering(code="associate", price="200.00"))


def test_a_renewal_closes_the_term_as_renewed_and_starts_the_next_year(term):
    new = record_renewal(term=term, by=None)
    term.refresh_from_db()
    assert term.status == RENEWED
    assert (new.start_on, new.end_on, new.dues, new.offering, new.status) == (
        date(2025, 7, 1), date(2026, 6, 30), Decimal("200.00"), term.offering, MembershipTerm.Status.ACTIVE
    )
    assert new.external_id == "M-ADA-20250701"


def test_more_dues_is_an_upgrade(term):
    professional = make_offering(code="professional", price="450.00")
    new = record_renewal(term=term, by=None, next_term=NextTerm(dues=Decimal("450.00"), offering=professional))
    term.refresh_from_db()
    assert (term.status, new.offering) == (UPGRADED, professional)


def test_fewer_dues_is_a_downgrade(term):
    record_renewal(term=term, by=None, next_term=NextTerm(dues=Decimal("90.00")))
    term.refresh_from_db()
    assert term.status == DOWNGRADED


def test_a_renewal_is_audited_with_the_dues_before_and_after(term):
    record_renewal(term=term, by=None, next_term=NextTerm(dues=Decimal("450.00")))
    entry = AuditEntry.objects.get(action="term_upgraded")
    assert (entry.detail["dues_before"], entry.detail["dues_after"]) == ("200.00", "450.00")


def test_a_term_already_recorded_cannot_be_recorded_again(term):
    record_renewal(term=term, by=None)
    with pytest.raises(RenewalError, match=r"is already recorded as renewed"):
        record_renewal(term=term, by=None)
    assert MembershipTerm.objects.count() == 2


@pytest.mark.parametrize(
    ("next_term", "message"),
    [
        (NextTerm(start_on=date(2024, 7, 1)), "must start after the current one started"),
        (NextTerm(end_on=date(2025, 7, 1)), "must end after it starts"),
        (NextTerm(dues=Decimal("-1")), "dues cannot be negative"),
    ],
)
def test_a_bad_next_term_is_refused_and_nothing_is_written(term, next_term, message):
    with pytest.raises(RenewalError, match=message):
        record_renewal(term=term, by=None, next_term=next_term)
    term.refresh_from_db()
    assert term.status == MembershipTerm.Status.ACTIVE
    assert MembershipTerm.objects.count() == 1


def test_a_lapse_keeps_the_reason_and_the_member_is_lapsed(term):
    record_lapse(term=term, by=None, reason="Changed careers")
    term.refresh_from_db()
    assert (term.status, term.cancellation_reason) == (MembershipTerm.Status.LAPSED, "Changed careers")
    assert Member.objects.get(pk=term.member_id).status == Member.Status.LAPSED
    assert AuditEntry.objects.filter(action="term_lapsed").count() == 1


def test_a_cancellation_is_recorded_as_cancelled(term):
    record_lapse(term=term, by=None, cancelled=True)
    term.refresh_from_db()
    assert term.status == MembershipTerm.Status.CANCELLED


def test_a_too_long_reason_is_refused(term):
    with pytest.raises(RenewalError, match="the reason is 201 characters; at most 200"):
        record_lapse(term=term, by=None, reason="x" * 201)


def test_a_member_who_left_can_return_with_a_new_term(term):
    record_lapse(term=term, by=None)
    new = record_return(member=term.member, by=None, next_term=NextTerm(start_on=date(2025, 10, 1)))
    assert (new.start_on, new.end_on, new.dues) == (date(2025, 10, 1), date(2026, 9, 30), Decimal("200.00"))
    assert Member.objects.get(pk=term.member_id).status == Member.Status.ACTIVE
    assert AuditEntry.objects.filter(action="member_returned").count() == 1


def test_a_member_with_an_active_term_cannot_return(term):
    with pytest.raises(RenewalError, match="still has an active term: record its renewal instead"):
        record_return(member=term.member, by=None, next_term=NextTerm(start_on=date(2025, 10, 1)))


def test_recorded_rows_read_like_imported_ones(term):
    """An import of the same facts writes the ended term with its outcome status and an active new term."""
    record_renewal(term=term, by=None, next_term=NextTerm(dues=Decimal("90.00")))
    rows = list(MembershipTerm.objects.order_by("start_on").values_list("status", "dues"))
    assert rows == [(DOWNGRADED, Decimal("200.00")), (MembershipTerm.Status.ACTIVE, Decimal("90.00"))]
