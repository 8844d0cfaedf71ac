"""The meeting's web edition: each open report as HTML beside its PDF, and the meeting page index.html.

Exempt reports get no page at all; the meeting page lists an exempt item by its title and
Schedule 12A paragraph only, so exempt text never reaches the public folder.
"""
from __future__ import annotations

from pathlib import Path

from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import item_lines
from reportgen.errors import ReportgenError
from reportgen.html.meeting import Entry, Link, MeetingPage, file_detail, meeting_page
from reportgen.html.report import report_page
from reportgen.layout.prepared import Prepared
from reportgen.publish.plan import Doc, page_count, slugify
from reportgen.style import wording
from reportgen.style.profile import Profile, fill

#: The meeting page's file name, at the root of the public folder.
INDEX = "index.html"


def public_folder(meeting_folder: Path) -> Path:
    """Where the public papers of a meeting's output folder are: the one place that decides it."""
    return meeting_folder


def _pdf_link(text: str, public: Path, file: str) -> Link:
    path = public / file
    return Link(text, file, file_detail("PDF", path.stat().st_size, page_count(path)))


def _entry(item: Item, profile: Profile, docs: list[Doc], public: Path) -> Entry:
    own = [d for d in docs if d.item == item.number and not d.restricted]
    if item.exempt and item.report is not None:
        numbers = item.report.report.classification.paragraphs
        line = fill(profile.agenda.exempt, paragraphs=wording.paragraphs(numbers))
        return Entry(item.number, item.title, exempt=line)
    lines = [line.text for line in item_lines(item, profile, None)]
    r = item.report.report if item.report is not None else None
    links: list[Link] = []
    for d in own:
        if d.kind == "report":
            links.append(Link(f"{d.title} (web page)", Path(d.file).with_suffix(".html").as_posix()))
            links.append(_pdf_link(f"{d.title} (PDF)", public, d.file))
        else:
            links.append(_pdf_link(d.title, public, d.file))
    return Entry(item.number, item.title, lines, bool(r and r.decision_type and r.decision_type.key), "", links)


def _appendix_links(prepared: Prepared, item: Item, docs: list[Doc]) -> dict[int, str]:
    """Each published (open) appendix of a report, by its index, to its PDF's file name."""
    files = {d.file for d in docs if d.item == item.number and d.kind == "appendix" and not d.restricted}
    links = {}
    for i, app in enumerate(prepared.report.appendices or []):
        stem = f"{item.number:02d}-{slugify(item.title)}-appendix-{slugify(app.id)}.pdf"
        if stem in files:
            links[i] = stem
    return links


def write_web_edition(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], profile: Profile,
                      docs: list[Doc], meeting_folder: Path, draft: bool) -> list[Path]:
    """Write every open report's page beside its PDF and the meeting page; return the files written."""
    public = public_folder(meeting_folder)
    written = []
    for d in docs:
        found = prepared.get(d.item) if d.item is not None else None
        if d.kind != "report" or d.restricted or not isinstance(found, Prepared) or d.item_ref is None:
            continue
        html = report_page(found, _appendix_links(found, d.item_ref, docs), pdf=d.file, index=INDEX, draft=draft)
        target = public / Path(d.file).with_suffix(".html")
        target.write_text(html, encoding="utf-8")
        written.append(target)
    m = meeting.meeting
    when = ", ".join(x for x in (profile.format_date(m.date), m.time) if x)
    pack = public / "agenda-pack.pdf"
    page = MeetingPage(
        wording.agenda_title(profile, m.committee, m.date), profile.council, m.committee, when, m.venue,
        profile.format_date(m.publication_date), list(m.members),
        [_entry(item, profile, docs, public) for item in meeting.items],
        _pdf_link(wording.pack_title(profile, m.committee, m.date), public, pack.name) if pack.is_file() else None,
        Link("Accessibility statement", m.accessibility_statement) if m.accessibility_statement else None,
        "DRAFT: not yet published" if draft else "")
    index = public / INDEX
    index.write_text(meeting_page(page, profile), encoding="utf-8")
    return [*written, index]
