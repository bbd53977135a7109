"""Finding empty contact phrases ("just checking in", "touch base") however they are cased, spaced or split.

A draft is first reduced to its words: Unicode compatibility forms folded (NFKC), case folded,
invisible format characters (zero-width spaces) dropped, apostrophes dropped inside words
("how's" -> "hows"), and every other run of non-letters (spaces, line breaks, punctuation,
hyphens, HTML tags' brackets) turned into one space. Each phrase is then matched on that word
stream with spaces optional everywhere inside it, but whole words at both ends: "check-in",
"Check\\nIn", "CHECKIN" and "touch  base" all match, "checking the invoice" does not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Each phrase is a sequence of word slots: "a|b" is a choice, a trailing "?" makes the slot optional.
# Optional leading slots only widen what is quoted back to the writer ("wanted to check in").
_PHRASES: tuple[str, ...] = (
    "just|quick|quickly? wanted|want|wanting|going|here? to? check|checking|checked in|ins",
    "just|quick|quickly? wanted|want|wanting|going|here? to? check|checking up on",
    "just|quick|quickly? wanted|want|wanting|going|here? to? touch|touching|touched base",
    "just|quick|quickly? wanted|want|wanting|going|here? to? follow|following|followed up|ups",
    "just|quick|quickly? wanted|want|wanting|going|here? to? circle|circling|circled back",
    "just|quick|quickly? wanted|want|wanting|going|here? to? loop|looping|looped back",
    "just|quick|quickly? wanted|want|wanting|going|here? to? ping|pinging you|ya",
    "just|quick|quickly? wanted|want|wanting|going|here? to? reach|reaching|reached out to see|check|hear|know how",
    "just|quick|quickly? wanted|want|wanting|going|here? to? see|seeing|hear|hearing|know|ask|asking how "
    "things|everything|it|you|life|all is|are|s|re|has|have? been? going|doing|holding|coming",
    "hows|how is|are|s|re|has|have? been? things|everything|it|life|all going",
    "just|quick|quickly? wanted|want|wanting|going|here? to? keep|keeping|stay|staying in touch",
    "just|quick|quickly? wanted|want|wanting|going|here? to? say|saying hi|hello|hey",
    "just|quick|quickly? wanted|want|wanting|going|here? to? see|seeing|check|checking where things|you stand|are",
    "just|quick|quickly? wanted|want|wanting|going|here? to? reconnect|reconnecting",
    "any update|updates",
    "hope|hoping you|all|everything|things is|are|re|s? doing? well|good|great",
)

_APOSTROPHES = frozenset("'\u2019\u02bc\u2018`")


def _slot_pattern(slot: str) -> str:
    optional = slot.endswith("?")
    words = slot.removesuffix("?").split("|")
    # Spaces are allowed between any two letters, so a word split by a stray space or line break still matches.
    choice = "|".join(" ?".join(re.escape(letter) for letter in word) for word in words)
    return f"(?:(?:{choice}) ?)?" if optional else f"(?:{choice}) ?"


def _compile_phrase(phrase: str) -> re.Pattern[str]:
    slots = [_slot_pattern(slot) for slot in phrase.split(" ")]
    # Strip the trailing optional space of the final slot so the match ends on a word boundary.
    last = slots[-1]
    slots[-1] = last[: -len(" ?)?")] + ")?" if last.endswith(" ?)?") else last.removesuffix(" ?")
    return re.compile(r"\b" + "".join(slots) + r"\b")


PHRASE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(_compile_phrase(p) for p in _PHRASES)


@dataclass(frozen=True)
class Words:
    """A draft reduced to lower-case words separated by single spaces, mapped back to the original."""

    text: str
    origin: tuple[int, ...]  # for each character of `text`, its index in the original draft

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original draft's [start, end) for the words' [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def words_of(draft: str) -> Words:
    """Reduce a draft to its words (see the module docstring for what is folded away)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(draft):
        if char in _APOSTROPHES or unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                chars.append(folded)
                origin.append(index)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Words(text="".join(chars), origin=tuple(origin))


@dataclass(frozen=True)
class EmptyPhrase:
    """An empty contact phrase as the writer typed it, with where it sits in the draft."""

    text: str
    start: int
    end: int


def find_empty_phrases(draft: str) -> list[EmptyPhrase]:
    """Every empty contact phrase in the draft, in order, overlapping matches merged."""
    words = words_of(draft)
    spans: list[tuple[int, int]] = []
    for pattern in PHRASE_PATTERNS:
        spans.extend(match.span() for match in pattern.finditer(words.text) if match.end() > match.start())
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    found = []
    for start, end in merged:
        first, last = words.span(start, end)
        found.append(EmptyPhrase(text=" ".join(draft[first:last].split()), start=first, end=last))
    return found
