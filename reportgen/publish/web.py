"""The meeting's web edition: each open report as HTML beside its PDF, and the meeting page index.html.

Exempt reports get no page at all; the meeting page lists an exempt item by its title and
Schedule 12A paragraph only, so exempt text never reaches the public folder.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportgen.cache import Cache
from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import business
from reportgen.errors import ReportgenError
from reportgen.html.meeting import Entry, Link, MeetingPage, file_detail, meeting_page
from reportgen.html.report import report_page
from reportgen.layout.prepared import Prepared
from reportgen.publish.keys import page_key, web_assets
from reportgen.publish.plan import CLEAN, FRONT_SHEET, PACK, Inspection, Kind, Plan, page_count
from reportgen.style import wording
from reportgen.style.profile import Profile, fill

#: The meeting page's file name, at the root of the public folder.
INDEX = "index.html"
#: The accessibility statement publish writes beside it.
STATEMENT = "accessibility-statement.html"
#: Beside the link to a document published although not accessible.
NOT_ACCESSIBLE = "Not fully accessible: a screen reader may not read it, or not in order."
#: Beside the link to the pack when it holds such a document.
NOT_ACCESSIBLE_PART = "Not fully accessible: it includes pages a screen reader may not read."


#: A published PDF's page count, by its path.
Pages = Callable[[Path], int]


def _pdf_link(text: str, public: Path, name: str, pages: Pages = page_count) -> Link:
    path = public / name
    return Link(text, name, file_detail("PDF", path.stat().st_size, pages(path)))


def _entry(item: Item, profile: Profile, plan: Plan, found: dict[str, Inspection], public: Path,
           pages: Pages) -> Entry:
    if item.exempt and item.report is not None:
        numbers = item.report.report.classification.paragraphs
        line = fill(profile.agenda.exempt, paragraphs=wording.paragraphs(numbers))
        return Entry(item.number, item.title, exempt=line)
    lines = business(item, profile).split("\n")[1:]  # who, key decision, exempt appendices (the title is the heading)
    r = item.report.report if item.report is not None else None
    if r is not None:
        wards = wording.wards(r, profile)
        if wards:
            lines.insert(1 if r.report_by else 0, f"{wording.wards_label(profile)}: {wards}")
    links: list[Link] = []
    for d in plan.papers:
        if d.item != item.number or d.restricted:
            continue
        if d.kind is Kind.REPORT:  # the detail says "PDF, 72 KB, 5 pages": the link text need not
            links.append(Link(f"{d.title} (web page)", Path(d.name).with_suffix(".html").as_posix()))
        link = _pdf_link(d.title, public, d.name, pages)
        # Published although not accessible: said beside it, not only in the statement.
        if found.get(d.file, CLEAN).accepted is not None:
            link.note, link.note_href = NOT_ACCESSIBLE, STATEMENT
        links.append(link)
    return Entry(item.number, item.title, lines, bool(r and r.decision_type and r.decision_type.key), "", links)


def _appendix_links(item: Item, plan: Plan) -> dict[int, str]:
    """Each published (open) appendix of a report, by its index, to its PDF's file name (as the plan named it)."""
    return {d.appendix: d.name for d in plan.papers if d.item == item.number and d.kind is Kind.APPENDIX
            and not d.restricted and d.appendix is not None}


def write_report_pages(prepared: dict[int, Prepared | ReportgenError], plan: Plan, public: Path,
                       draft: bool, cache: Cache | None = None) -> list[Path]:
    """Every open report's web page, beside where its PDF goes. They need no PDF, so publish writes them
    while LibreOffice converts. With a cache, a page made before from the same report, links and
    templates is not made again."""
    written = []
    assets = web_assets() if cache is not None else ""
    for d in plan.papers:
        found = prepared.get(d.item) if d.item is not None else None
        if d.kind is not Kind.REPORT or d.restricted or not isinstance(found, Prepared) or d.item_ref is None:
            continue
        links = _appendix_links(d.item_ref, plan)
        key = page_key(d.key, links, d.name, INDEX, draft, assets)
        page = cache.get("page", key) if cache is not None else None
        if page is None:
            page = report_page(found, links, pdf=d.name, index=INDEX, draft=draft).encode("utf-8")
            if cache is not None:
                cache.put("page", key, page)
        target = public / Path(d.name).with_suffix(".html")
        target.write_bytes(page)
        written.append(target)
    return written


def write_meeting_page(meeting: LoadedMeeting, profile: Profile, plan: Plan, found: dict[str, Inspection],
                       public: Path, draft: bool, pages: Pages = page_count) -> Path:
    """The meeting's page, linking every document and the pack (so it is written after them). `pages`: each
    PDF's page count, by its path (publish knows most without opening them again)."""
    m = meeting.meeting
    when = ", ".join(x for x in (profile.format_date(m.date), m.time) if x)
    pack = public / PACK
    front = public / FRONT_SHEET
    statement = public / STATEMENT
    page = MeetingPage(
        wording.agenda_title(profile, m.committee, m.date), profile.council, m.committee, when, m.venue,
        wording.published(profile, m.publication_date, meeting.revised, draft), list(m.membership),
        [_entry(item, profile, plan, found, public, pages) for item in meeting.items],
        _pdf_link(wording.pack_title(profile, m.committee, m.date), public, pack.name, pages) if pack.is_file() else None,
        Link("Accessibility statement", STATEMENT) if statement.is_file() else None,
        "DRAFT: not yet published" if draft else "",
        _pdf_link(wording.front_sheet_link(profile), public, front.name, pages) if front.is_file() else None,
        (profile.agenda.urgency_heading, m.urgency_statement) if m.urgency_statement else None)
    if page.pack is not None and any(found.get(d.file, CLEAN).accepted is not None and not d.restricted
                                     for d in plan.papers):
        page.pack.note, page.pack.note_href = NOT_ACCESSIBLE_PART, STATEMENT  # it holds those pages
    index = public / INDEX
    index.write_text(meeting_page(page, profile), encoding="utf-8")
    return index
