"""The value check on plain drafts: empty phrases fail with a reason, each value item alone passes."""

from __future__ import annotations

from datetime import date

import pytest

from membersuccess.outreach.checks import (
    MAX_DRAFT_CHARS,
    DraftTooLong,
    MemberContext,
    Resource,
    ValueKind,
    check_draft,
    check_template,
)

EMPTY_DRAFTS = [
    "Just checking in!",
    "just checking in",
    "JUST CHECKING IN",
    "Hi Ada,\n\nJust   checking\tin.\n\nBest, Sam",
    "Just checking\nin on you",
    "jUsT cHeCkInG iN",
    "Wanted to check in.",
    "Quick check-in?",
    "Let's touch base.",
    "Touching base about your membership",
    "touch...base",
    "Just following up on my last email.",
    "Following-up!",
    "A quick follow up",
    "Circling back on this.",
    "circling\r\nback",
    "Reaching out to see how things are going.",
    "I'm reaching out to see how you're doing",
    "How's it going?",
    "Hope you're doing well!",
    "Just wanted to say hi",
    "Ｊｕｓｔ ｃｈｅｃｋｉｎｇ ｉｎ",  # full-width letters
    "just check\u200bing in",  # a zero-width space inside a word
    "c h e c k i n g   i n",
]


@pytest.mark.parametrize("draft", EMPTY_DRAFTS)
def test_an_empty_contact_phrase_without_value_fails_with_the_phrase_quoted(draft):
    result = check_draft(draft)
    assert not result.passes
    assert result.empty_phrases, draft
    assert result.empty_phrases[0].text in result.reasons[0]
    assert "empty contact phrase" in result.reasons[0]
    assert "Add at least one value item" in result.reasons[-1]


def test_the_phrase_is_quoted_as_written_and_located():
    draft = "Hello!  Just CHECKING\nin."
    phrase = check_draft(draft).empty_phrases[0]
    assert phrase.text == "Just CHECKING in"
    assert draft[phrase.start : phrase.end] == "Just CHECKING\nin"


@pytest.mark.parametrize(
    ("draft", "kind"),
    [
        ("The ethics guide: https://example.org/guides/ethics", ValueKind.RESOURCE_LINK),
        ("Here it is (http://learn.example.org/ce?id=4).", ValueKind.RESOURCE_LINK),
        ("Register for the CE review course by 3 May.", ValueKind.PLAN),
        ("Steps:\n1. Complete module 2 by 2025-05-03\n2. Sit the exam", ValueKind.PLAN),
        ("Submit your portfolio on Friday.", ValueKind.PLAN),
        ("Your success plan review is on June 12th.", ValueKind.PLAN),
    ],
)
def test_each_value_item_alone_passes(draft, kind):
    result = check_draft(draft)
    assert result.passes, result.reasons
    assert result.reasons == []
    assert [item.kind for item in result.value_items] == [kind]


def test_a_link_without_member_context_is_a_value_item():
    result = check_draft("Thought this would help: https://example.org/mentoring")
    assert result.passes
    assert result.value_items[0].text == "https://example.org/mentoring"


@pytest.mark.parametrize(
    "draft",
    [
        "Go to https:// for more",
        "See http://localhostish",
        "javascript:alert(1)",
        "www.example.org",
        "Can we chat on Tuesday?",  # a meeting request, not a step
        "Let's book a call for 3 May to touch base.",
        "Complete it when you can.",  # a step without a date
        "The conference is on 3 May.",  # a date without a step
    ],
)
def test_things_that_are_not_value_items(draft):
    assert not check_draft(draft).passes


@pytest.mark.parametrize(
    "draft",
    [
        "Just checking in — the study group guide is at https://example.org/study",
        "Following up: register for the exam by 14 June.",
    ],
)
def test_a_phrase_next_to_a_value_item_passes(draft):
    result = check_draft(draft)
    assert result.passes
    assert result.empty_phrases and result.value_items


@pytest.mark.parametrize("draft", ["", " ", "\n\t  \n"])
def test_an_empty_draft_fails_with_a_clear_reason(draft):
    result = check_draft(draft)
    assert not result.passes
    assert result.reasons[0].startswith("The draft is empty.")


def test_a_draft_without_a_phrase_or_value_says_it_carries_no_value():
    result = check_draft("Hello Ada, hope the weather is nice.")
    assert not result.passes
    assert result.reasons[0] == "The draft carries no value item for the member."


def test_html_and_script_are_read_as_text():
    result = check_draft("<script>alert('just checking in')</script>")
    assert not result.passes
    assert result.empty_phrases[0].text == "just checking in"
    linked = check_draft('<a href="https://example.org/guide">the guide</a>')
    assert linked.passes
    assert linked.value_items[0].text == "https://example.org/guide"


def test_words_that_merely_contain_a_phrase_are_not_flagged():
    result = check_draft("We are checking the invoice; touchbases and followers aside.")
    assert result.empty_phrases == []


def test_a_draft_longer_than_the_limit_is_refused():
    with pytest.raises(DraftTooLong, match="at most 20,000"):
        check_draft("x" * (MAX_DRAFT_CHARS + 1))


CONTEXT = MemberContext(
    member_name="Ada Okafor",
    next_milestone="Earn 10 CE credits",
    next_milestone_due_on=date(2025, 5, 3),
    required_outcome="Stay current on CE credits",
    resources=(Resource(name="Ethics in Practice", kind="Course"),),
)


def test_naming_the_next_milestone_passes_with_member_context():
    result = check_draft("You are two courses from earning 10 CE credits. EARN 10 CE-credits!", member_context=CONTEXT)
    assert result.passes
    assert [item.kind for item in result.value_items] == [ValueKind.NEXT_MILESTONE]


def test_the_next_milestone_only_counts_with_member_context():
    assert not check_draft("Earn 10 CE credits").passes


def test_with_member_context_the_advice_names_the_next_milestone_and_a_resource():
    result = check_draft("Just checking in!", member_context=CONTEXT)
    assert not result.passes
    advice = result.reasons[-1]
    assert "“Earn 10 CE credits”, which is due on 3 May 2025" in advice
    assert "“Ethics in Practice”" in advice


def test_advice_for_a_member_without_a_next_milestone_says_so():
    result = check_draft("touch base", member_context=MemberContext(member_name="Ada"))
    assert "has no next milestone on record" in result.reasons[-1]


def test_a_template_with_a_value_placeholder_passes_by_construction():
    assert check_template("Hi {{ member_name }}, your next step: {{ next_milestone }}.").passes
    assert check_template("Hi {{member_name}}, this will help: {{ resource_url }}").passes
    assert check_template("{{ plan }}").passes


def test_a_template_without_value_fails_with_template_advice():
    result = check_template("Hi {{ member_name }}, just touching base!")
    assert not result.passes
    assert "{{ next_milestone }}" in result.reasons[-1]
