"""The demo looks like a real association: years of history, many sources, annual terms with lapses."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pyarrow.compute as pc

from membersuccess.demo.blueprint import JOURNEYS, OFFERINGS, OUTCOMES, SEGMENTS, SUCCESS_MANAGERS
from tests.demo.conftest import AS_OF

ISSUE_SOURCES = {"events", "lms", "certification", "portal", "community", "volunteering", "referrals", "email",
                 "finance"}


def rows(table) -> list[dict]:
    return table.to_pylist()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def terms_by_member(association) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for term in rows(association.memberships):
        grouped[term["member_id"]].append(term)
    return {member: sorted(terms, key=lambda t: t["start_on"]) for member, terms in grouped.items()}


def test_history_spans_at_least_three_years(association):
    three_years_before = AS_OF.replace(year=AS_OF.year - 3)
    assert pc.min(association.members.column("joined_on")).as_py() < three_years_before
    first = pc.min(association.interactions.column("occurred_at")).as_py()
    assert first.date() < three_years_before


def test_interactions_come_from_at_least_eight_sources(association):
    sources = set(association.interactions.column("source").unique().to_pylist())
    assert len(sources) >= 8
    assert sources >= ISSUE_SOURCES


def test_members_have_about_sixty_to_a_hundred_interactions_each(association):
    per_member = association.interactions.num_rows / association.members.num_rows
    assert 55 <= per_member <= 110


def test_everything_happened_before_the_as_of_date(association):
    cutoff = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC)
    assert pc.max(association.interactions.column("occurred_at")).as_py() < cutoff
    for table, column in ((association.tickets, "opened_at"), (association.surveys, "responded_at")):
        assert max(moment(t) for t in table.column(column).to_pylist()) < cutoff
    assert pc.max(association.members.column("joined_on")).as_py() < AS_OF


def test_every_segment_and_required_outcome_is_represented(association):
    assert set(association.members.column("segment").to_pylist()) == {s.code for s in SEGMENTS}
    assert set(association.outcomes.column("required_outcome").to_pylist()) == {o.code for o in OUTCOMES}
    assert set(association.members.column("kind").to_pylist()) == {"individual", "organization"}
    assert set(association.members.column("success_manager").to_pylist()) == set(SUCCESS_MANAGERS)


def test_every_kind_a_milestone_rule_counts_is_generated(association):
    generated = set(association.interactions.column("kind").unique().to_pylist())
    counted = {kind for journey in JOURNEYS for m in journey.milestones if m.rule for kind in m.rule.kinds}
    assert counted <= generated


def test_terms_are_consecutive_years_and_only_the_last_one_is_open(association):
    for member, terms in terms_by_member(association).items():
        for earlier, later in pairwise(terms):
            assert later["start_on"] == earlier["end_on"] + timedelta(days=1), member
            assert earlier["status"] in {"renewed", "upgraded", "downgraded"}, member
        for term in terms:
            assert 364 <= (term["end_on"] - term["start_on"]).days <= 365
        assert terms[-1]["status"] in {"active", "lapsed"}


def test_member_status_follows_the_last_term(association):
    last_terms = {member: terms[-1] for member, terms in terms_by_member(association).items()}
    statuses = defaultdict(int)
    for member in rows(association.members):
        last = last_terms[member["external_id"]]
        statuses[member["status"]] += 1
        if member["status"] == "lapsed":
            assert last["status"] == "lapsed" and last["end_on"] < AS_OF
        elif member["status"] == "grace":
            assert last["status"] == "active" and AS_OF - timedelta(days=31) <= last["end_on"] < AS_OF
        else:
            assert last["status"] == "active" and last["end_on"] >= AS_OF
    assert statuses["active"] > statuses["lapsed"] > 0


def test_lapsed_members_do_nothing_after_their_last_term(association):
    ended = {member: terms[-1]["end_on"] for member, terms in terms_by_member(association).items()
             if terms[-1]["status"] == "lapsed"}
    for interaction in rows(association.interactions.select(["member_id", "occurred_at"])):
        if interaction["member_id"] in ended:
            assert interaction["occurred_at"].date() <= ended[interaction["member_id"]]


def test_dues_follow_the_tier_and_some_members_change_tier(association):
    prices = {o.code: Decimal(o.price) for o in OFFERINGS}
    for term in rows(association.memberships):
        assert term["dues"] == prices[term["offering"]]
    statuses = set(association.memberships.column("status").to_pylist())
    assert {"active", "renewed", "upgraded", "downgraded", "lapsed"} <= statuses


def test_every_term_is_paid_once_with_its_dues(association):
    payments = association.interactions.filter(pc.equal(association.interactions.column("kind"), "payment"))
    # A term starting on the as-of date has not been paid yet.
    started = [t for t in rows(association.memberships) if t["start_on"] < AS_OF]
    assert payments.num_rows == len(started)
    assert pc.sum(payments.column("value")).as_py() == float(sum(t["dues"] for t in started))


def test_tickets_are_resolved_after_they_open_and_some_are_still_open(association):
    tickets = rows(association.tickets)
    still_open = [t for t in tickets if t["resolved_at"] is None]
    assert 0 < len(still_open) < len(tickets) / 5
    for ticket in tickets:
        if ticket["resolved_at"] is not None:
            assert moment(ticket["resolved_at"]) >= moment(ticket["opened_at"])


def test_survey_scores_are_in_their_scales(association):
    for survey in rows(association.surveys):
        low, high = (0, 10) if survey["kind"] == "nps" else (1, 5)
        assert low <= survey["score"] <= high
    assert set(association.surveys.column("kind").to_pylist()) == {"nps", "csat"}
