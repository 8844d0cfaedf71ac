"""A report's web page: front matter as a description list, a contents list and the laid-out body."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.html.body import Section, body
from reportgen.html.nodes import Node, clean
from reportgen.html.render import render_page, stylesheet
from reportgen.layout.arrange import Layout
from reportgen.layout.prepared import Prepared
from reportgen.style import wording
from reportgen.style.profile import Profile


@dataclass
class ReportPage:
    """What the report template shows; every string is content or house-style wording, escaped on output."""

    title: str
    council: str
    front: list[tuple[str, list[str]]]
    sections: list[Section]
    body: Node
    marking: str = ""
    pdf: str = ""  # address of the same report as a PDF, when published beside it
    index: str = ""  # address of the meeting page
    extra: dict[str, str] = field(default_factory=dict)


def front_matter(prepared: Prepared) -> list[tuple[str, list[str]]]:
    """The front matter as (label, values) pairs, in the DOCX front page's order; empty values are left out."""
    r, profile = prepared.report, prepared.profile
    if profile.front_page is not None:  # the style's own front page: the rows its DOCX template prints
        return [(label.rstrip(": "), [clean(v) for v in lines]) for label, lines in wording.front_rows(prepared.loaded, profile)]
    when = profile.format_date(r.meeting.date if r.meeting else r.decision_date)
    meeting = [x for x in (when, r.meeting.time if r.meeting else None, r.meeting.venue if r.meeting else None) if x]
    labels = profile.text.labels  # the house style's own labels, as its DOCX front page prints them
    rows: list[tuple[str, list[str]]] = [
        (labels.decision_maker, [r.decision_maker]),
        (wording.date_label(r, profile), [", ".join(meeting)] if meeting else []),
        (labels.report_by, [r.report_by or ""]),
        ("Lead member", [", ".join(x for x in (r.lead_member.name, r.lead_member.role) if x)]
         if r.lead_member else []),
        (labels.classification, [wording.classification(r, profile),
                                 r.classification.public_interest or "" if r.classification.status == "exempt" else ""]),
        (labels.decision_type, [wording.decision_type(r, profile), wording.forward_plan(r, profile),
                                wording.forward_plan_notice(r, profile), wording.key_statement(r, profile)]),
        (labels.wards, [wording.wards(r, profile)]),
        ("Published", [wording.report_published(prepared.loaded, profile)]),
    ]
    # A description term needs no colon: the layout already pairs it with its value.
    return [(label.rstrip(": "), [clean(v) for v in values if v]) for label, values in rows if any(values)]


def report_page(prepared: Prepared, appendix_links: dict[int, str] | None = None, pdf: str = "",
                index: str = "", draft: bool = False) -> str:
    """One report as a self-contained, accessible HTML page (CSS inlined, no script, no external request).

    `appendix_links` maps an appendix's index to the address of its published file; `pdf` and `index`
    are the addresses of the report's PDF and the meeting page, when it is published with them;
    `draft` says DRAFT at the top of the page.
    """
    r = prepared.report
    tree = body(prepared.layout, appendix_links)
    marking = wording.classification(r, prepared.profile) if r.classification.status == "exempt" else ""
    if draft:
        marking = f"DRAFT: not yet published. {marking}".strip()
    page = ReportPage(clean(r.title), prepared.profile.council, front_matter(prepared), tree.sections, tree.root,
                      marking, pdf, index)
    return render_page("report.html.j2", page=page, css=stylesheet(prepared.profile))


def layout_page(title: str, profile: Profile, layout: Layout, front: list[tuple[str, list[str]]],
                pdf: str = "") -> str:
    """Any laid-out document other than a report (a forward plan, a decision notice) as the same kind
    of self-contained, accessible page, beside its PDF at `pdf`."""
    tree = body(layout)
    page = ReportPage(clean(title), profile.council, front, tree.sections, tree.root, "", pdf, "")
    return render_page("report.html.j2", page=page, css=stylesheet(profile))
