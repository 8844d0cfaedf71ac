"""The forward plan (SI 2012/2089 reg 9): one entry per key decision, as CSV and as a house-style document."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.check.textscan import scan
from reportgen.layout.arrange import Heading, Layout, Line
from reportgen.layout.prepared import Prepared
from reportgen.records.csvcells import from_csv, to_csv as csv_bytes
from reportgen.style import wording
from reportgen.style.profile import Profile, fill

#: Earlier forward plans of a style, as written by `write`: forward-plan-YYYY-MM-DD.csv.
PLAN_NAME = re.compile(r"^forward-plan-(\d{4}-\d{2}-\d{2})\.csv$")


@dataclass
class Entry:
    """One decision in the forward plan, every field taken from its report."""

    prepared: Prepared
    ref: str
    title: str
    description: str
    decision_maker: str
    date: dt.date
    wards: str
    lead_member: str
    contact: str
    documents: list[str]
    exempt: str
    representations: str
    first_published: dt.date


def listed(prepared: Prepared, all_decisions: bool) -> bool:
    """Whether a report belongs in the forward plan: a key decision, or any stated decision if the style asks."""
    dtype = prepared.report.decision_type
    return dtype is not None and (dtype.key or all_decisions) and prepared.report.date is not None


def description(prepared: Prepared) -> str:
    """The matter's short description: the purpose's first paragraph, never an exempt report's text."""
    if prepared.report.classification.status == "exempt":
        return ""
    texts = [t.text for t in scan(prepared.report, prepared.profile, prepared.layout) if t.loc[:1] == ("purpose",)]
    return texts[0] if texts else ""


def _person(name: str, *details: str | None) -> str:
    return ", ".join([name, *(d for d in details if d)])


def exempt_text(prepared: Prepared) -> str:
    """Whether the decision is taken in private, with the Schedule 12A paragraph, in the style's words."""
    r, t = prepared.report, prepared.profile.records
    if r.classification.status == "exempt":
        return fill(t.exempt_yes, paragraphs=wording.paragraphs(r.classification.paragraphs))
    exempt = [a for a in r.appendices or [] if a.exempt is not None]
    if exempt:
        numbers = [n for a in exempt if a.exempt for n in a.exempt.paragraphs]
        return fill(t.exempt_part, appendices=", ".join(wording.appendix(a, prepared.profile, marked=False)
                                                        for a in exempt),
                    paragraphs=wording.paragraphs(numbers))
    return t.exempt_no


def entry(prepared: Prepared, first_published: dt.date) -> Entry:
    r, profile = prepared.report, prepared.profile
    assert r.date is not None and r.decision_type is not None
    documents = [r.title] + [wording.appendix(a, profile) for a in r.appendices or []]
    return Entry(
        prepared, r.decision_type.forward_plan_ref or "", r.title, description(prepared), r.decision_maker,
        r.date, wording.wards(r, profile),
        _person(r.lead_member.name, r.lead_member.role) if r.lead_member else "",
        "; ".join(_person(p.name, p.role, p.email, p.phone) for p in r.contact_officers),
        documents, exempt_text(prepared), profile.records.representations_how, first_published)


def earlier_plans(folder: Path, before: dt.date) -> dict[dt.date, set[str]]:
    """The references each earlier forward plan in `folder` listed, by its publication date."""
    plans: dict[dt.date, set[str]] = {}
    for path in sorted(folder.glob("forward-plan-*.csv")) if folder.is_dir() else []:
        match = PLAN_NAME.match(path.name)
        if match is None or (date := dt.date.fromisoformat(match.group(1))) >= before:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            rows = from_csv(f)
        plans[date] = {row[0] for row in rows[1:] if row}  # the reference is always the first column
    return plans


def columns(profile: Profile) -> list[str]:
    t = profile.records
    return [t.reference, t.matter, t.decision_maker, t.decision_date, wording.wards_label(profile),
            t.lead_member, t.contact, t.documents, t.exempt, t.representations, t.first_published]


def to_csv(entries: list[Entry], profile: Profile) -> bytes:
    """The plan for committee systems and open-data portals: one row per decision, ISO dates; no cell a
    spreadsheet would run as a formula."""
    rows = [columns(profile)]
    for e in entries:
        matter = f"{e.title}: {e.description}" if e.description else e.title
        rows.append([e.ref, matter, e.decision_maker, e.date.isoformat(), e.wards, e.lead_member, e.contact,
                     "; ".join(e.documents), e.exempt, e.representations, e.first_published.isoformat()])
    return csv_bytes(rows)


def layout(entries: list[Entry], profile: Profile) -> Layout:
    """The plan as a document: a heading per entry and a labelled line per field (never parsed as Markdown)."""
    t = profile.records
    out = Layout([Line(t.forward_plan_intro)])
    for e in entries:
        out.elements.append(Heading(fill(t.forward_plan_entry, ref=e.ref, title=e.title), 1))
        fields = [(t.matter, e.description), (t.decision_maker, e.decision_maker),
                  (t.decision_date, profile.format_date(e.date)), (wording.wards_label(profile), e.wards),
                  (t.lead_member, e.lead_member), (t.contact, e.contact),
                  (t.documents, "; ".join(e.documents) + ". " + t.documents_how), (t.exempt, e.exempt),
                  (t.representations, e.representations),
                  (t.first_published, profile.format_date(e.first_published))]
        out.elements.extend(Line(f"{label}: {value}") for label, value in fields if value)
    return out
