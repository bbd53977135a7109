"""Finding value items in a draft: a resource link, a plan (a dated step), the member's next milestone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from membersuccess.outreach.phrases import words_of

# A URL runs until whitespace or a character that cannot end one in prose or HTML (quotes, brackets).
_URL = re.compile(r"https?://[^\s<>\"'`(){}\[\]]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?"

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# A date a member can put in a calendar: 2025-05-03, 3 May, May 3rd, 3rd of May, 5/3(/2025), a weekday,
# tomorrow, or the end of this week/month. A month alone ("in May") is too vague to be a step's date.
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_DAY}\s+(?:of\s+)?(?:{_MONTHS})\b"
    rf"|(?:{_MONTHS})\.?\s+{_DAY}\b"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|tomorrow"
    r"|end\s+of\s+(?:this|the|next)\s+(?:week|month))\b",
    re.IGNORECASE,
)
# What a member does to move toward a milestone. Meeting verbs (call, chat, meet, talk) are left out on
# purpose: "can we chat on Tuesday?" is a contact, not a step.
_STEP = re.compile(
    r"\b(?:register|registration|enrol|enroll|sign(?:s|ed|ing)?\s+up|attend|complete|finish|submit|apply"
    r"|application|book|reserve|join|start|begin|take|sit|pass|renew|upload|send|review|read|watch|download"
    r"|prepare|study|practi[cs]e|log|record|earn|claim|present|volunteer|deadline|due|closes?|opens?"
    r"|success\s+plan|action\s+plan)\w*",
    re.IGNORECASE,
)
# A sentence about a call or a chat is a meeting request even when it has a date and "book" or "join".
_MEETING = re.compile(r"\b(?:call|chat|catch[\s-]*up|coffee|zoom|sync)\b", re.IGNORECASE)
# Sentences end at . ! ? followed by a space, or at a line break; a list item is its own line.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def resource_links(draft: str) -> list[str]:
    """The http(s) URLs with a real host in the draft, in order (trailing punctuation is not part of them)."""
    links = []
    for match in _URL.finditer(draft):
        url = match.group().rstrip(_URL_TRAILING)
        host = urlsplit(url).hostname or ""
        if "." in host.strip(".") or host == "localhost":
            links.append(url)
    return links


def dated_steps(draft: str) -> list[str]:
    """Sentences or list items that name a step the member takes and the date it happens or is due."""
    steps = []
    for sentence in _SENTENCE_END.split(draft):
        sentence = " ".join(sentence.split())
        without_links = _URL.sub(" ", sentence)
        if _DATE.search(without_links) and _STEP.search(without_links) and not _MEETING.search(without_links):
            steps.append(sentence)
    return steps


def names(draft: str, name: str) -> bool:
    """Whether the draft names `name` as whole words, ignoring case, spacing and punctuation."""
    wanted = words_of(name).text
    return bool(wanted) and f" {wanted} " in f" {words_of(draft).text} "
