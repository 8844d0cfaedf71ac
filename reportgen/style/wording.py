"""Every piece of wording a house style prints about a report or a meeting, assembled in one place.

The layout, the DOCX templates, the front sheet, the packs and the manifest all ask
here, so "Wards affected" and "Divisions", "Appendix" and "Annex", the classification
line and the Schedule 12A wording can never disagree between two outputs.
"""
from __future__ import annotations

import re
from typing import Any

from reportgen.content.model import Appendix, Report
from reportgen.style.profile import Profile, fill


def paragraphs(numbers: list[int]) -> str:
    """Schedule 12A paragraph numbers as printed: '1, 3'; '?' when none is given."""
    return ", ".join(str(n) for n in sorted(set(numbers))) or "?"


def body(report: Report) -> str:
    """The committee, or the person who decides an individual decision."""
    return report.meeting.committee if report.meeting else report.decision_maker


def wards(report: Report, profile: Profile) -> str:
    """The wards (or divisions) affected, in the style's words; empty when the report says nothing."""
    w = report.wards
    if w is None:
        return ""
    if w.all:
        return profile.text.wards_all
    return ", ".join(w.names) if w.names else profile.text.wards_none


def wards_label(profile: Profile) -> str:
    """What the style calls the wards affected ('Wards affected', 'Divisions affected')."""
    return profile.text.wards_label


def classification(report: Report, profile: Profile) -> str:
    """'Open', or the exempt marking with its Schedule 12A paragraphs."""
    c = report.classification
    if c.status == "open":
        return profile.text.classification_open
    return fill(profile.text.classification_exempt, paragraphs=paragraphs(c.paragraphs))


def appendix(app: Appendix, profile: Profile, marked: bool = True) -> str:
    """An appendix as the style names it ('Appendix 1. Title', 'Annex A – Title');
    `marked` adds the exempt wording to an exempt appendix."""
    if marked and app.exempt is not None:
        return fill(profile.text.appendix_exempt, id=app.id, title=app.title,
                    paragraphs=paragraphs(app.exempt.paragraphs))
    return fill(profile.text.appendix, id=app.id, title=app.title)


def decision_type(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    if dtype is None:
        return ""
    return profile.text.key_decision if dtype.key else profile.text.non_key_decision


def key_statement(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    return profile.text.key_decision_statement if dtype and dtype.key else ""


def forward_plan(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    if dtype and dtype.key and dtype.forward_plan_ref:
        return fill(profile.text.forward_plan, ref=dtype.forward_plan_ref)
    return ""


def draft_marking(draft: bool) -> str:
    return " – DRAFT" if draft else ""


def contact_lines(pattern: str, values: dict[str, Any]) -> list[str]:
    """Fill a multi-line contact pattern, dropping lines whose every field is empty."""
    lines = []
    for line in pattern.splitlines():
        fields = re.findall(r"{(\w+)}", line)
        if fields and not any(values.get(f) for f in fields):
            continue
        lines.append(fill(line, **{k: v or "" for k, v in values.items()}).strip(" -–,"))
    return lines


def agenda_item(profile: Profile, number: int, title: str) -> str:
    return fill(profile.agenda.item, number=number, title=title)


def agenda_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.title, committee=committee, date=profile.format_date(date))


def pack_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.pack_title, committee=committee, date=profile.format_date(date))


def private_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.private_title, committee=committee, date=profile.format_date(date))


def private_marking(profile: Profile, numbers: list[int]) -> str:
    return fill(profile.agenda.private_marking, paragraphs=paragraphs(numbers))
