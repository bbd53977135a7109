"""However an empty phrase is cased, spaced or broken across lines, it is still found and still fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from membersuccess.outreach.checks import check_draft

PHRASES = [
    "just checking in",
    "check in",
    "touch base",
    "touching base",
    "following up",
    "follow up",
    "circling back",
    "reaching out to see how things are going",
    "wanted to check in",
]
SEPARATORS = st.text(alphabet=" \t\n\r\u00a0\u2003.,-–—!?;:…/*_~", min_size=1, max_size=4)
INSIDE_WORD = st.text(alphabet=" \t\n\u00a0\u200b", max_size=2)


@st.composite
def mangled_phrases(draw: st.DrawFn) -> str:
    """A phrase with random case per letter, separators between words, and stray spaces inside words."""
    words = draw(st.sampled_from(PHRASES)).split()
    out = []
    for index, word in enumerate(words):
        letters = [letter.upper() if draw(st.booleans()) else letter for letter in word]
        mangled = letters[0] + "".join(draw(INSIDE_WORD) + letter for letter in letters[1:])
        out.append(mangled)
        if index < len(words) - 1:
            out.append(draw(SEPARATORS))
    return draw(st.sampled_from(["", "Hi Ada,\n", "Hello! "])) + "".join(out) + draw(st.sampled_from(["", "!", "."]))


@settings(max_examples=200, deadline=None)
@given(mangled_phrases())
def test_a_mangled_empty_phrase_still_fails_and_is_found(draft):
    result = check_draft(draft)
    assert not result.passes
    assert result.empty_phrases
    assert result.reasons
