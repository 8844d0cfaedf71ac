"""Language rules (RG2xx): acronyms, glossary and readability."""
from __future__ import annotations

import re
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check import flesch
from reportgen.check.flesch import flesch_reading_ease
from reportgen.check.registry import Span, Where, rule
from reportgen.check.textscan import section_loc

Found = Iterator[tuple[Where, str]]
# Not part of a code or name joined by '-' or '.' (HERON-LAND-4482, GOV.UK): those are not acronyms.
# The capital comes first and the look-behind after it (checking the character before it), so that the
# regular expression engine can skip straight to capitals: three times faster than a leading look-behind.
ACRONYM = re.compile(r"([A-Z](?<![-\w.].)[A-Z0-9&]{1,6})(s?)(?![-\w]|\.\w)")
# Chemical formulae and units read as capitals and digits (CO2, NO2, PM10, CH4), not abbreviations to expand.
FORMULA = re.compile(r"[A-Z]{1,2}\d{1,2}")
# The space between two sentences: after . ! or ?, before a capital, quote or bracket. The stop is matched
# (not looked behind for) so that the engine skips straight to each one.
SENTENCE_BREAK = re.compile(r"[.!?](\s+)(?=[A-Z“\"'(])")


def sentences(text: str) -> list[str]:
    """The text cut at each sentence break (each sentence keeps its stop)."""
    out, start = [], 0
    for found in SENTENCE_BREAK.finditer(text):
        out.append(text[start:found.start(1)])
        start = found.end(1)
    out.append(text[start:])
    return out


def _expanded_here(text: str, start: int, end: int) -> bool:
    """'Local Government Association (LGA)' or 'LGA (Local Government Association)'."""
    before = text[:start].rstrip()
    after = text[end:]
    return (before.endswith("(") and after.lstrip("s").startswith(")")) or after.startswith(" (")


@rule("RG201", "Acronym not expanded", "warning",
      """Every abbreviation is spelled out at first use or in the report's glossary, so that residents can
      read the paper. A house style lists acronyms everyone knows (known_acronyms).""",
      "GOV.UK style guide; council report templates", "write it out in full at first use, e.g. 'Local Government Association (LGA)', or add it to the glossary")
def acronyms(ctx: Context, params: dict[str, Any]) -> Found:
    known = set(ctx.profile.known_acronyms) | set(ctx.report.glossary or {})
    seen: set[str] = set()
    for t in ctx.texts:
        # "line" texts are house-style patterns around names and titles (NOT FOR PUBLICATION ...).
        if t.fixed or t.section == "glossary" or t.kind == "line":
            continue
        if t.kind == "heading" and t.text.upper() == t.text:
            continue  # an ALL-CAPS sub-heading is shouting, not a row of acronyms
        for match in ACRONYM.finditer(t.text):
            word = match.group(1)
            if word in seen or word in known or not any(c.isalpha() for c in word[1:]) or FORMULA.fullmatch(word):
                continue
            seen.add(word)
            if not _expanded_here(t.text, match.start(), match.end()):
                yield Span(t.loc, match.group(0)), f"{word} is not expanded at first use or in the glossary"


@rule("RG202", "Glossary entry not used", "warning",
      """A glossary explains the terms the report uses; an entry the report never uses is noise.""",
      "Council report templates", "remove the entry, or use the term")
def glossary_used(ctx: Context, params: dict[str, Any]) -> Found:
    body = " ".join(t.text for t in ctx.texts if t.section != "glossary")
    folded: str | None = None  # case-folded once, for every term not in capitals
    for term in ctx.report.glossary or {}:
        pattern = re.escape(term) if term.isupper() else re.escape(term.casefold())
        if term.isupper():
            haystack = body
        else:
            folded = haystack = body.casefold() if folded is None else folded
        # The term first, then the look-behind past it (no word character before it): a pattern that opens
        # with the term's letters is searched for as fast as plain text; one that opens with a look-behind
        # is tried at every position.
        length = len(term) if term.isupper() else len(term.casefold())
        if not re.search(rf"{pattern}(?<!\w[\s\S]{{{length}}})(?!\w)", haystack):
            yield ("glossary", term), f"glossary term '{term}' is not used in the report"


@rule("RG203", "Hard to read", "warning",
      """Plain English: GOV.UK aims for a reading age of about 9 and sentences of 25 words or fewer. For
      committee papers this is advice, strictest for the summary and the recommendations that residents and
      members read first. Scores use the Flesch reading ease (textstat).""",
      "GOV.UK content design guidance; DOMAIN.md", "shorten sentences and prefer common words",
      max_words=25, min_ease=30, strict_sections=["purpose", "recommendations"], strict_min_ease=50,
      min_section_words=40)
def readability(ctx: Context, params: dict[str, Any]) -> Found:
    sections: dict[str, list[str]] = {}
    for t in ctx.texts:
        if t.kind in ("para", "list") and not t.fixed:
            sections.setdefault(t.section, []).append(t.text)
    for section, parts in sections.items():
        text = " ".join(parts)
        lengths = [len(s.split()) for p in parts for s in sentences(p) if s.strip()]
        long = [n for n in lengths if n > params["max_words"]]
        strict = section in params["strict_sections"]
        floor = params["strict_min_ease"] if strict else params["min_ease"]
        problems = []
        if sum(lengths) >= params["min_section_words"]:
            ease = flesch_reading_ease(text)
            if ease < floor:
                problems.append(f"reading ease {ease:.0f} (aim for {floor} or more)")
        if long and (strict or len(long) * 4 > len(lengths)):
            problems.append(f"{len(long)} of {len(lengths)} sentences over {params['max_words']} words "
                            f"(longest {max(long)})")
        if problems:
            # A section of the style's own is named by its heading and located under `sections:`.
            custom = section in ctx.profile.custom_sections
            name = ctx.profile.heading_of(section) if custom else section
            yield section_loc(section, ctx.profile), f"section '{name}': " + "; ".join(problems)


def warm_up() -> None:
    flesch.warm_up()
