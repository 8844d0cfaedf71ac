"""The agenda front sheet councils publish, and the private pack's cover, in the house style.

Front sheet: membership, contact officer, then the items as a table (number, business, wards or
divisions, pages in the pack); before the first exempt item, a Part 2 heading and the proposed
resolution to exclude the press and public citing the Schedule 12A paragraphs (LGA 1972 s.100A(4)).
"""
from __future__ import annotations

from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.render import core_properties, render_docx
from reportgen.layout.arrange import Grid, Heading, Layout, Line
from reportgen.style import wording
from reportgen.style.profile import Profile, fill
from reportgen.style.wording import paragraphs

#: Where an item lies in a pack: (first page, last page), or None when it has no pages there.
Pages = dict[int, tuple[int, int] | None]


def item_paragraphs(item: Item) -> list[int]:
    """The Schedule 12A paragraphs an exempt item relies on."""
    return list(item.report.report.classification.paragraphs) if item.exempt and item.report else []


def business(item: Item, profile: Profile) -> str:
    """The item's cell: its title, then who, key decision and exemption, one per line."""
    t = profile.agenda
    lines = [item.title]
    if item.report is not None:
        r = item.report.report
        if r.report_by:
            lines.append(fill(t.report_by, report_by=r.report_by))
        if r.decision_type and r.decision_type.key:
            lines.append(fill(t.key, ref=r.decision_type.forward_plan_ref or "not given"))
        if item.exempt:
            lines.append(fill(t.exempt, paragraphs=paragraphs(r.classification.paragraphs)))
        else:
            for app in r.appendices or []:
                if app.exempt is not None:
                    lines.append(fill(t.exempt_appendix, id=app.id, paragraphs=paragraphs(app.exempt.paragraphs)))
    else:
        if item.spec.standard == "minutes":
            lines.append(fill(t.minutes, minutes=item.title[:1].lower() + item.title[1:]))  # what is asked
        if item.spec.note:
            lines.append(item.spec.note)
    return "\n".join(lines)


def page_text(profile: Profile, pages: tuple[int, int] | None, prefix: str = "") -> str:
    if pages is None:
        return ""
    first, last = pages
    t = profile.agenda
    return fill(t.pages, first=f"{prefix}{first}", last=f"{prefix}{last}") if last > first else \
        fill(t.page, first=f"{prefix}{first}")


def _row(item: Item, profile: Profile, pages: Pages) -> list[str | int | float]:
    wards = wording.wards(item.report.report, profile) if item.report is not None else ""
    return [str(item.number), business(item, profile), wards, page_text(profile, pages.get(item.number))]


def _parts(meeting: LoadedMeeting) -> tuple[list[Item], list[Item]]:
    """The open items, then the exempt ones."""
    # Part 2 comes after every open item: loading the meeting refuses (or, asked to, reorders) any other order.
    first_exempt = next((i for i, item in enumerate(meeting.items) if item.exempt), len(meeting.items))
    return list(meeting.items[:first_exempt]), list(meeting.items[first_exempt:])


def agenda_tables(meeting: LoadedMeeting) -> list[list[Item]]:
    """The front sheet's tables (every table it has: the agenda grids), each as the items of its rows."""
    return [part for part in _parts(meeting) if part]


def front_sheet_layout(meeting: LoadedMeeting, profile: Profile, pages: Pages) -> Layout:
    m, t = meeting.meeting, profile.agenda
    layout = Layout()
    if m.membership:
        layout.elements.append(Heading(t.membership, 1))
        layout.elements.append(Line("; ".join(m.membership)))
    if m.contact is not None:
        contact = m.contact.model_dump()
        layout.elements.append(Line("\n".join(wording.contact_lines(t.contact, contact))))
    if m.urgency_statement:  # a late agenda: the chair's reasons, published with it (s.100B(4)(b))
        layout.elements.append(Heading(t.urgency_heading, 1))
        layout.elements.append(Line(m.urgency_statement))
    open_items, exempt_items = _parts(meeting)
    resolution = wording.exclusion(profile, meeting.items)
    layout.elements.append(Heading(t.items_heading, 1))
    if resolution:
        layout.elements.append(Heading(t.part1, 2))
    if open_items:
        layout.elements.append(Grid(list(t.columns), [_row(i, profile, pages) for i in open_items], kind="agenda"))
    if resolution:
        layout.elements.append(Heading(t.part2, 2))
        # One line each: the resolution, every exempt item and appendix it covers, the public-interest test,
        # then where the notice of the private meeting is.
        lines = resolution + [x for x in [wording.private_notice(profile, m.committee, m.date)] if x]
        layout.elements += [Line(line, keep_with_next=True) for line in lines[:-1]]
        layout.elements.append(Line(lines[-1], keep_with_next=bool(exempt_items)))
    if exempt_items:
        layout.elements.append(Grid(list(t.columns), [_row(i, profile, pages) for i in exempt_items], kind="agenda"))
    return layout


def title(meeting: LoadedMeeting, profile: Profile) -> str:
    return wording.agenda_title(profile, meeting.meeting.committee, meeting.meeting.date)


def template_values(meeting: LoadedMeeting, profile: Profile) -> dict[str, str]:
    """Every variable the agenda template may use (style check compares the template against these)."""
    return _values(meeting, profile, title(meeting, profile), profile.text.classification_open, False)


def _values(meeting: LoadedMeeting, profile: Profile, heading: str, marking: str, draft: bool) -> dict[str, str]:
    m = meeting.meeting
    return {
        "council": profile.council, "title": heading, "committee": m.committee,
        "date_text": profile.format_date(m.date), "time": m.time, "venue": m.venue,
        "publication_date_text": wording.published(profile, m.publication_date, meeting.revised, draft),
        "classification_marking": marking, "draft_marking": wording.draft_marking(draft, marking),
    }


def render_front_sheet(meeting: LoadedMeeting, profile: Profile, pages: Pages, draft: bool = False) -> bytes:
    """The front sheet as DOCX bytes (converted to PDF with the reports)."""
    m = meeting.meeting
    values = _values(meeting, profile, title(meeting, profile), profile.text.classification_open, draft)
    props = core_properties(values["title"], f"{m.committee} – {values['date_text']}",
                            f"agenda, {m.committee}, {profile.council}", profile.council, m.publication_date)
    return render_docx(profile.agenda_path, values, front_sheet_layout(meeting, profile, pages), props,
                       profile.logo_image)


def private_cover_layout(meeting: LoadedMeeting, profile: Profile, pages: Pages) -> Layout:
    """The private pack's cover: why it is private, then its contents with the paragraphs relied on
    and the P-series pages."""
    t = profile.agenda
    layout = Layout([Line(t.private_intro), Heading(t.private_contents, 1)])
    rows: list[list[str | int | float]] = []
    for item in meeting.items:
        if pages.get(item.number) is None or item.report is None:
            continue
        r = item.report.report
        numbers = item_paragraphs(item) or sorted({n for a in r.appendices or [] if a.exempt
                                                    for n in a.exempt.paragraphs})
        rows.append([str(item.number), f"{item.title}\n{wording.private_marking(profile, numbers)}",
                     wording.wards(r, profile), page_text(profile, pages[item.number], t.private_page_label)])
    layout.elements.append(Grid(list(t.columns), rows, kind="agenda"))
    return layout


def render_private_cover(meeting: LoadedMeeting, profile: Profile, pages: Pages, draft: bool = False) -> bytes:
    """The private pack's cover as DOCX bytes (its pages are marked by the pack's stamps)."""
    m = meeting.meeting
    heading = wording.private_title(profile, m.committee, m.date)
    # No header marking: the pack stamps NOT FOR PUBLICATION on every page, the cover included.
    values = _values(meeting, profile, heading, "", draft)
    props = core_properties(heading, f"{m.committee} – {values['date_text']}",
                            f"private papers, {m.committee}, {profile.council}", profile.council, m.publication_date)
    return render_docx(profile.agenda_path, values, private_cover_layout(meeting, profile, pages), props,
                       profile.logo_image)
