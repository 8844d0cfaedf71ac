"""Spelling (RG204): British English, as LibreOffice checks it, with Hunspell's en_GB dictionary.

Enchant (pyenchant) serves Debian's hunspell-en-gb through its Hunspell provider. Each distinct word is
looked up once per process, and its answer kept on disk for the next (reportgen.check.dictionary: the
dictionary itself is loaded only for a word never looked up before), so a report whose words are all
known costs one pass of a regular expression and a few set look-ups. Only a report with an unknown word
is read again piece by piece, to leave out what is not running text: quotations, code, web and email
addresses, people's names and the report's own terms.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import compress
from typing import Any, Iterator, NamedTuple

from reportgen.check import dictionary
from reportgen.check.context import Context
from reportgen.check.registry import Span, Where, rule
from reportgen.content.yamlio import scalars

Found = Iterator[tuple[Where, str]]

LANGUAGE = dictionary.LANGUAGE
# Any run of letters: the fast first pass (a superset of Reading.word's matches; what it finds unknown is read
# again with Reading.word, piece by piece).
LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


class Reading(NamedTuple):
    """The patterns that read a text again, piece by piece: only a report with an unknown word needs them, so
    they are compiled then (`reading()`), not by every command that imports the rules."""

    #: A word: letters, with inner apostrophes (council's, don't). Parts joined by a hyphen are words of their
    #: own (Hunspell checks "decision-making" part by part). Not part of an address, file name or code
    #: (gov.uk, a@b.org, HERON-4482, v2).
    word: re.Pattern[str]
    #: The text before a word ends a sentence (or is empty): the word's capital is the sentence's, not a name's.
    sentence_start: re.Pattern[str]
    #: What is not the author's running text: quotations (their spelling is the source's), inline code and
    #: addresses. Straight single quotes count only as a pair around words, never an apostrophe.
    not_prose: re.Pattern[str]


@cache
def reading() -> Reading:
    return Reading(
        word=re.compile(r"(?<![\w@/.'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w@/-]|\.[^\W\d_])"),
        sentence_start=re.compile(r"(?:\A|[.!?:;•]|\n)[\s\"“‘'(\[*_-]*\Z"),
        not_prose=re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^'\n]+'(?!\w)|`[^`]*`|\]\([^)]*\)"
                             r"|\b(?:https?://|www\.)\S+|\S+@\S+"))

#: Keys whose every string names people: contact officers, members, signers, the report's author.
PEOPLE_KEYS = ("name", "report_by", "decision_maker", "lead_member", "signature", "contact_officers", "reviewers")

_known: dict[str, bool] = {}
#: Tokens (text between spaces, as typed) whose every word Hunspell knows: one set difference rules out a
#: report's known tokens at C speed; _unknown_in holds the unknown words of each other token seen.
_good: set[str] = set()
_unknown_in: dict[str, tuple[str, ...]] = {}


def _dict() -> dictionary.Speller:
    """The en_GB dictionary, its answers remembered on disk (reportgen.check.dictionary): loaded only for a
    word never looked up before, once per process; when it cannot be, every word counts as known and the
    rule says why."""
    return dictionary.speller()


def known(word: str) -> bool:
    """Whether Hunspell knows the word (as written, or in lower case at the start of a sentence)."""
    found = _known.get(word)
    if found is None:
        d = _dict()
        found = any(d.check(w) for w in (word, word.lower() if word[:1].isupper() else word,
                                         word + "."))  # etc.
        if not found and "-" in word:  # decision-making: known as a whole, or each part known
            found = all(len(part) < 3 or known(part) for part in word.split("-"))
        _known[word] = found
    return found


def unknown_words(token: str) -> tuple[str, ...]:
    """The words of a space-separated token that Hunspell does not know (remembered per token)."""
    found = _unknown_in.get(token)
    if found is None:
        found = tuple(w for w in LETTERS.findall(token) if not known(w))
        if found:
            _unknown_in[token] = found
        else:
            _good.add(token)
    return found


@lru_cache(maxsize=4096)
def suggestions(word: str, limit: int = 3) -> list[str]:
    """Hunspell's first suggestions (slow: about a tenth of a second each), once per word per process."""
    # Not the same word in other capitals ("Center" for "center"), nor two words.
    return [s for s in _dict().suggest(word) if " " not in s and s.casefold() != word.casefold()][:limit]


def _skip(word: str, own: set[str]) -> bool:
    """Not a word to look up: too short, an acronym or a name in capitals, CamelCase, or the council's own."""
    return (len(word) < 3 or word.isupper() or any(c.isupper() for c in word[1:])
            or word.casefold() in own or word.replace("’", "'").casefold() in own)


def _strings(value: Any) -> Iterator[str]:
    return (x for x in scalars(value) if isinstance(x, str))


def _people(data: Any) -> Iterator[str]:
    """Every string that names a person: the report's people keys, and people in the style's own sections."""
    if not isinstance(data, dict):
        return
    for key in PEOPLE_KEYS:
        yield from _strings(data.get(key))
    for value in (data.get("sections") or {}).values() if isinstance(data.get("sections"), dict) else ():
        if isinstance(value, list):
            yield from (s for item in value if isinstance(item, dict) for s in _strings(item.get("name")))


_OPENERS = " \t\"“‘'([*_-"


def opens_a_sentence(text: str, word: str) -> bool:
    """Whether the word, as a whole word, opens a sentence, a paragraph or a cell somewhere in the text (each
    text is a line of Context.all_text): its capital may be the sentence's, so it is checked."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not (start and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            i = start
            while i and text[i - 1] in _OPENERS:
                i -= 1
            if i == 0 or text[i - 1] in ".!?:;•\n":
                return True
        start = text.find(word, end)
    return False


def own_words(ctx: Context) -> set[str]:
    """Words the report itself vouches for: the council's word lists, people's names, glossary terms and
    acronyms, each case-folded."""
    r = ctx.report
    parts = [*ctx.profile.word_list, *ctx.profile.known_acronyms, *(r.glossary or {}),
             *_people(ctx.loaded.data), *(s.name for s in ctx.loaded.signoffs)]
    return {w.casefold() for part in parts for w in re.split(r"[^\w'’]+", part) if w}


def warm_up() -> None:
    """Open the table of answers (loading the dictionary only if it is new) before check forks its workers."""
    known("council")


@rule("RG204", "Spelling", "warning",
      """Words are spelled in British English, checked with Hunspell's en_GB dictionary (the one LibreOffice
      uses). A council adds its place names, councillors' and product names to a word list: a style's
      (profile `words`) or the project's (reportgen.yaml `words`). Quotations, code, web and email
      addresses, people's names, glossary terms and acronyms are not checked, nor, unless the style sets
      `names: true`, a capitalised word inside a sentence (a name of a place, product or organisation).""",
      "GOV.UK style guide; council report templates", "correct the spelling, or add the word to the word list",
      limit=20, names=False)
def spelling(ctx: Context, params: dict[str, Any]) -> Found:
    # Fast path: every distinct word of the report at once, the known ones removed by one set difference.
    unknown = {w for token in set(ctx.tokens) - _good for w in unknown_words(token)}
    unavailable = _dict().unavailable
    if unavailable is not None:
        yield (), f"spelling not checked: the {LANGUAGE} Hunspell dictionary cannot be loaded ({unavailable})"
        return
    unknown = {w for w in unknown if not _skip(w, set())}  # acronyms, CamelCase, short words: no more work
    if unknown and not params["names"] and any(w[0].isupper() for w in unknown):
        # A capitalised word that never opens a sentence is a name: left out without reading the texts.
        unknown = {w for w in unknown if not w[0].isupper() or opens_a_sentence(ctx.all_text, w)}
    if unknown:
        own = own_words(ctx)
        unknown = {w for w in unknown if not _skip(w, own)}
    if not unknown:
        return  # most reports: every word known, nothing read twice
    seen: set[str] = set()
    read = reading()
    for t in ctx.texts_holding(unknown):
        if t.fixed or t.kind == "line":
            continue
        prose = read.not_prose.sub(" ", t.text)
        for code in t.code:
            prose = prose.replace(code, " ")
        matches = list(read.word.finditer(prose))
        # Only the unknown words reach the loop: the others are passed over at C speed.
        for match in compress(matches, map(unknown.__contains__, map(re.Match.group, matches))):
            word = match.group(0)
            if word in seen or len(seen) >= params["limit"]:
                continue
            # A capital inside a sentence starts a name (a place, a product, an organisation): checked only
            # where the style asks for names too (names: true), with its word list.
            if word[0].isupper() and not params["names"] and not read.sentence_start.search(prose, 0, match.start()):
                continue
            seen.add(word)  # one finding per word, at its first use
            offer = suggestions(word)
            yield Span(t.loc, word), (f"'{word}' is not in the {LANGUAGE} dictionary"
                                      + (f" (did you mean {', '.join(repr(s) for s in offer)}?)" if offer else ""))
