"""Which plays fire for which member, and triggers that cannot be used."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from membersuccess.plays.models import Play
from membersuccess.plays.triggers import MemberFacts, TriggerError, trigger_reason, validate_trigger

AS_OF = date(2024, 6, 30)


def facts(**changes: object) -> MemberFacts:
    base: dict[str, object] = {
        "member_id": 1, "name": "Ada", "as_of": AS_OF, "joined_on": date(2022, 1, 1), "has_desired_outcome": True,
    }
    base.update(changes)
    return MemberFacts(**base)  # type: ignore[arg-type]


def fires(trigger: str, value: str, **changes: object) -> bool:
    return trigger_reason(trigger=trigger, value=value, facts=facts(**changes)) is not None


def test_status_trigger_fires_on_that_vector_status_only() -> None:
    assert fires(Play.Trigger.STATUS, "off_track", status="off_track")
    assert not fires(Play.Trigger.STATUS, "off_track", status="drifting")
    assert not fires(Play.Trigger.STATUS, "off_track", status=None)


def test_flag_trigger_fires_when_the_vector_carries_the_flag() -> None:
    assert fires(Play.Trigger.FLAG, "quiet", flags=frozenset({"quiet", "renewal_at_risk"}))
    assert not fires(Play.Trigger.FLAG, "quiet", flags=frozenset({"drifting"}))


def test_saved_at_risk_flag_fires_for_a_recorded_save_too() -> None:
    assert fires(Play.Trigger.FLAG, "saved_at_risk", is_saved=True)


def test_overdue_milestone_trigger_names_the_milestone() -> None:
    reason = trigger_reason(
        trigger=Play.Trigger.OVERDUE_MILESTONE, value="",
        facts=facts(next_milestone="Complete prep course", next_milestone_overdue=True,
                    next_milestone_due_on=date(2024, 4, 1)),
    )
    assert reason == "Ada's next milestone “Complete prep course” is overdue (due 1 Apr 2024)"
    assert not fires(Play.Trigger.OVERDUE_MILESTONE, "", next_milestone="Complete prep course")


def test_renewal_window_fires_within_the_days_and_not_after_the_renewal() -> None:
    assert fires(Play.Trigger.RENEWAL_WINDOW, "60", renewal_on=AS_OF + timedelta(days=60))
    assert not fires(Play.Trigger.RENEWAL_WINDOW, "60", renewal_on=AS_OF + timedelta(days=61))
    assert not fires(Play.Trigger.RENEWAL_WINDOW, "60", renewal_on=AS_OF - timedelta(days=1))


def test_new_member_trigger_fires_for_recent_joiners() -> None:
    assert fires(Play.Trigger.NEW_MEMBER, "30", joined_on=AS_OF - timedelta(days=30))
    assert not fires(Play.Trigger.NEW_MEMBER, "30", joined_on=AS_OF - timedelta(days=31))


def test_saved_member_and_unknown_outcome_triggers() -> None:
    assert fires(Play.Trigger.SAVED_MEMBER, "", is_saved=True)
    assert not fires(Play.Trigger.SAVED_MEMBER, "", is_saved=False)
    assert fires(Play.Trigger.OUTCOME_UNKNOWN, "", has_desired_outcome=False)
    assert not fires(Play.Trigger.OUTCOME_UNKNOWN, "", has_desired_outcome=True)


@pytest.mark.parametrize(
    ("trigger", "value", "message"),
    [
        ("sometimes", "", "unknown trigger 'sometimes'"),
        (Play.Trigger.STATUS, "unhappy", "a status trigger needs one of"),
        (Play.Trigger.FLAG, "sleepy", "a flag trigger needs one of"),
        (Play.Trigger.RENEWAL_WINDOW, "soon", "needs a number of days from 1 to 730, not 'soon'"),
        (Play.Trigger.NEW_MEMBER, "0", "needs a number of days"),
        (Play.Trigger.OVERDUE_MILESTONE, "30", "takes no value"),
    ],
)
def test_an_invalid_trigger_is_refused_with_what_to_change(trigger: str, value: str, message: str) -> None:
    with pytest.raises(TriggerError, match=message):
        validate_trigger(trigger=trigger, value=value)
