"""What a meeting publishes: each document, public or private, and the items of each pack."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.content.meeting import Item, LoadedMeeting
from reportgen.docx.frontsheet import Pages
from reportgen.errors import ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.pdf.pack import PackDoc, PackItem, open_pdf
from reportgen.style import wording
from reportgen.style.profile import Profile


@dataclass
class Doc:
    """One published document and what the manifest says about it."""

    kind: str  # front-sheet, report, appendix, supporting, pack, private-pack
    item: int | None
    title: str
    file: str  # relative to the meeting's output folder
    restricted: bool = False
    paragraphs: list[int] = field(default_factory=list)
    source: Path | None = None  # the DOCX to convert, or the PDF to copy
    item_ref: Item | None = None


def slugify(text: str, limit: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:limit].strip("-") or "item"


def documents(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], src: Path,
              rendered: dict[int, bytes]) -> list[Doc]:
    """Write each report's DOCX into `src` (a private folder outside the output) and list every
    document to publish."""
    docs: list[Doc] = []
    for item in meeting.items:
        stem = f"{item.number:02d}-{slugify(item.title)}"
        found = prepared.get(item.number)
        if isinstance(found, Prepared) and item.report is not None:
            (src / f"{stem}.docx").write_bytes(rendered[item.number])
            r = found.report
            area = "private/" if item.exempt else ""
            docs.append(Doc("report", item.number, r.title, f"{area}{stem}.pdf", item.exempt,
                            list(r.classification.paragraphs) if item.exempt else [], src / f"{stem}.docx", item))
            for app in r.appendices or []:
                if not app.file:
                    continue
                restricted = item.exempt or app.exempt is not None
                numbers = sorted(set((app.exempt.paragraphs if app.exempt else []) +
                                     (r.classification.paragraphs if item.exempt else [])))
                folder = "private/" if restricted else ""
                docs.append(Doc("appendix", item.number, wording.appendix(app, found.profile, marked=False),
                                f"{folder}{stem}-appendix-{slugify(app.id)}.pdf", restricted, numbers,
                                item.report.folder / app.file, item))
        elif item.file is not None:
            docs.append(Doc("supporting", item.number, item.title, f"{stem}.pdf", source=item.file, item_ref=item))
    return docs


def page_count(path: Path) -> int:
    with open_pdf(path) as pdf:
        return len(pdf.pages)


def public_items(meeting: LoadedMeeting, docs: list[Doc], staging: Path, front: Path,
                  profile: Profile) -> list[PackItem]:
    m = meeting.meeting
    items = [PackItem(wording.agenda_title(profile, m.committee, m.date), [PackDoc(front, "Agenda")])]
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and not d.restricted]
        label = wording.agenda_item(profile, item.number, item.title)
        if item.exempt:
            label += " (not for publication)"
        items.append(PackItem(label, [PackDoc(staging / d.file, d.title) for d in own]))
    return items


def private_items(meeting: LoadedMeeting, docs: list[Doc], staging: Path, profile: Profile) -> list[PackItem]:
    items = []
    for item in meeting.items:
        own = [d for d in docs if d.item == item.number and d.restricted]
        if own:
            items.append(PackItem(wording.agenda_item(profile, item.number, item.title), [
                PackDoc(staging / d.file, d.title, wording.private_marking(profile, d.paragraphs)) for d in own]))
    return items


def front_pages(meeting: LoadedMeeting, docs: list[Doc], staging: Path, front_length: int) -> Pages:
    """Where each item lies in the public pack, after a front sheet of `front_length` pages."""
    pages: Pages = {}
    page = front_length + 1
    for item in meeting.items:
        count = sum(page_count(staging / d.file) for d in docs if d.item == item.number and not d.restricted)
        pages[item.number] = (page, page + count - 1) if count else None
        page += count
    return pages


