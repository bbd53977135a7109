"""When a play fires: the trigger vocabulary, its validation, and matching it against what we know of a member.

Pure Python over `MemberFacts`, so matching is the same for the member 360 page, the API and `apply_plays`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from membersuccess.engine.vector import FLAGS
from membersuccess.plays.models import Play

STATUSES = ("on_track", "drifting", "off_track", "too_early")
STATUS_WORDS = {
    "on_track": "on track", "drifting": "drifting", "off_track": "off track", "too_early": "too early to tell",
}
FLAG_WORDS = {
    "off_track": "is off track",
    "drifting": "is drifting (their Success Vector is falling)",
    "quiet": "has gone quiet",
    "saved_at_risk": "was saved and is still at risk",
    "renewal_at_risk": "has a renewal at risk",
}
MAX_WINDOW_DAYS = 730
# Triggers that need a value, and what kind.
_NEEDS_STATUS = {Play.Trigger.STATUS}
_NEEDS_FLAG = {Play.Trigger.FLAG}
_NEEDS_DAYS = {Play.Trigger.RENEWAL_WINDOW, Play.Trigger.NEW_MEMBER}


class TriggerError(ValueError):
    """A play's trigger cannot be used; the message says what to change."""


def validate_trigger(*, trigger: str, value: str) -> str:
    """The trigger value, cleaned; raises TriggerError naming what is wrong."""
    value = value.strip()
    if trigger not in Play.Trigger.values:
        raise TriggerError(f"unknown trigger {trigger!r}; use one of {', '.join(Play.Trigger.values)}")
    if trigger in _NEEDS_STATUS:
        if value not in STATUSES:
            raise TriggerError(f"a status trigger needs one of {', '.join(STATUSES)}, not {value!r}")
        return value
    if trigger in _NEEDS_FLAG:
        if value not in FLAGS:
            raise TriggerError(f"a flag trigger needs one of {', '.join(FLAGS)}, not {value!r}")
        return value
    if trigger in _NEEDS_DAYS:
        if not value.isdigit() or not 1 <= int(value) <= MAX_WINDOW_DAYS:
            raise TriggerError(f"this trigger needs a number of days from 1 to {MAX_WINDOW_DAYS}, not {value!r}")
        return str(int(value))
    if value:
        raise TriggerError(f"the trigger “{Play.Trigger(trigger).label}” takes no value; leave it empty")
    return ""


def describe_trigger(*, trigger: str, value: str) -> str:
    """The trigger in words, e.g. "the member is off track" or "renewal within 60 days"."""
    match trigger:
        case Play.Trigger.STATUS:
            return f"the member's Success Vector is {STATUS_WORDS.get(value, value)}"
        case Play.Trigger.FLAG:
            return f"the member {FLAG_WORDS.get(value, value)}"
        case Play.Trigger.OVERDUE_MILESTONE:
            return "the member's next milestone is overdue past its grace"
        case Play.Trigger.RENEWAL_WINDOW:
            return f"the member's renewal is within {value} days"
        case Play.Trigger.NEW_MEMBER:
            return f"the member joined within the last {value} days"
        case Play.Trigger.SAVED_MEMBER:
            return "the member was saved from cancelling and has not reached their next milestone yet"
        case Play.Trigger.OUTCOME_UNKNOWN:
            return "we do not know the member's desired outcome yet"
    return trigger


@dataclass(frozen=True)
class MemberFacts:
    """What a trigger looks at for one member on one day."""

    member_id: int
    name: str
    as_of: date
    joined_on: date
    status: str | None = None  # the Success Vector status of the latest completed run
    flags: frozenset[str] = frozenset()
    next_milestone_id: int | None = None
    next_milestone: str | None = None
    next_milestone_due_on: date | None = None
    next_milestone_overdue: bool = False
    renewal_on: date | None = None  # end of the active term
    is_saved: bool = False  # an open recorded save, or the engine's saved_at_risk flag
    has_desired_outcome: bool = False
    required_outcome_id: int | None = None
    channels: frozenset[str] = field(default_factory=frozenset)
    formats: frozenset[str] = field(default_factory=frozenset)


def trigger_reason(*, trigger: str, value: str, facts: MemberFacts) -> str | None:
    """Why the trigger fires for this member, in words; None when it does not."""
    match trigger:
        case Play.Trigger.STATUS:
            if facts.status == value:
                return f"{facts.name} is {STATUS_WORDS.get(value, value)}"
        case Play.Trigger.FLAG:
            if value in facts.flags or (value == "saved_at_risk" and facts.is_saved):
                return f"{facts.name} {FLAG_WORDS.get(value, value)}"
        case Play.Trigger.OVERDUE_MILESTONE:
            if facts.next_milestone_overdue and facts.next_milestone:
                due = f" (due {facts.next_milestone_due_on:%-d %b %Y})" if facts.next_milestone_due_on else ""
                return f"{facts.name}'s next milestone “{facts.next_milestone}” is overdue{due}"
        case Play.Trigger.RENEWAL_WINDOW:
            if facts.renewal_on is not None and 0 <= (facts.renewal_on - facts.as_of).days <= int(value):
                return f"{facts.name}'s membership renews on {facts.renewal_on:%-d %b %Y}"
        case Play.Trigger.NEW_MEMBER:
            if 0 <= (facts.as_of - facts.joined_on).days <= int(value):
                return f"{facts.name} joined on {facts.joined_on:%-d %b %Y}"
        case Play.Trigger.SAVED_MEMBER:
            if facts.is_saved:
                return f"{facts.name} was saved from cancelling and stays at risk until their next milestone"
        case Play.Trigger.OUTCOME_UNKNOWN:
            if not facts.has_desired_outcome:
                return f"we don't know what {facts.name} is trying to achieve with us yet"
    return None
