"""Rules on the statutory records (RG407-RG410): the forward plan and decision notices agree with the reports."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from reportgen.check.context import DecisionContext, PlanContext
from reportgen.check.registry import rule
from reportgen.content.dates import after_working_days
from reportgen.content.yamlio import Loc
from reportgen.style import wording

Found = Iterator[tuple[Loc, str]]


def _when(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def same_text(a: str) -> str:
    """Text compared as a reader would: case, spacing and closing punctuation do not matter."""
    return re.sub(r"\s+", " ", a).strip().rstrip(".").casefold()


@rule("RG407", "Key decision notice date disagrees with the forward plan", "error",
      """A key decision's notice_date is the date the forward plan first listed it. It must not claim notice
      that no forward plan gave (a plan published on or after that date that does not list it), nor be later
      than the forward plan that first listed it: the report, the forward plan and the decision record must
      never disagree.""",
      "SI 2012/2089 reg 9", "set decision_type.notice_date to the date of the first forward plan that lists it",
      scope="forward-plan")
def forward_plan_notice(ctx: PlanContext, params: dict[str, Any]) -> Found:
    dtype = ctx.prepared.report.decision_type
    if dtype is None or not dtype.key or dtype.notice_date is None or dtype.urgency != "none":
        return  # RG402 reports a key decision without notice
    notice, first = dtype.notice_date, ctx.first_listed or ctx.plan_date
    loc: Loc = ("decision_type", "notice_date")
    if ctx.first_listed is not None and notice > first:
        yield loc, (f"notice_date {_when(notice)} is later than the forward plan of {_when(first)}, "
                    f"which first listed {dtype.forward_plan_ref}")
    elif notice < first:
        missing = [d for d in ctx.plans if notice <= d < first]
        if missing:
            yield loc, (f"{dtype.forward_plan_ref} is missing from the forward plan of {_when(missing[0])}: "
                        f"it was first listed on {_when(first)}, not {_when(notice)}")


@rule("RG412", "Forward plan entry without 28 clear days' notice or a route", "error",
      """A key decision must be in the forward plan at least 28 clear days before it is taken, counted from
      the plan that first listed it (the publication history), not from a date typed in the report. With
      fewer, the report records the route used instead: the general exception (reg 10) or special urgency
      (reg 11), which the forward plan then prints beside the entry.""",
      "SI 2012/2089 regs 9-11",
      "record decision_type.urgency (general-exception or special-urgency), or move the decision date",
      scope="forward-plan", non_executive=["Council", "Full Council"])
def forward_plan_days(ctx: PlanContext, params: dict[str, Any]) -> Found:
    r = ctx.prepared.report
    dtype = r.decision_type
    if dtype is None or not dtype.key or dtype.urgency != "none" or r.date is None:
        return
    if wording.body(r).strip().casefold() in {b.casefold() for b in params["non_executive"]}:
        return  # not the executive's: reg 9 does not bind it (the plan lists it for information)
    first = ctx.first_listed or ctx.plan_date
    clear = (r.date - first).days - 1
    if clear < 28:
        yield ("decision_type",), (f"{dtype.forward_plan_ref or r.title} is first published in the forward plan "
                                   f"on {_when(first)}, {max(clear, 0)} clear days before {_when(r.date)} (needs "
                                   "28): record the route used, decision_type.urgency (reg 10 or 11)")


@rule("RG408", "Decision notice states an alternative the report does not contain", "error",
      """The alternative options considered and rejected in a decision notice are those the decision maker
      had before them: each must be one of the report's alternative options.""",
      "SI 2012/2089 regs 12-13", "name the report's options exactly, or leave alternatives out to list them all",
      scope="decision")
def alternatives_in_report(ctx: DecisionContext, params: dict[str, Any]) -> Found:
    options = ctx.prepared.report.alternative_options
    known = {same_text(o.option) for o in (options.options if options else [])}
    for i, text in enumerate(ctx.decision.alternatives or []):
        if same_text(text) not in known:
            yield ("alternatives", i), "the report gives no such alternative option"


@rule("RG409", "Amended decision without reasons", "error",
      """When the decision made differs from the recommendations, the report's reasons no longer explain it:
      the decision notice must state the reasons for the decision actually taken.""",
      "SI 2012/2089 regs 12-13", "give reasons for the amended decision", scope="decision")
def amended_reasons(ctx: DecisionContext, params: dict[str, Any]) -> Found:
    d = ctx.decision
    if d.amended is not None and not any(r.strip() for r in d.reasons or []):
        yield ("amended",), "the decision was amended but no reasons are given for it"


@rule("RG410", "Call-in deadline typed", "error",
      """The call-in deadline is computed from the publication date of the decision notice and the house
      style's call-in period in clear working days, bank holidays excluded, so it cannot be mistyped.""",
      "the council's constitution (call-in)", "remove call_in_deadline", scope="decision")
def call_in_typed(ctx: DecisionContext, params: dict[str, Any]) -> Found:
    typed = ctx.decision.call_in_deadline
    if typed is not None:
        days = ctx.prepared.profile.records.call_in_days
        computed = after_working_days(ctx.published, days)
        yield ("call_in_deadline",), (f"typed as {_when(typed)}; it is computed ({days} clear working days "
                                      f"after publication on {_when(ctx.published)}: {_when(computed)})")
