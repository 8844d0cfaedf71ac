"""Decision notices (SI 2012/2089 regs 12-13) and the notice of a private meeting (reg 5), as laid-out documents.

Every field is taken from the prepared report and the decisions file; an exempt report contributes only
its title, its Schedule 12A paragraphs and its public-interest statement, never its text.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from reportgen.check.rules.records import same_text
from reportgen.content.dates import after_working_days, clear_days_before, publication_deadline
from reportgen.content.decisions import Decision, Interest
from reportgen.content.meeting import LoadedMeeting
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


def _section(prepared: Prepared, *prefix: str | int) -> list[Element]:
    return [el for el in prepared.layout.elements
            if isinstance(el, (Prose, Grid)) and el.loc is not None and el.loc[:len(prefix)] == prefix]


def _exempt_lines(exemption: Exemption, profile: Profile) -> list[Element]:
    t = profile.records
    return [Line(fill(t.private_reason, paragraphs=wording.paragraphs(exemption.paragraphs))),
            Line(fill(t.private_public_interest, statement=" ".join((exemption.public_interest or "").split())))]


def notice(prepared: Prepared, decision: Decision, item: int | None, decided: dt.date, published: dt.date) -> Notice:
    """The notice of one decision: the recommendations as printed unless amended, the report's reasons and
    rejected options; for an exempt report only its public summary, paragraph and public-interest statement."""
    r, profile = prepared.report, prepared.profile
    lettering = profile.recommendations.lettering
    if r.classification.status == "exempt":
        summary: list[Element] = [Prose(decision.public_summary, ("public_summary",))] if decision.public_summary else []
        made = summary + [Line(fill(profile.records.exempt_decision,
                                    paragraphs=wording.paragraphs(r.classification.paragraphs)))]
        reasons: list[Element] = _exempt_lines(r.classification, profile)
        rejected: list[Element] = []
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
    if not n.exempt:
        out += [Heading(t.alternatives, level), *(n.alternatives or [Line(t.no_alternatives)])]
    out.append(Heading(t.interests, level))
    for i in n.interests:
        out.append(Line(fill(t.interest, name=i.name, interest=i.interest)))
        if i.dispensation:
            out.append(Line(fill(t.dispensation, dispensation=i.dispensation)))
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


# --------------------------------------------------------------------------- notice of a private meeting

def private_items(meeting: LoadedMeeting) -> list[tuple[int, str, list[tuple[str, Exemption]]]]:
    """(number, title, [(what, exemption)]) for every item with exempt information: the whole report or appendices."""
    found: list[tuple[int, str, list[tuple[str, Exemption]]]] = []
    for item in meeting.items:
        if item.report is None:
            continue
        r = item.report.report
        if r.classification.status == "exempt":
            found.append((item.number, item.title, [("", r.classification)]))
            continue
        parts: list[tuple[str, Exemption]] = [(a.id, a.exempt) for a in r.appendices or [] if a.exempt is not None]
        if parts:
            found.append((item.number, item.title, parts))
    return found


def private_dates(meeting: LoadedMeeting) -> tuple[dt.date, dt.date]:
    """Latest dates of the 28 clear days' notice and of the 5 clear working days' notice."""
    return clear_days_before(meeting.meeting.date, 28), publication_deadline(meeting.meeting.date, 5)


def private_title(meeting: LoadedMeeting, profile: Profile, further: bool) -> str:
    m = meeting.meeting
    title = fill(profile.records.private_title, committee=m.committee, date=profile.format_date(m.date))
    return fill(profile.records.private_further, title=title) if further else title


def private_layout(meeting: LoadedMeeting, profile: Profile, further: bool) -> Layout:
    """The 28-day notice (further=False) or the 5-day notice: the items, their paragraphs and reasons."""
    t, m = profile.records, meeting.meeting
    first, second = private_dates(meeting)
    out = Layout([Line(fill(t.private_5_day, date=profile.format_date(second)) if further
                       else fill(t.private_28_day, date=profile.format_date(first))),
                  Line(fill(t.private_intro, committee=m.committee, date=profile.format_date(m.date),
                            time=m.time, venue=m.venue))])
    for number, title, parts in private_items(meeting):
        out.elements.append(Heading(fill(t.private_item, number=number, title=title), 1))
        for what, exemption in parts:
            app = next((a for it in meeting.items if it.number == number and it.report
                        for a in it.report.report.appendices or [] if a.id == what), None)
            if app is not None:
                out.elements.append(Line(wording.appendix(app, profile)))
            out.elements.extend(_exempt_lines(exemption, profile))
    out.elements.append(Line(t.private_representations))
    return out
