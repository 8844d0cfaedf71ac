"""Spelling (RG204): British English, as LibreOffice checks it, with Hunspell's en_GB dictionary.

Enchant (pyenchant) serves Debian's hunspell-en-gb through its Hunspell provider. Each distinct word is
looked up once per process (the dictionary is loaded and the answers kept before check forks its
workers), so a report whose words are all known costs one pass of a regular expression and a few set
look-ups. Only a report with an unknown word is read again piece by piece, to leave out what is not
running text: quotations, code, web and email addresses, people's names and the report's own terms.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check.registry import Span, Where, rule

Found = Iterator[tuple[Where, str]]

LANGUAGE = "en_GB"
# A word: letters, with inner apostrophes (council's, don't). Parts joined by a hyphen are words of their
# own (Hunspell checks "decision-making" part by part). Not part of an address, file name or code
# (gov.uk, a@b.org, HERON-4482, v2).
WORD = re.compile(r"(?<![\w@/.'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w@/-]|\.[^\W\d_])")
# What is not the author's running text: quotations (their spelling is the source's), inline code and
# addresses. Straight single quotes count only as a pair around words, never an apostrophe.
NOT_PROSE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|(?<!\w)'[^'\n]+'(?!\w)|`[^`]*`|\]\([^)]*\)"
                       r"|\b(?:https?://|www\.)\S+|\S+@\S+")
#: Keys whose every string names people: contact officers, members, signers, the report's author.
PEOPLE_KEYS = ("name", "report_by", "decision_maker", "lead_member", "signature", "contact_officers", "reviewers")

_known: dict[str, bool] = {}
_dictionary: Any = None
_unavailable: str | None = None


def _dict() -> Any:
    """The en_GB dictionary, loaded once per process; None (and the reason kept) when it cannot be."""
    global _dictionary, _unavailable
    if _dictionary is None and _unavailable is None:
        try:
            import enchant  # a C library loaded through ctypes: only check needs it
            _dictionary = enchant.Dict(LANGUAGE)
        except Exception as exc:  # no libenchant (ImportError) or no en_GB dictionary (DictNotFoundError)
            _unavailable = f"{type(exc).__name__}: {exc}"
    return _dictionary


def known(word: str) -> bool:
    """Whether Hunspell knows the word (as written, or in lower case at the start of a sentence)."""
    found = _known.get(word)
    if found is None:
        d = _dict()
        found = d is None or any(d.check(w) for w in (word, word.lower() if word[:1].isupper() else word,
                                                      word + "."))  # etc.
        if not found and "-" in word:  # decision-making: known as a whole, or each part known
            found = all(len(part) < 3 or known(part) for part in word.split("-"))
        _known[word] = found
    return found


def suggestions(word: str, limit: int = 3) -> list[str]:
    d = _dict()
    # Not the same word in other capitals ("Center" for "center"), nor two words.
    return [s for s in d.suggest(word) if " " not in s and s.casefold() != word.casefold()][:limit] \
        if d is not None else []


def _skip(word: str, own: set[str]) -> bool:
    """Not a word to look up: too short, an acronym or a name in capitals, CamelCase, or the council's own."""
    return (len(word) < 3 or word.isupper() or any(c.isupper() for c in word[1:])
            or word.casefold() in own or word.replace("’", "'").casefold() in own)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _people(value: Any) -> Iterator[str]:
    """Every string under a key that names a person (contact officers, members, signers, report_by)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in PEOPLE_KEYS:
                yield from _strings(v)
            else:
                yield from _people(v)
    elif isinstance(value, list):
        for v in value:
            yield from _people(v)


def own_words(ctx: Context) -> set[str]:
    """Words the report itself vouches for: the council's word lists, people's names, glossary terms and
    acronyms, each case-folded."""
    r = ctx.report
    parts = [*ctx.profile.word_list, *ctx.profile.known_acronyms, *(r.glossary or {}),
             *_people(ctx.loaded.data), *(s.name for s in ctx.loaded.signoffs)]
    return {w.casefold() for part in parts for w in re.split(r"[^\w'’]+", part) if w}


def warm_up() -> None:
    """Load the dictionary before check forks its workers, so that each inherits it."""
    if _dict() is not None:
        known("council")


@rule("RG204", "Spelling", "warning",
      """Words are spelled in British English, checked with Hunspell's en_GB dictionary (the one LibreOffice
      uses). A council adds its place names, councillors' and product names to a word list: a style's
      (profile `words`) or the project's (reportgen.yaml `words`). Quotations, code, web and email
      addresses, people's names, glossary terms and acronyms are not checked.""",
      "GOV.UK style guide; council report templates", "correct the spelling, or add the word to the word list",
      limit=20)
def spelling(ctx: Context, params: dict[str, Any]) -> Found:
    texts = [t for t in ctx.texts if not t.fixed and t.kind != "line"]
    unknown = {w for t in texts for w in WORD.findall(t.text) if not known(w)}
    if _unavailable is not None:
        yield (), f"spelling not checked: the {LANGUAGE} Hunspell dictionary cannot be loaded ({_unavailable})"
        return
    own = own_words(ctx) if unknown else set()
    unknown = {w for w in unknown if not _skip(w, own)}
    if not unknown:
        return  # most reports: every word known, nothing read twice
    seen: set[str] = set()
    for t in texts:
        prose = NOT_PROSE.sub(" ", t.text)
        for code in t.code:
            prose = prose.replace(code, " ")
        for word in WORD.findall(prose):
            if word in unknown and word not in seen and len(seen) < params["limit"]:
                seen.add(word)  # one finding per word, at its first use
                offer = suggestions(word)
                yield Span(t.loc, word), (f"'{word}' is not in the {LANGUAGE} dictionary"
                                          + (f" (did you mean {', '.join(repr(s) for s in offer)}?)" if offer else ""))
