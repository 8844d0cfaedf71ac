"""The agenda front sheet, in the house style: items, numbers, pack pages, wards, key and exempt."""
from __future__ import annotations


from reportgen.layout.arrange import Heading, Layout, Line
from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.style.profile import Profile, fill
from reportgen.docx.render import core_properties, render_docx
from reportgen.style import wording
from reportgen.style.wording import paragraphs

#: Where an item lies in the public pack: (first page, last page), or None when it has no pages there.
Pages = dict[int, tuple[int, int] | None]


def item_lines(item: Item, profile: Profile, pages: tuple[int, int] | None) -> list[Line]:
    """The lines under an item heading: who, wards, key decision, exemption, pages."""
    t = profile.agenda
    lines: list[Line] = []
    if item.report is not None:
        r = item.report.report
        if r.report_by:
            lines.append(Line(fill(t.report_by, report_by=r.report_by)))
        wards = wording.wards(r, profile)
        if wards:
            lines.append(Line(fill(t.wards, wards=wards)))
        if r.decision_type and r.decision_type.key:
            lines.append(Line(fill(t.key, ref=r.decision_type.forward_plan_ref or "not given")))
        if item.exempt:
            lines.append(Line(fill(t.exempt, paragraphs=paragraphs(r.classification.paragraphs))))
        else:
            for app in r.appendices or []:
                if app.exempt is not None:
                    lines.append(Line(fill(t.exempt_appendix, id=app.id, paragraphs=paragraphs(app.exempt.paragraphs))))
    elif item.spec.note:
        lines.append(Line(item.spec.note))
    if pages is not None:
        first, last = pages
        lines.append(Line(fill(t.pages, first=first, last=last) if last > first else fill(t.page, first=first)))
    return lines


def front_sheet_layout(meeting: LoadedMeeting, profile: Profile, pages: Pages) -> Layout:
    layout = Layout()
    for item in meeting.items:
        layout.elements.append(Heading(wording.agenda_item(profile, item.number, item.title), 1))
        layout.elements.extend(item_lines(item, profile, pages.get(item.number)))
    return layout


def title(meeting: LoadedMeeting, profile: Profile) -> str:
    return wording.agenda_title(profile, meeting.meeting.committee, meeting.meeting.date)


def render_front_sheet(meeting: LoadedMeeting, profile: Profile, pages: Pages, draft: bool = False) -> bytes:
    """The front sheet as DOCX bytes (converted to PDF with the reports)."""
    m = meeting.meeting
    values = {
        "council": profile.council, "title": title(meeting, profile), "committee": m.committee,
        "date_text": profile.format_date(m.date), "time": m.time, "venue": m.venue,
        "publication_date_text": profile.format_date(m.publication_date),
        "classification_marking": profile.text.classification_open, "draft_marking": wording.draft_marking(draft),
    }
    props = core_properties(values["title"], f"{m.committee} – {values['date_text']}",
                            f"agenda, {m.committee}, {profile.council}", profile.council, m.publication_date)
    return render_docx(profile.agenda_path, values, front_sheet_layout(meeting, profile, pages), props)
