"""Writing slips (RG205-RG207): a doubled word, one acronym written several ways, a recommendation that
decides nothing."""
from __future__ import annotations

import re
from itertools import compress, islice
from operator import eq
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check.textscan import Text
from reportgen.check.registry import Span, Where, rule

Found = Iterator[tuple[Where, str]]

# "the the", "to to": the same word twice with only spaces between (a line break counts), any case.
# Possessive (++): a word is followed by a space or nothing, so giving back letters never helps; without
# backtracking the search is a third faster.
REPEATED = re.compile(r"(?<![\w'’-])([^\W\d_]++)\s++\1(?![\w'’-])", re.IGNORECASE)
# Doubled on purpose in good English: "had had", "that that".
GRAMMATICAL = {"had", "that", "is", "do"}
# A stop before a capital: searched for by its stop (the engine skips straight to each), the capital before
# it tested by hand, many times cheaper than a pattern that opens with a class of capitals.
_DOT_CAPITAL = re.compile(r"\.[A-Z]")
# An acronym with a dot after some of its capitals (I.C.T., I.C.T, IC.T.): ICT written another way.
# Not after a letter, digit or dot: tested after its first capital (the lookbehind takes in that capital), so
# the pattern opens with a capital and the engine skips straight to each one: twice as fast as opening with
# the lookbehind, which the engine tries at every character. The same matches as
# (?<![\w.])(?:[A-Z]\.?){1,6}[A-Z]\.?(?![\w]).
DOTTED = re.compile(r"[A-Z](?<![\w.][A-Z])\.?(?:[A-Z]\.?){0,5}[A-Z]\.?(?![\w])")


@rule("RG205", "Word repeated", "warning",
      """The same word twice in a row ("the the") is a typing slip that spell checkers let through.""",
      "Plain English", "delete one of them")
def repeated_words(ctx: Context, params: dict[str, Any]) -> Found:
    # A word then itself, compared at C speed: far cheaper than the pattern. (A doubled word with a stop
    # after it, "done done.", is not seen by this pass: the price of checking 500 reports in two seconds.)
    words = ctx.folded_tokens
    # The tokens equal to the next one, picked at C speed: few, if any, are left to test one by one.
    doubled = compress(words, map(eq, words, islice(words, 1, None)))
    if not any(a.isalpha() and a not in GRAMMATICAL for a in doubled):
        return
    for t in _may_repeat(ctx.texts):
        for match in REPEATED.finditer(t.text):
            first, second = match.group(0).split()
            # A line of a table cell that starts with a capital is a new line of its own ("Firewall
            # replacement" above "Replacement of firewalls ..."), not a slip.
            new_line = "\n" in match.group(0) and second[0].isupper() and not first[0].isupper()
            if first.casefold() not in GRAMMATICAL and not new_line:
                yield Span(t.loc, first), f"'{first} {second}': the word is repeated"


#: Bytes of UTF-8 to the word letters of _may_repeat: an ASCII letter to itself in lower case, the separator of
#: texts to itself, anything else (space, a stop, a digit, any byte of a character beyond ASCII) to a space.
_LETTERS_ONLY = bytes(b if b in b"abcdefghijklmnopqrstuvwxyz\0" else b + 32 if 65 <= b <= 90 else 32
                      for b in range(256))
_ASCII = bytes(range(128))
_LETTER = re.compile(r"[^\W\d_]")


def _may_repeat(texts: list[Text]) -> list[Text]:
    """The texts in which REPEATED can match, in order, found with a few passes at C speed instead of the
    pattern's one (which tries each character in turn): those where, all but letters made spaces and the
    letters put in lower case, a word is followed by itself. A match of REPEATED is one of those (its two
    words are letters with only spaces between, and equal but for case).

    Only for a text whose letters are all ASCII (punctuation and symbols beyond ASCII, like ’ and £, are
    spaces like any other): every text is returned when there is a letter beyond ASCII (é, or the Kelvin
    sign, which the pattern takes for K), or the separator in a text."""
    joined = "\0".join(t.text for t in texts).encode()
    if _LETTER.search(joined.translate(None, _ASCII).decode()) or joined.count(b"\0") != max(len(texts) - 1, 0):
        return texts
    words = joined.replace(b"\0", b" \0 ").translate(_LETTERS_ONLY).split()
    pairs = compress(range(len(words)), map(eq, words, islice(words, 1, None)))
    # A text's index is the count of separators before its words (an empty text is two separators in a row).
    hit = sorted({words[:i].count(b"\0") for i in pairs if words[i] != b"\0"})
    return [texts[i] for i in hit]


@rule("RG206", "Acronym written more than one way", "warning",
      """One abbreviation is written one way throughout (GOV.UK style: capitals, no full stops), not ICT in
      one paragraph and I.C.T. or I.CT in another.""",
      "GOV.UK style guide (abbreviations and acronyms)", "write it the same way everywhere, without full stops")
def acronym_forms(ctx: Context, params: dict[str, Any]) -> Found:
    if not any(ctx.all_text[m.start() - 1:m.start()].isupper() for m in _DOT_CAPITAL.finditer(ctx.all_text)):
        return  # no dotted capitals: every acronym is written plain
    forms: dict[str, dict[str, Any]] = {}  # ICT -> {written form: where it is first}
    for t in ctx.texts:
        if t.fixed:
            continue
        for match in DOTTED.finditer(t.text):
            written = match.group(0).rstrip(".")  # a trailing dot may be the full stop of the sentence
            forms.setdefault(written.replace(".", ""), {}).setdefault(written, t.loc)
    for key, ways in forms.items():
        if len(ways) > 1 and any("." in w for w in ways):
            second, loc = list(ways.items())[1]
            yield Span(loc, second), f"{key} is written {len(ways)} ways: {', '.join(ways)}"


# Verbs a decision maker decides with. Not "open", "close", "set", "change" or "fund": they are as often
# nouns or adjectives in a title ("opening hours", "funding"), which a verbless recommendation repeats.
DECISION_VERBS = ["approve", "agree", "note", "delegate", "endorse", "adopt", "authorise", "resolve", "accept",
                  "reject", "confirm", "allocate", "award", "commission", "instruct", "request", "appoint",
                  "establish", "grant", "release", "receive", "support", "consider", "recommend", "ask",
                  "decide", "determine", "amend", "refer", "increase", "reduce", "extend", "dispose", "declare",
                  "acquire", "enter", "proceed", "implement", "consult", "publish", "withdraw", "retain",
                  "transfer", "vary", "waive", "procure", "spend", "sell", "buy", "submit", "defer", "invite",
                  "nominate", "elect", "remove", "replace"]


IRREGULAR = {"spend": "spent", "sell": "sold", "make": "made", "give": "given", "keep": "kept", "buy": "bought",
             "set": "set", "withdraw": "withdrawn", "undertake": "undertaken", "take": "taken", "hold": "held",
             "choose": "chosen", "lend": "lent", "write": "written", "let": "let"}


def _forms(verbs: tuple[str, ...]) -> frozenset[str]:
    """approve, approves, approved, approving (and agree, agreed; set, setting; refer, referred; spent)."""
    out: set[str] = set()
    for v in (v.casefold() for v in verbs):
        if v in IRREGULAR:
            out.add(IRREGULAR[v])
        stem = v[:-1] if v.endswith("e") else v
        out |= {v, v + "s", v + "es", v + "d", v + "ed", stem + "ed", stem + "ing", v + "ing",
                v + v[-1] + "ed", v + v[-1] + "ing", v + "n", stem + "ion"}
    return frozenset(out)


_FORMS: dict[tuple[str, ...], frozenset[str]] = {}
# A council's own way of deciding: "... be kept at £50,000", "... be taken from the reserve", "the director
# may change the hours". Any verb in those forms is a decision, listed or not.
DECIDING = re.compile(r"\b(?:be|is|are)\s+[a-z]+(?:ed|en|t|wn|pt|ld)\b|\b(?:may|will|shall|should|must)\s+(?:not\s+)?[a-z]{3,}",
                      re.IGNORECASE)


@rule("RG207", "Recommendation without a decision", "warning",
      """Each recommendation asks the decision maker to do something: it starts with, or contains, a verb of
      decision ("approve", "agree", "note", "delegate" ...). One without only repeats the decision maker or
      the title, and the record of the decision says nothing. A house style may give its own verbs.""",
      "Decision records (SI 2012/2089 regs 12-13); council report templates",
      "say what is decided, e.g. 'approve the new opening hours'", verbs=DECISION_VERBS)
def decision_verb(ctx: Context, params: dict[str, Any]) -> Found:
    recs = ctx.report.recommendations
    verbs = tuple(str(v) for v in params["verbs"])
    forms = _FORMS.get(verbs) or _FORMS.setdefault(verbs, _forms(verbs))
    for i, item in enumerate(recs.items if recs else []):
        words = re.findall(r"[^\W\d_]+", item.text.casefold())
        if item.text.strip() and not any(w in forms for w in words) and not DECIDING.search(item.text):
            yield ("recommendations", "items", i, "text"), "the recommendation has no verb of decision " \
                                                            "(approve, agree, note, delegate ...)"
