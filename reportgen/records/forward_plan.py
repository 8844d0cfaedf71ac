"""The forward plan (SI 2012/2089 reg 9): one entry per key decision, as CSV and as a house-style document."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportgen.check.textscan import scan
from reportgen.layout.arrange import Heading, Layout, Line
from reportgen.layout.prepared import Prepared
from reportgen.records.csvcells import to_csv as csv_bytes
from reportgen.style import wording
from reportgen.style.profile import Profile, fill

#: Clear days' notice a key decision needs in the forward plan (reg 9(2)).
NOTICE_DAYS = 28

#: Decision makers that are not the executive (the style's RG403 non_executive list says the same).
NOT_EXECUTIVE = {"council", "full council"}


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
    members: list[str]
    executive: bool

    @property
    def clear_days(self) -> int:
        """Clear days between the entry's first publication and the decision (neither day counts)."""
        return (self.date - self.first_published).days - 1

    def notice(self, profile: Profile) -> str:
        """Whether 28 clear days' notice was given, else the route used (reg 10 or 11), in the style's words."""
        t = self.prepared.profile.records
        if self.clear_days >= NOTICE_DAYS:
            return t.notice_28_days
        route = self.prepared.report.decision_type.urgency if self.prepared.report.decision_type else "none"
        pattern = {"general-exception": t.notice_general_exception,
                   "special-urgency": t.notice_special_urgency}.get(route, t.notice_short)
        return fill(pattern, days=max(self.clear_days, 0))


def listed(prepared: Prepared, all_decisions: bool) -> bool:
    """Whether a report belongs in the forward plan: a key decision, or any stated decision if the style asks."""
    dtype = prepared.report.decision_type
    return dtype is not None and (dtype.key or all_decisions) and prepared.report.date is not None


def executive(prepared: Prepared) -> bool:
    """Whether the decision is the executive's: a Full Council decision (a budget) is not."""
    return wording.body(prepared.report).strip().casefold() not in NOT_EXECUTIVE


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


def entry(prepared: Prepared, first_published: dt.date, bodies: dict[str, list[str]]) -> Entry:
    """One entry; `bodies`: each decision-making body's members by its name (casefolded)."""
    r, profile = prepared.report, prepared.profile
    assert r.date is not None and r.decision_type is not None
    documents = [r.title] + [wording.appendix(a, profile) for a in r.appendices or []]
    return Entry(
        prepared, r.decision_type.forward_plan_ref or "", r.title, description(prepared), r.decision_maker,
        r.date, wording.wards(r, profile),
        _person(r.lead_member.name, r.lead_member.role) if r.lead_member else "",
        "; ".join(_person(p.name, p.role, p.email, p.phone) for p in r.contact_officers),
        documents, exempt_text(prepared), profile.records.representations_how, first_published,
        bodies.get(" ".join(wording.body(r).split()).casefold(), []), executive(prepared))


def columns(profile: Profile) -> list[str]:
    t = profile.records
    return [t.reference, t.matter, t.decision_maker, t.members, t.decision_date, wording.wards_label(profile),
            t.lead_member, t.contact, t.documents, t.exempt, t.representations, t.first_published, t.notice_given]


def to_csv(entries: list[Entry], profile: Profile) -> bytes:
    """The plan for committee systems and open-data portals: one row per decision, ISO dates; no cell a
    spreadsheet would run as a formula."""
    rows = [columns(profile)]
    for e in entries:
        matter = f"{e.title}: {e.description}" if e.description else e.title
        maker = e.decision_maker if e.executive else f"{e.decision_maker} ({profile.records.not_executive})"
        rows.append([e.ref, matter, maker, "; ".join(e.members), e.date.isoformat(), e.wards, e.lead_member,
                     e.contact, "; ".join(e.documents), e.exempt, e.representations, e.first_published.isoformat(),
                     e.notice(profile)])
    return csv_bytes(rows)


def layout(entries: list[Entry], profile: Profile) -> Layout:
    """The plan as a document: a heading per entry and a labelled line per field (never parsed as Markdown)."""
    t = profile.records
    out = Layout([Line(t.forward_plan_intro), Line(t.documents_address), Line(t.other_documents)])
    for e in entries:
        out.elements.append(Heading(fill(t.forward_plan_entry, ref=e.ref, title=e.title), 1))
        if not e.executive:
            out.elements.append(Line(t.not_executive))
        fields = [(t.matter, e.description), (t.decision_maker, e.decision_maker), (t.members, "; ".join(e.members)),
                  (t.decision_date, profile.format_date(e.date)), (wording.wards_label(profile), e.wards),
                  (t.lead_member, e.lead_member), (t.contact, e.contact),
                  (t.documents, "; ".join(e.documents) + ". " + t.documents_how), (t.exempt, e.exempt),
                  (t.representations, e.representations),
                  (t.first_published, profile.format_date(e.first_published)), (t.notice_given, e.notice(profile))]
        out.elements.extend(Line(f"{label}: {value}") for label, value in fields if value)
    return out
