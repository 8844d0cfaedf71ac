"""The notices of a private meeting (SI 2012/2089 reg 5), made from the meeting file before the meeting.

Two notices: 28 clear days before, the intention to meet in private with the reasons; 5 clear working
days before, a further notice with the reasons, the representations received and the council's
response. Each is dated the day it is made (the clock); made after its deadline it is refused unless the
meeting file records the urgency route (reg 5(6), 5(7)): who agreed and why, printed in the notice.
"""
from __future__ import annotations

import datetime as dt

from reportgen.content.dates import clear_days_before, publication_deadline
from reportgen.content.meeting import LoadedMeeting
from reportgen.content.model import Exemption
from reportgen.errors import ContentError
from reportgen.layout.arrange import Heading, Layout, Line
from reportgen.style import wording
from reportgen.style.profile import Profile, fill

#: The two notices, by the name the command takes: (clear days, further notice?).
KINDS = {"28-day": False, "5-day": True}


def _when(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


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


def deadline(meeting: LoadedMeeting, further: bool) -> dt.date:
    first, second = private_dates(meeting)
    return second if further else first


def check_timing(meeting: LoadedMeeting, further: bool, published: dt.date, sent_first: dt.date | None) -> None:
    """Refuse (located in the meeting file) a notice that would be false: none is needed, the meeting has
    been held, or its deadline has passed (or the 28-day notice never went out) without the urgency route."""
    m = meeting.meeting
    if not private_items(meeting):
        raise ContentError(problems=[meeting.problem(("items",), "no item has exempt information: the meeting "
                                                     "is held in public and needs no private-meeting notice")])
    if published >= m.date:
        raise ContentError(problems=[meeting.problem(("date",), (
            f"the meeting is on {_when(m.date)}: a notice of it made on {_when(published)} comes too late to be one"))])
    urgent = m.private_meeting is not None and m.private_meeting.urgency is not None
    due = deadline(meeting, further)
    if published > due and not urgent:
        raise ContentError(problems=[meeting.problem(("date",), (
            f"the {'5-day' if further else '28-day'} notice was due by {_when(due)}; made on {_when(published)} it "
            "is late: record the urgency route (private_meeting.urgency: agreed_by, reasons; reg 5(6), 5(7)) "
            "or move the meeting"))])
    if further and sent_first is None and not urgent:
        raise ContentError(problems=[meeting.problem(("date",), (
            "the 28-day notice has not been published (the publication history has none): publish it first "
            "with `reportgen notices MEETING --notice 28-day`, or record the urgency route"))])


def private_title(meeting: LoadedMeeting, profile: Profile, further: bool) -> str:
    m = meeting.meeting
    title = fill(profile.records.private_title, committee=m.committee, date=profile.format_date(m.date))
    return fill(profile.records.private_further, title=title) if further else title


def private_layout(meeting: LoadedMeeting, profile: Profile, further: bool, published: dt.date) -> Layout:
    """The 28-day notice (further=False) or the 5-day notice: the items, their paragraphs and reasons, the
    representations and the response (5-day), the urgency route when used, and the contact officer."""
    t, m = profile.records, meeting.meeting
    due = deadline(meeting, further)
    out = Layout([Line(fill(t.private_5_day, date=profile.format_date(due)) if further
                       else fill(t.private_28_day, date=profile.format_date(due))),
                  Line(fill(t.private_intro, committee=m.committee, date=profile.format_date(m.date),
                            time=m.time, venue=m.venue))])
    private = m.private_meeting
    if published > due and private is not None and private.urgency is not None:
        out.elements.append(Line(fill(t.private_urgency, agreed_by=private.urgency.agreed_by,
                                      reasons=" ".join(private.urgency.reasons.split()))))
    for number, title, parts in private_items(meeting):
        out.elements.append(Heading(fill(t.private_item, number=number, title=title), 1))
        for what, exemption in parts:
            app = next((a for it in meeting.items if it.number == number and it.report
                        for a in it.report.report.appendices or [] if a.id == what), None)
            if app is not None:
                out.elements.append(Line(wording.appendix(app, profile)))
            out.elements.append(Line(fill(t.private_reason, paragraphs=wording.paragraphs(exemption.paragraphs))))
            out.elements.append(Line(fill(t.private_public_interest,
                                          statement=" ".join((exemption.public_interest or "").split()))))
    out.elements.append(Line(t.private_representations))
    if further:
        out.elements.append(Heading(t.private_received, 1))
        received = private.representations if private is not None else []
        for r in received:
            out.elements.append(Line(fill(t.private_representation, received_from=r.received_from,
                                          summary=" ".join(r.summary.split()),
                                          response=" ".join(r.response.split()))))
        if not received:
            out.elements.append(Line(t.private_none_received))
    contact = (private.contact if private is not None and private.contact is not None else m.contact)
    if contact is not None:
        out.elements.append(Line("\n".join(wording.contact_lines(profile.agenda.contact, contact.model_dump()))))
    return out
