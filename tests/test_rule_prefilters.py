"""The cheap first passes of rules (what they may rule out without the full search) never rule out a text
the full search would find something in."""
from __future__ import annotations

import itertools
import re

import pytest

from reportgen.check.rules.completeness import GUIDANCE, _HINT_GROUPS, _INSTRUCTION_HINTS, _any_phrase, _contains_any
from reportgen.check.rules.writing import DOTTED, REPEATED, _may_repeat
from reportgen.check.context import fold
from reportgen.check.textscan import Text

# Doubled words the pattern finds, next to what makes them hard for a pass over letters only: brackets,
# quotes and dashes beyond ASCII, a line break, other case, a letter beyond ASCII, the Kelvin sign the
# pattern takes for K, the dotted capital I, a final sigma, a word after a pound sign.
DOUBLED = ["(the the)", "“the the”", "rates–the the", "The\nthe cost", "THE the", "café café", "\u212a k",
           "İs İs", "ΟΔΟΣ ΟΔΟΣ", "x the the.", "£5 the the", "the\u00a0the", "a\x1cA"]
SINGLE = ["The council met.", "the theatre", "2 2"]


def texts(*values: str) -> list[Text]:
    return [Text(("purpose",), "para", v, "purpose") for v in values]


@pytest.mark.parametrize("doubled", DOUBLED)
def test_a_text_with_a_doubled_word_is_always_searched(doubled: str) -> None:
    assert REPEATED.search(doubled)
    for around in itertools.permutations(SINGLE[:3], 2):
        given = texts(around[0], doubled, around[1])
        assert given[1] in _may_repeat(given)


def test_texts_without_a_doubled_word_are_left_out_and_the_order_kept() -> None:
    given = texts(*SINGLE, "the the", "the, then", "and and", "The council.", "the", "the")  # the last two: apart
    assert [t.text for t in given if REPEATED.search(t.text)] == ["the the", "and and"]
    assert [t.text for t in _may_repeat(given)] == ["the the", "and and"]


def test_a_text_holding_the_separator_makes_every_text_searched() -> None:
    given = texts("the\0the", "nothing twice")
    assert _may_repeat(given) == given


def test_dotted_acronyms_are_found_as_by_the_pattern_that_opens_with_its_lookbehind() -> None:
    plain = re.compile(r"(?<![\w.])(?:[A-Z]\.?){1,6}[A-Z]\.?(?![\w])")
    for text in ["I.C.T. and ICT", "x.I.C.T", "aI.C.T", "IC.T.", "A.B.C.D.E.F.G.H", "(U.K.)", "3U.K.", "U.K",
                 "é.A.B", "I.CT ICT I.C.T.S.", ".AB", "AB"]:
        assert [m.span() for m in DOTTED.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize("text", ["delete this guidance", "please delete this guidance now", "guidance:",
                                  "the guidance notes", "guidance guidance: x", "a note to author", "authors' note",
                                  "click here to enter", "enter text her", "completed before", "[name of]",
                                  "see [...] and (enter", "", "guidanc", "for example onl"])
def test_phrases_and_hints_are_found_exactly_where_a_plain_search_finds_them(text: str) -> None:
    phrases = tuple(GUIDANCE)
    assert _any_phrase(phrases, text) == any(p in text for p in phrases)
    assert _contains_any(text, _HINT_GROUPS) == any(h in text for h in _INSTRUCTION_HINTS)
    for own in [("aa", "aaa", "a a"), ("note", "note:"), ("",)]:
        assert _any_phrase(own, text + " aa") == any(p in text + " aa" for p in own)


def test_fold_is_casefold_whatever_the_characters() -> None:
    """Context.fold takes a short cut for text whose characters beyond ASCII fold to themselves."""
    for code in [*range(0x3000), 0xFB01, 0x1E9E, 0x212A, 0x10400, 0xD800]:
        for text in (f"Delete This £5 {chr(code)} Guidance", f"PLEASE{chr(code)}", chr(code)):
            assert fold(text) == text.casefold(), hex(code)
