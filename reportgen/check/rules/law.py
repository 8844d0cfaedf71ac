"""Law and timing rules (RG4xx): publication, key decisions, exempt information, equality duty."""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check.registry import rule
from reportgen.content.dates import clear_working_days, publication_deadline
from reportgen.content.model import Exemption
from reportgen.content.yamlio import Loc
from reportgen.style import wording

Found = Iterator[tuple[Loc, str]]


def _when(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _non_executive(ctx: Context, params: dict[str, Any]) -> bool:
    body = wording.body(ctx.report)
    return body.strip().casefold() in {b.casefold() for b in params["non_executive"]}


@rule("RG401", "Not published five clear working days before the meeting", "error",
      """Agendas and reports must be open to inspection at least five clear days before the meeting. Clear
      days exclude the day of publication and the day of the meeting; weekends and bank holidays in England
      and Wales do not count. A late report needs an urgency statement (the chair agreed it is urgent, with
      the special circumstances).""",
      "Local Government Act 1972 s.100B(3)-(4); SI 2012/2089 regs 6-7",
      "publish earlier, move the meeting, or give urgency_statement", clear_days=5)
def five_clear_days(ctx: Context, params: dict[str, Any]) -> Found:
    r = ctx.report
    if r.urgency_statement or r.date is None:
        return
    if r.publication_date is None:
        # A meeting's reports are published with its agenda: that date is the meeting file's (RG601).
        if r.meeting is None:
            deadline = publication_deadline(r.date, params["clear_days"])
            yield ("decision_date",), (f"no publication_date: it must be published by {_when(deadline)} for the "
                                       f"{_when(r.date)} decision")
        return
    days = clear_working_days(r.publication_date, r.date)
    if days < params["clear_days"]:
        yield ("publication_date",), (f"published {_when(r.publication_date)}, only {days} clear working days "
                                      f"before {_when(r.date)} (needs {params['clear_days']})")


@rule("RG402", "Key decision without 28 days' notice", "error",
      """A key decision must be in the forward plan at least 28 clear days before it is taken, unless the
      general exception (reg 10) or special urgency (reg 11) procedure was used.""",
      "SI 2012/2089 regs 9-11",
      "add what the finding names under decision_type, or record decision_type.urgency (reg 10 or 11)",
      notice_days=28, require_reference=False)
def key_decision_notice(ctx: Context, params: dict[str, Any]) -> Found:
    dtype, when = ctx.report.decision_type, ctx.report.date
    if dtype is None or not dtype.key or dtype.urgency != "none":
        return
    # The notice date is what the law asks for; some councils publish no references, so one is needed
    # only where the style requires it (require_reference).
    if not dtype.forward_plan_ref and params["require_reference"]:
        yield ("decision_type",), "key decision has no forward plan reference (forward_plan_ref)"
    if dtype.notice_date is None:
        yield ("decision_type",), "key decision has no forward plan notice date (notice_date)"
    elif when is not None:
        clear = (when - dtype.notice_date).days - 1
        if clear < params["notice_days"]:
            yield ("decision_type", "notice_date"), (f"forward plan notice on {_when(dtype.notice_date)} gives "
                                                     f"{clear} clear days before {_when(when)} "
                                                     f"(needs {params['notice_days']})")


@rule("RG403", "Looks like a key decision", "warning",
      """An executive decision is key when it is significant in spending or savings (the house style's
      threshold) or in its effects on communities in two or more wards. Full Council decisions are not
      executive decisions.""",
      "SI 2012/2089 reg 8", "mark decision_type as key (with forward plan notice), or give decision_type.reason",
      non_executive=["Council", "Full Council"])
def should_be_key(ctx: Context, params: dict[str, Any]) -> Found:
    r = ctx.report
    if (r.decision_type and (r.decision_type.key or r.decision_type.reason)) or _non_executive(ctx, params):
        return  # key, or the report explains why it is not
    reasons = []
    threshold = ctx.profile.key_decision_threshold
    if r.decision_value is not None and r.decision_value >= threshold:
        reasons.append(f"its value £{r.decision_value:,.0f} reaches the £{threshold:,.0f} threshold")
    if r.wards and (r.wards.all or len(r.wards.names) >= 2):
        reasons.append("it affects " + ("all wards" if r.wards.all else f"{len(r.wards.names)} wards"))
    if reasons:
        yield ("decision_type",) if r.decision_type else (), "not marked key, but " + " and ".join(reasons)


@rule("RG404", "Decision type not stated", "warning",
      """An executive report says whether it is a key decision, so that the forward plan and call-in rules
      can be applied.""",
      "SI 2012/2089 regs 8-9", "set decision_type: key or non-key", non_executive=["Council", "Full Council"])
def decision_type_stated(ctx: Context, params: dict[str, Any]) -> Found:
    if ctx.report.decision_type is None and not _non_executive(ctx, params):
        yield (), "the report does not say whether this is a key decision"


@rule("RG405", "Exempt without paragraph or public interest", "error",
      """Information is exempt only under a paragraph of Schedule 12A Part 1 (1-7), and only while the public
      interest in keeping it exempt outweighs the interest in disclosing it (paragraph 10). An exempt report
      or appendix therefore cites its paragraph and a public-interest statement.""",
      "LGA 1972 Schedule 12A", "add the paragraph number(s) and a public_interest statement")
def exempt(ctx: Context, params: dict[str, Any]) -> Found:
    items: list[tuple[Loc, str, Exemption]] = []
    if ctx.report.classification.status == "exempt":
        items.append((("classification",), "the report", ctx.report.classification))
    for i, app in enumerate(ctx.report.appendices or []):
        if app.exempt is not None:
            items.append((("appendices", i, "exempt"), f"appendix {app.id}", app.exempt))
    for loc, what, exemption in items:
        if not exemption.paragraphs:
            yield loc, f"{what} is exempt but cites no Schedule 12A paragraph"
        if not (exemption.public_interest or "").strip():
            yield loc, f"{what} is exempt but has no public-interest statement"


DUTY = re.compile(r"section 149|s\.? ?149|public sector equality duty|due regard", re.IGNORECASE)
EIA = re.compile(r"(equality|equalities) (and \w+ )?impact assessment|\bEIA\b", re.IGNORECASE)


@rule("RG406", "Equality duty not addressed", "error",
      """Decision makers must have due regard to the public sector equality duty. Reports quote the s.149(1)
      general duty and say whether an equality impact assessment was done.""",
      "Equality Act 2010 s.149", "add to the equality section what the finding names")
def equality(ctx: Context, params: dict[str, Any]) -> Found:
    eq = ctx.report.equality
    if eq is None:
        yield (), ("no equality section: the s.149 duty is not addressed (set equality.general_duty: true and "
                   "give equality.impact_assessment)")
        return
    text = " ".join(b.text or "" for b in eq.text)
    if not eq.general_duty and not DUTY.search(text):
        yield ("equality",), "the equality section does not state the s.149 general duty: set equality.general_duty: true"
    if eq.impact_assessment is None and not EIA.search(text):
        yield ("equality",), ("the equality section does not say whether an equality impact assessment was done: "
                              "give equality.impact_assessment")


#: Words that say information is not to be published. "exempt from" (VAT, a charge) is another matter.
_UNPUBLISHABLE = re.compile(r"\bnot for publication\b|\bconfidential\b|\bexempt\b(?!\s+from\b)", re.IGNORECASE)
# The same words in case-folded text: one case-sensitive search of the whole report finds the texts to read.
_UNPUBLISHABLE_PARTS = ("not for publication", "confidential", "exempt")
_UNPUBLISHABLE_WORDS = re.compile("|".join(_UNPUBLISHABLE_PARTS))


@cache
def _sentence_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A sentence break, an appendix reference, and "this information" (or the like): compiled only for a
    report that says one of the words, as most do not."""
    return (re.compile(r"(?<=[.!?])\s+"),
            re.compile(r"\b(?:appendix|annex|appendices)\s+([A-Z0-9]{1,4})\b", re.IGNORECASE),
            re.compile(r"\bth(?:is|ese) (?:paragraphs?|sections?|information|figures?|details?|report)\b",
                       re.IGNORECASE))


@rule("RG411", "Called not for publication but not marked exempt", "error",
      """Text that calls an appendix or paragraph "not for publication", "exempt" or "confidential" says it
      must not be published, but only the exempt marking (`classification` of the report, `exempt` of an
      appendix, with its Schedule 12A paragraph) keeps it out of the public pack. Unmarked, it would be
      published with everything else.""",
      "LGA 1972 s.100B(2) and Schedule 12A",
      "mark the appendix (or the report) exempt with its Schedule 12A paragraph, or reword the text")
def unmarked_exempt(ctx: Context, params: dict[str, Any]) -> Found:
    if ctx.report.classification.status == "exempt" or not any(w in ctx.folded for w in _UNPUBLISHABLE_PARTS):
        return  # an exempt report keeps all of itself out of the public pack; most reports say none of the words
    appendices = {str(a.id).casefold(): (i, a) for i, a in enumerate(ctx.report.appendices or [])}
    sentence_break, appendix_ref, this_ref = _sentence_patterns()
    for t in ctx.texts_with(_UNPUBLISHABLE_WORDS):  # most texts say none of the words: not cut into sentences
        if t.fixed or t.loc[:1] in (("classification",), ("appendices",)):
            continue  # the house style's own wording of a marking
        for sentence in sentence_break.split(t.text):
            said = _UNPUBLISHABLE.search(sentence)
            if not said:
                continue
            refs = [appendices[m.group(1).casefold()] for m in appendix_ref.finditer(sentence)
                    if m.group(1).casefold() in appendices]
            for i, app in refs:
                if app.exempt is None:
                    yield t.loc, (f"calls Appendix {app.id} '{said.group(0)}', but it is not marked exempt "
                                  f"(appendices[{i}].exempt): it would be published")
            this = None if refs else this_ref.search(sentence)
            if this:
                yield t.loc, (f"calls {this.group(0)} '{said.group(0)}', but the report is not marked exempt "
                              "(classification): it would be published")
