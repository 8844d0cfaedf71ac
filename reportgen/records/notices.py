"""Decision notices (SI 2012/2089 regs 12-13), as laid-out documents (the notices of a private meeting: records.private).

Every field is taken from the prepared report and the decisions file; an exempt report contributes only
its title, its Schedule 12A paragraphs and its public-interest statement, never its text.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from reportgen.check.rules.records import same_text
from reportgen.content.dates import after_working_days
from reportgen.content.decisions import Decision, Interest
from reportgen.content.model import Exemption
from reportgen.layout.arrange import Element, Grid, Heading, Layout, Line, Prose, letter
from reportgen.layout.prepared import Prepared
from reportgen.style import wording
from reportgen.style.profile import Profile, fill


@dataclass
class Notice:
    """The record of one decision: what was decided, why, what was rejected, interests and call-in."""

    prepared: Prepared
    item: int | None
    maker: str
    decided: dt.date
    published: dt.date
    decision: list[Element]
    reasons: list[Element]
    alternatives: list[Element]
    interests: list[Interest]
    call_in_deadline: dt.date | None
    urgency: str | None

    @property
    def title(self) -> str:
        return self.prepared.report.title

    @property
    def exempt(self) -> bool:
        return self.prepared.report.classification.status == "exempt"


def _plain(el: Element) -> Element:
    """A report paragraph reprinted in a notice: its text and resolved references, without its number."""
    return dataclasses.replace(el, prefix=None, style="Body Text", continuation="Body Text") \
        if isinstance(el, Prose) else el


def _resolved(el: Element) -> Element:
    """A report paragraph as its notice prints it, in the PDF and the web page alike: the text with its
    [[label]] references already resolved ("paragraph 7"), since the notice has no paragraphs of the
    report to link to (the web edition would otherwise print the raw reference)."""
    return dataclasses.replace(el, source=None, anchor=None) if isinstance(el, Prose) else el


def _section(prepared: Prepared, *prefix: str | int) -> list[Element]:
    return [_resolved(el) for el in prepared.layout.elements
            if isinstance(el, (Prose, Grid)) and el.loc is not None and el.loc[:len(prefix)] == prefix]


def _exempt_lines(exemption: Exemption, profile: Profile) -> list[Element]:
    t = profile.records
    return [Line(fill(t.private_reason, paragraphs=wording.paragraphs(exemption.paragraphs))),
            Line(fill(t.private_public_interest, statement=" ".join((exemption.public_interest or "").split())))]


def notice(prepared: Prepared, decision: Decision, item: int | None, decided: dt.date, published: dt.date,
           full: bool = False) -> Notice:
    """The notice of one decision: the recommendations as printed unless amended, the report's reasons and
    rejected options. An exempt report's public record (not `full`) gives its public summary, the reasons
    and alternatives as worded for the public, the paragraph and the public-interest statement, never
    its text; `full` makes the private full record from the report itself."""
    r, profile = prepared.report, prepared.profile
    lettering = profile.recommendations.lettering
    if r.classification.status == "exempt" and not full:
        summary: list[Element] = [Prose(decision.public_summary, ("public_summary",))] if decision.public_summary else []
        made = summary + [Line(fill(profile.records.exempt_decision,
                                    paragraphs=wording.paragraphs(r.classification.paragraphs)))]
        reasons: list[Element] = [Prose(text, ("public_reasons", i)) for i, text in enumerate(decision.public_reasons or [])]
        reasons += _exempt_lines(r.classification, profile)
        rejected: list[Element] = [Prose(text, ("public_alternatives", i))
                                   for i, text in enumerate(decision.public_alternatives or [])]
    else:
        made = ([Prose(text, ("amended", i), letter(i, lettering), "Recommendation", "Recommendation")
                 for i, text in enumerate(decision.amended)] if decision.amended is not None
                else _section(prepared, "recommendations", "items"))
        reasons = ([Prose(text, ("reasons", i)) for i, text in enumerate(decision.reasons)]
                   if decision.amended is not None and decision.reasons else
                   [_plain(el) for el in _section(prepared, "reasons")])
        options = r.alternative_options.options if r.alternative_options else []
        chosen = {same_text(a) for a in decision.alternatives} if decision.alternatives is not None else None
        rejected = [_plain(el) for i, o in enumerate(options) if not o.recommended
                    and (chosen is None or same_text(o.option) in chosen)
                    for el in _section(prepared, "alternative_options", "options", i)]
    deadline = after_working_days(published, profile.records.call_in_days) if decision.call_in else None
    return Notice(prepared, item, r.decision_maker, decided, published, made, reasons, rejected,
                  decision.interests, deadline, decision.urgency)


def notice_elements(n: Notice, level: int = 1) -> list[Element]:
    """The body of a notice; `level` is the heading level of its parts (2 under an item heading)."""
    profile = n.prepared.profile
    t = profile.records
    # the template's front matter prints the publication date
    out: list[Element] = [Line(fill(t.decided_by, maker=n.maker, date=profile.format_date(n.decided)))]
    plan = wording.forward_plan(n.prepared.report, profile)  # the same reference as the report and the plan
    if plan:
        out.append(Line(plan))
    out += [Heading(t.decision, level), *n.decision, Heading(t.reasons, level), *n.reasons]
    out += [Heading(t.alternatives, level), *(n.alternatives or [Line(t.no_alternatives)])]
    out.append(Heading(t.interests, level))
    for i in n.interests:
        out.append(Line(fill(t.interest, name=i.name, interest=i.interest)))
        if i.dispensation:
            out.append(Line(fill(t.dispensation, dispensation=i.dispensation, granted_by=i.granted_by or "")))
    if not n.interests:
        out.append(Line(t.no_interests))
    out.append(Heading(t.call_in, level))
    if n.call_in_deadline is not None:
        out.append(Line(fill(t.call_in_text, deadline=profile.format_date(n.call_in_deadline))))
    else:
        out.append(Line(fill(t.urgency_text, urgency=n.urgency or "")))
    return out


def item_layout(n: Notice) -> Layout:
    return Layout(notice_elements(n))


def meeting_layout(notices: list[Notice], profile: Profile) -> Layout:
    out = Layout()
    for n in notices:
        out.elements.append(Heading(wording.agenda_item(profile, n.item or 0, n.title), 1))
        out.elements.extend(notice_elements(n, 2))
    return out
