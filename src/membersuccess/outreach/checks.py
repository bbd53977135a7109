"""The outreach value check: a draft passes only when it carries value for the member.

Pure Python, no Django: the web page, the API, the CLI and play templates all call `check_draft`.
A value item is one of
- a resource link: an http(s) URL with a real host;
- a plan: a sentence or list item naming a step the member takes and its date (see `values.dated_steps`);
- the member's next milestone, named (only with a member context, where we know which it is).
A draft without a value item fails; when it also holds an empty contact phrase ("just checking in")
the reason quotes it. An empty phrase next to a value item is allowed: the value is what counts.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date

from membersuccess.outreach.phrases import EmptyPhrase, find_empty_phrases
from membersuccess.outreach.values import dated_steps, names, resource_links

# Longer drafts are refused rather than scanned: an outreach message is not a book.
MAX_DRAFT_CHARS = 20_000


class ValueKind(enum.StrEnum):
    NEXT_MILESTONE = "next_milestone"
    PLAN = "plan"
    RESOURCE_LINK = "resource_link"


@dataclass(frozen=True)
class ValueItem:
    """One thing in the draft that moves the member forward, quoted as it was found."""

    kind: ValueKind
    text: str


@dataclass(frozen=True)
class Resource:
    """Something the organization offers that serves the member's required outcome."""

    name: str
    kind: str = ""
    url: str = ""


@dataclass(frozen=True)
class MemberContext:
    """What the check knows about the member a draft is for (built by `outreach.selectors`)."""

    member_name: str
    next_milestone: str | None = None
    next_milestone_due_on: date | None = None
    next_milestone_overdue: bool = False
    required_outcome: str | None = None
    resources: tuple[Resource, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DraftCheck:
    """The verdict on one draft: whether it passes, why not, and what was found."""

    passes: bool
    reasons: list[str]
    value_items: list[ValueItem]
    empty_phrases: list[EmptyPhrase]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict, the shape of the API response and `msm outreach lint --json`."""
        return {
            "passes": self.passes,
            "reasons": list(self.reasons),
            "value_items": [{"kind": str(item.kind), "text": item.text} for item in self.value_items],
            "empty_phrases": [
                {"text": phrase.text, "start": phrase.start, "end": phrase.end} for phrase in self.empty_phrases
            ],
        }


class DraftTooLong(ValueError):
    """The draft is longer than MAX_DRAFT_CHARS."""


def check_draft(text: str, *, member_context: MemberContext | None = None) -> DraftCheck:
    """Check that an outreach draft carries at least one value item; explain what to add when not."""
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftTooLong(
            f"The draft is {len(text):,} characters long; at most {MAX_DRAFT_CHARS:,} are checked."
        )
    if not text.strip():
        return DraftCheck(
            passes=False,
            reasons=["The draft is empty. " + _what_to_add(member_context)],
            value_items=[],
            empty_phrases=[],
        )
    value_items = _value_items(text, member_context=member_context)
    empty_phrases = find_empty_phrases(text)
    if value_items:
        return DraftCheck(passes=True, reasons=[], value_items=value_items, empty_phrases=empty_phrases)
    if empty_phrases:
        quoted = ", ".join(f"“{phrase.text}”" for phrase in _distinct(empty_phrases))
        first = (
            f"{quoted} is an empty contact phrase"
            if len(empty_phrases) == 1
            else f"{quoted} are empty contact phrases"
        )
        reason = f"{first} and the draft carries no value for the member. Only contact a member with value to add."
    else:
        reason = "The draft carries no value item for the member."
    return DraftCheck(
        passes=False,
        reasons=[reason, _what_to_add(member_context)],
        value_items=[],
        empty_phrases=empty_phrases,
    )


def _value_items(text: str, *, member_context: MemberContext | None) -> list[ValueItem]:
    items: list[ValueItem] = []
    if member_context is not None and member_context.next_milestone and names(text, member_context.next_milestone):
        items.append(ValueItem(kind=ValueKind.NEXT_MILESTONE, text=member_context.next_milestone))
    items.extend(ValueItem(kind=ValueKind.PLAN, text=step) for step in dated_steps(text))
    items.extend(ValueItem(kind=ValueKind.RESOURCE_LINK, text=url) for url in resource_links(text))
    return items


def _distinct(phrases: list[EmptyPhrase]) -> list[EmptyPhrase]:
    seen: set[str] = set()
    kept = []
    for phrase in phrases:
        key = phrase.text.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(phrase)
    return kept


def _what_to_add(context: MemberContext | None) -> str:
    """Advice naming the member's actual next milestone and a resource when we know them."""
    if context is None:
        return (
            "Add at least one value item: a link to a resource (an https:// URL), a plan (a step the member "
            "takes and its date, e.g. “Register for the review course by 3 May”), or the member's next "
            "milestone by name."
        )
    parts = []
    if context.next_milestone:
        when = ""
        if context.next_milestone_due_on is not None:
            verb = "was due" if context.next_milestone_overdue else "is due"
            due = context.next_milestone_due_on
            when = f", which {verb} on {due.day} {due:%B %Y}"
        parts.append(f"Name {context.member_name}'s next milestone, “{context.next_milestone}”{when}")
    else:
        parts.append(
            f"{context.member_name} has no next milestone on record (no journey yet, or every milestone is "
            "achieved), so name a plan or a resource"
        )
    resource = context.resources[0] if context.resources else None
    if resource is not None:
        outcome = f" toward “{context.required_outcome}”" if context.required_outcome else ""
        link = f" ({resource.url})" if resource.url else " with a link to it"
        parts.append(f"point to a resource{outcome} such as “{resource.name}”{link}")
    else:
        parts.append("add a link to a resource")
    parts.append("or lay out a plan: a step and its date (e.g. “Register by 3 May”)")
    return "; ".join(parts) + "."


# What a play's message template may use to carry value by construction; each stands for the member's own.
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
_SAMPLE_MILESTONE = "Sample next milestone"
TEMPLATE_SAMPLES = {
    "next_milestone": _SAMPLE_MILESTONE,
    "next_milestone.name": _SAMPLE_MILESTONE,
    "resource_url": "https://example.org/resource",
    "resource.url": "https://example.org/resource",
    "plan": "Register for the review course by 3 May.",
}


def check_template(text: str) -> DraftCheck:
    """Check a play's message template: `{{ next_milestone }}`, `{{ resource_url }}` or `{{ plan }}` is value.

    Any other placeholder (`{{ member_name }}`) is filled with a neutral word, so it never counts."""
    filled = _PLACEHOLDER.sub(lambda match: TEMPLATE_SAMPLES.get(match.group(1), "Member"), text)
    sample = MemberContext(member_name="the member", next_milestone=_SAMPLE_MILESTONE)
    result = check_draft(filled, member_context=sample)
    if result.passes:
        return result
    advice = (
        "A play's template carries value by construction: use {{ next_milestone }}, {{ resource_url }} "
        "or {{ plan }}, or write a dated step or a resource link into it."
    )
    return DraftCheck(
        passes=False, reasons=[*result.reasons[:-1], advice], value_items=[], empty_phrases=result.empty_phrases
    )
