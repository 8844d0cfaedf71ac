"""The meeting's accessibility statement (2018 accessibility regulations), in Markdown and HTML.

It follows the sections of the GDS model statement: how accessible the papers are, feedback and
contact (how to ask for an accessible format), the enforcement procedure, the compliance status
against WCAG 2.2 AA with the content that is not accessible and why, what is being done about it,
and when the statement was prepared (the day it was made, never a date typed into a file).
Everything is built from data; the HTML is rendered by the web edition's autoescaping templates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportgen.content.meeting import LoadedMeeting
from reportgen.html.render import render_page, stylesheet
from reportgen.style import wording
from reportgen.style.profile import Profile

REGULATIONS = "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018"
EASS = "https://www.equalityadvisoryservice.com/"


@dataclass
class Exception_:
    """One document that is not accessible, and where it sits in the public pack."""

    title: str
    file: str  # relative to public/
    pages: list[int]  # its own pages with untagged content
    pack_pages: list[int]  # the same pages in the public pack
    reason: str  # the clerk's reason for publishing it anyway
    problems: list[str]


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    #: One group per inaccessible document: its name, then the facts about it.
    items: list[list[str]] = field(default_factory=list)


@dataclass
class Statement:
    title: str
    sections: list[Section]
    council: str
    back: str  # the meeting page's title, linked from the statement


def _pages(numbers: list[int]) -> str:
    """'page 2', 'pages 2, 3': the pages named, as a sentence says them."""
    if not numbers:
        return "every page"
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(str(n) for n in numbers)


def statement(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str,
              today: dt.date) -> Statement:
    """The statement's sections, in the model statement's order. `today`: the day it is prepared."""
    m = meeting.meeting
    when = profile.format_date(m.date)
    scope = (f"This statement applies to the papers {profile.council} publishes for the {m.committee} meeting "
             f"on {when}: the agenda front sheet, the reports and their appendices, and the agenda pack ({pack}).")
    if exceptions:
        how = [scope, "Most of these papers are tagged so that assistive technology can read them in order, "
               "with headings, lists and table headers (PDF/UA-1). The documents listed below are not: each "
               "was supplied to the council and could not be fixed before publication. The agenda pack contains "
               "their pages, so it does not claim PDF/UA conformance."]
        status = (f"These papers are partially compliant with the Web Content Accessibility Guidelines version "
                  "2.2 AA standard, due to the non-compliances listed below.")
    else:
        how = [scope, "Every one of these papers is tagged so that assistive technology can read it in order, with "
               "headings, lists and table headers, and meets PDF/UA-1 as far as automated checks can tell."]
        status = ("These papers are fully compliant with the Web Content Accessibility Guidelines version 2.2 AA "
                  "standard, as far as automated checks can tell.")
    contact = [profile.agenda.accessible_format]
    if m.contact is not None:
        contact += wording.contact_lines(profile.agenda.contact, m.contact.model_dump())
    items = [[f"{e.title} ({e.file})",
              f"The content of {_pages(e.pages)} of the document ({_pages(e.pack_pages)} of the agenda pack) is "
              "not tagged, so a screen reader may read it out of order or not at all. This fails WCAG 2.2 "
              "success criterion 1.3.1 (info and relationships) and 1.3.2 (meaningful sequence).",
              f"Why: {e.reason}", *(f"Found: {p}" for p in e.problems)] for e in exceptions]
    sections = [
        Section("How accessible these papers are", how),
        Section("Feedback and contact information", contact),
        Section("Enforcement procedure", [
            f"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the {REGULATIONS} "
            "(the ‘accessibility regulations’). If you are not happy with how we respond to your complaint, "
            f"contact the Equality Advisory and Support Service (EASS): {EASS}."]),
        Section("Technical information about these papers’ accessibility", [
            f"{profile.council} is committed to making its papers accessible, in accordance with the "
            f"{REGULATIONS}.", status]),
    ]
    if exceptions:
        sections.append(Section("Non-accessible content: non-compliance with the accessibility regulations",
                                items=items))
        sections.append(Section("What we are doing to improve accessibility", [
            "Each document above is named here until an accessible version replaces it; ask the contact "
            "officer above for it in another format meanwhile."]))
    sections.append(Section("Preparation of this accessibility statement", [
        # Prepared when the agenda was first published (the history's date), reviewed on this publish's day.
        f"This statement was prepared on {profile.format_date(min(m.publication_date, today))} and was last "
        f"reviewed on {profile.format_date(today)}. The papers were checked by reportgen's automated "
        "checks (PDF tags, title, language, bookmarks and fonts; the web pages with axe-core)."]))
    return Statement(wording.statement_title(profile, m.committee, m.date), sections, profile.council,
                     wording.agenda_title(profile, m.committee, m.date))


def markdown(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str,
             today: dt.date) -> str:
    s = statement(meeting, profile, exceptions, pack, today)
    lines = [f"# {s.title}", ""]
    for section in s.sections:
        lines += [f"## {section.heading}", ""]
        for line in section.paragraphs:
            lines += [line, ""]
        for group in section.items:
            lines += [f"- {group[0]}", *(f"  - {fact}" for fact in group[1:])]
        if section.items:
            lines.append("")
    lines += [f"[Back to {s.back}](index.html)", ""]
    return "\n".join(lines)


def html(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str,
         today: dt.date) -> str:
    """The statement as a page of the web edition: the house style's CSS (A4 in print), a link back."""
    return render_page("statement.html.j2", page=statement(meeting, profile, exceptions, pack, today),
                       css=stylesheet(profile), index="index.html", eass=EASS)
