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
    """'Wards affected', or what the style calls them ('Divisions affected')."""
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
    kind = profile.text.key_decision if dtype.key else profile.text.non_key_decision
    if dtype.reason:
        return fill(profile.text.decision_type_reason, type=kind.rstrip(". "), reason=dtype.reason)
    return kind


def key_statement(report: Report, profile: Profile) -> str:
    """Why a key decision is key: the report's own statement (a ward-effects decision says so), else the style's."""
    dtype = report.decision_type
    if not (dtype and dtype.key):
        return ""
    return dtype.statement if dtype.statement is not None else profile.text.key_decision_statement


def date_label(report: Report, profile: Profile) -> str:
    """'Meeting date:' for a committee decision, 'Decision date:' for one taken by an individual."""
    return profile.text.meeting_date_label if report.meeting else profile.text.decision_date_label


def forward_plan_notice(report: Report, profile: Profile) -> str:
    """When a key decision was first published in the forward plan; empty without a notice date."""
    dtype = report.decision_type
    if not (dtype and dtype.key and dtype.notice_date):
        return ""
    return fill(profile.text.forward_plan_notice, date=profile.format_date(dtype.notice_date),
                ref=dtype.forward_plan_ref or "")


def forward_plan(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    if dtype and dtype.key and dtype.forward_plan_ref:
        return fill(profile.text.forward_plan, ref=dtype.forward_plan_ref)
    return ""


def draft_marking(draft: bool, marking: str = "") -> str:
    """What follows the classification marking in a header: " – DRAFT" after a marking, "DRAFT" alone,
    so a style whose open papers carry no marking never prints a dangling dash."""
    if not draft:
        return ""
    return " – DRAFT" if marking.strip() else "DRAFT"


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


def exclusion(profile: Profile, numbers: list[int]) -> str:
    """The proposed resolution to exclude the press and public (LGA 1972 s.100A(4)), citing its paragraphs."""
    return fill(profile.agenda.exclusion, paragraphs=paragraphs(numbers))


def statement_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.statement_title, committee=committee, date=profile.format_date(date))


def published(profile: Profile, first: Any, revised: Any = None) -> str:
    """A publication date as printed: the first publication's, and the revision's when there is one (a
    revision keeps the first date: a deadline that was met stays met)."""
    text = profile.format_date(first)
    return f"{text} (revised on {profile.format_date(revised)})" if revised is not None else text


def urgency(statement: str | None) -> str:
    """The chair's reasons for taking a late agenda as urgent, as printed with it (LGA 1972 s.100B(4)(b))."""
    text = " ".join((statement or "").split())
    return f"Published late as urgent business. The chair's reasons: {text}" if text else ""
